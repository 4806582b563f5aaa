package org.convrelu.datasets.text;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.convrelu.datasets.DataDir;
import org.convrelu.datasets.DataFormatException;
import org.convrelu.datasets.Dataset;
import org.convrelu.datasets.Downloads;

/**
 * Readers for the text datasets: MR (one sentence per line, latin-1, no official split), and
 * the CSVs of Zhang, Zhao and LeCun (2015): AG's News ({@code "class","title","description"})
 * and Yelp Review Full ({@code "class","text"}), classes 1-based in the files.
 */
public final class TextFiles {
    private TextFiles() {}

    /** The layout of a Zhang et al. CSV. */
    public enum CsvLayout {
        /** {@code "class","title","description"}; title and description are joined with a space, as Zhang et al. do. */
        AG_NEWS(3, 4),
        /** {@code "class","text"}. */
        YELP_FULL(2, 5);

        final int fields;
        final int classes;

        CsvLayout(int fields, int classes) {
            this.fields = fields;
            this.classes = classes;
        }

        public int classes() {
            return classes;
        }
    }

    /** MR: 5,331 positive (label 1) and 5,331 negative (label 0) sentences, negatives first. */
    public static TextSet mr(DataDir dir, boolean allowDownload) {
        Path folder = Downloads.locate(Dataset.MR, dir, allowDownload);
        Path pos = folder.resolve("rt-polarity.pos");
        Path neg = folder.resolve("rt-polarity.neg");
        if (!Files.exists(pos) || !Files.exists(neg)) {
            Path archive = folder.resolve("rt-polaritydata.tar.gz");
            if (Files.exists(archive)) {
                Downloads.unpack(archive, folder);
                pos = folder.resolve("rt-polaritydata/rt-polarity.pos");
                neg = folder.resolve("rt-polaritydata/rt-polarity.neg");
            }
        }
        List<String> texts = new ArrayList<>(lines(Downloads.require(Dataset.MR, folder, folder.relativize(neg).toString()),
                Charset.forName("ISO-8859-1")));
        int negatives = texts.size();
        texts.addAll(lines(Downloads.require(Dataset.MR, folder, folder.relativize(pos).toString()), Charset.forName("ISO-8859-1")));
        int[] labels = new int[texts.size()];
        java.util.Arrays.fill(labels, negatives, labels.length, 1);
        return new TextSet("mr", texts, labels, 2);
    }

    /** One split ({@code train} or {@code test}) of AG's News or Yelp Full. */
    public static TextSet zhangCsv(DataDir dir, Dataset dataset, String split, boolean allowDownload) {
        CsvLayout layout = switch (dataset) {
            case AG_NEWS -> CsvLayout.AG_NEWS;
            case YELP_FULL -> CsvLayout.YELP_FULL;
            default -> throw new IllegalArgumentException(dataset + " is not a Zhang et al. CSV dataset");
        };
        Path folder = Downloads.locate(dataset, dir, allowDownload);
        Path file = Downloads.require(dataset, folder, split + ".csv");
        return csv(dataset.name().toLowerCase(java.util.Locale.ROOT) + "-" + split, file, layout);
    }

    /** Reads a Zhang et al. CSV (UTF-8); every malformed row is an error naming the file and the record. */
    public static TextSet csv(String name, Path file, CsvLayout layout) {
        List<String> texts = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        long records = 0; // records read so far
        long startLine = 1; // the line the next record starts on
        try (Reader in = new StringReader(decodeStrictly(file, java.nio.charset.StandardCharsets.UTF_8));
                CSVParser parser = CSVFormat.RFC4180.builder().get().parse(in)) {
            Iterator<CSVRecord> it = parser.iterator();
            while (true) {
                CSVRecord r;
                try {
                    if (!it.hasNext()) {
                        break;
                    }
                    r = it.next();
                } catch (IllegalStateException | java.io.UncheckedIOException e) {
                    DataFormatException bad = new DataFormatException(file, "record " + (records + 1) + " (starting on line "
                            + startLine + ")", "a well-formed CSV record", "a malformed one: " + rootMessage(e));
                    bad.initCause(e);
                    throw bad;
                }
                records = r.getRecordNumber();
                String where = "record " + records + " (starting on line " + startLine + ")";
                startLine = parser.getCurrentLineNumber() + 1;
                if (r.size() != layout.fields) {
                    throw new DataFormatException(file, where, layout.fields + " fields", r.size() + " fields");
                }
                int label;
                try {
                    label = Integer.parseInt(r.get(0).strip());
                } catch (NumberFormatException e) {
                    throw new DataFormatException(file, where, "a class number 1.." + layout.classes, "'" + r.get(0) + "'");
                }
                if (label < 1 || label > layout.classes) {
                    throw new DataFormatException(file, where, "a class in 1.." + layout.classes, String.valueOf(label));
                }
                String text = layout == CsvLayout.AG_NEWS ? r.get(1) + " " + r.get(2) : r.get(1);
                if (text.isBlank()) {
                    throw new DataFormatException(file, where, "non-empty text", "an empty text");
                }
                texts.add(text);
                labels.add(label - 1);
            }
        } catch (IOException | java.io.UncheckedIOException e) {
            throw new DataFormatException(file, "not a well-formed CSV: " + e.getMessage(), e);
        }
        if (texts.isEmpty()) {
            throw new DataFormatException(file, null, "at least one record", "none");
        }
        return new TextSet(name, texts, labels.stream().mapToInt(Integer::intValue).toArray(), layout.classes);
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return root.getMessage();
    }

    /** Lines of a file in {@code charset}, trailing whitespace removed; an empty line is an error. */
    static List<String> lines(Path file, Charset charset) {
        String all = decodeStrictly(file, charset);
        List<String> out = new ArrayList<>();
        String[] lines = all.split("\n", -1);
        int n = lines.length;
        if (n > 0 && lines[n - 1].isEmpty()) {
            n--; // the final newline
        }
        for (int i = 0; i < n; i++) {
            String line = lines[i].stripTrailing();
            if (line.isBlank()) {
                throw new DataFormatException(file, "line " + (i + 1), "a non-empty sentence", "an empty line");
            }
            out.add(line);
        }
        return out;
    }

    /** The file's text; bytes that are not valid in {@code charset} are an error naming the byte offset. */
    static String decodeStrictly(Path file, Charset charset) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new DataFormatException(file, "cannot read: " + e.getMessage(), e);
        }
        try {
            return charset.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            int at = firstInvalidByte(bytes, charset);
            int line = 1;
            for (int i = 0; i < at; i++) {
                if (bytes[i] == '\n') {
                    line++;
                }
            }
            throw new DataFormatException(file, "line " + line + " (byte offset " + at + ")", "valid " + charset + " text",
                    String.format("byte 0x%02X", bytes[at] & 0xFF));
        }
    }

    private static int firstInvalidByte(byte[] bytes, Charset charset) {
        var decoder = charset.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        java.nio.CharBuffer out = java.nio.CharBuffer.allocate(bytes.length + 1);
        var result = decoder.decode(in, out, true);
        return result.isError() ? in.position() : 0;
    }
}
