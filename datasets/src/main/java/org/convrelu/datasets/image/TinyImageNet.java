package org.convrelu.datasets.image;

import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.convrelu.datasets.DataDir;
import org.convrelu.datasets.DataFormatException;
import org.convrelu.datasets.Dataset;
import org.convrelu.datasets.Downloads;

/**
 * Tiny ImageNet (200 classes, 64×64) in its distributed layout: {@code wnids.txt} (class order),
 * {@code train/<wnid>/images/*.JPEG}, {@code val/images/*.JPEG} with labels in
 * {@code val/val_annotations.txt}. Greyscale JPEGs become three equal channels.
 */
public final class TinyImageNet {
    private static final int SIZE = 64;

    private TinyImageNet() {}

    /** The train split (as many images per class as are present) and the labelled validation split. */
    public record Splits(ImageSet train, ImageSet val) {}

    public static Splits load(DataDir dir, boolean allowDownload) {
        Path root = Downloads.locate(Dataset.TINY_IMAGENET, dir, allowDownload);
        List<String> wnids = wnids(Downloads.require(Dataset.TINY_IMAGENET, root, "wnids.txt"));
        return new Splits(train(root, wnids), val(root, wnids));
    }

    /** Class ids in the order of {@code wnids.txt}. */
    public static List<String> wnids(Path file) {
        List<String> ids = new ArrayList<>();
        List<String> lines = lines(file);
        for (int i = 0; i < lines.size(); i++) {
            String id = lines.get(i).strip();
            if (id.isEmpty()) {
                continue;
            }
            if (!id.matches("n\\d{8}")) {
                throw new DataFormatException(file, "line " + (i + 1), "a WordNet id like n01443537", "'" + id + "'");
            }
            ids.add(id);
        }
        return ids;
    }

    static ImageSet train(Path root, List<String> wnids) {
        List<Path> files = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        for (int c = 0; c < wnids.size(); c++) {
            Path images = Downloads.require(Dataset.TINY_IMAGENET, root, "train/" + wnids.get(c) + "/images");
            for (Path f : jpegs(images)) {
                files.add(f);
                labels.add(c);
            }
        }
        return decode("tiny-imagenet-train", files, labels, wnids.size());
    }

    static ImageSet val(Path root, List<String> wnids) {
        Path annotations = Downloads.require(Dataset.TINY_IMAGENET, root, "val/val_annotations.txt");
        Map<String, Integer> classOf = new HashMap<>();
        for (int c = 0; c < wnids.size(); c++) {
            classOf.put(wnids.get(c), c);
        }
        Map<String, Integer> labelOf = new HashMap<>();
        List<String> lines = lines(annotations);
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).isBlank()) {
                continue;
            }
            String[] f = lines.get(i).split("\t");
            if (f.length < 2) {
                throw new DataFormatException(annotations, "line " + (i + 1), "tab-separated 'file wnid x0 y0 x1 y1'",
                        "'" + lines.get(i) + "'");
            }
            Integer c = classOf.get(f[1]);
            if (c == null) {
                throw new DataFormatException(annotations, "line " + (i + 1), "a class listed in wnids.txt", "'" + f[1] + "'");
            }
            labelOf.put(f[0], c);
        }
        List<Path> files = jpegs(Downloads.require(Dataset.TINY_IMAGENET, root, "val/images"));
        List<Integer> labels = new ArrayList<>();
        for (Path f : files) {
            Integer c = labelOf.get(f.getFileName().toString());
            if (c == null) {
                throw new DataFormatException(annotations, null, "an entry for " + f.getFileName(), "none");
            }
            labels.add(c);
        }
        return decode("tiny-imagenet-val", files, labels, wnids.size());
    }

    private static ImageSet decode(String name, List<Path> files, List<Integer> labels, int classes) {
        int n = files.size();
        int s = 3 * SIZE * SIZE;
        byte[] pixels = new byte[n * s];
        IntStream.range(0, n).parallel().forEach(i -> readInto(files.get(i), pixels, i * s));
        return new ImageSet(name, pixels, labels.stream().mapToInt(Integer::intValue).toArray(), classes, 3, SIZE, SIZE);
    }

    /** Decodes one JPEG into {@code [3, 64, 64]} bytes at {@code offset}; greyscale is replicated to RGB. */
    static void readInto(Path file, byte[] dst, int offset) {
        BufferedImage img;
        try {
            img = ImageIO.read(file.toFile());
        } catch (IOException | RuntimeException e) {
            throw new DataFormatException(file, "not a readable JPEG: " + e.getMessage(), e);
        }
        if (img == null) {
            throw new DataFormatException(file, null, "a JPEG image", "a file no image reader recognises");
        }
        if (img.getWidth() != SIZE || img.getHeight() != SIZE) {
            throw new DataFormatException(file, null, SIZE + "×" + SIZE + " pixels", img.getWidth() + "×" + img.getHeight());
        }
        Raster r = img.getRaster();
        int bands = r.getNumBands();
        if (bands != 1 && bands != 3) {
            throw new DataFormatException(file, null, "a greyscale or RGB image", bands + " channels");
        }
        int plane = SIZE * SIZE;
        for (int y = 0; y < SIZE; y++) {
            for (int x = 0; x < SIZE; x++) {
                for (int c = 0; c < 3; c++) {
                    dst[offset + c * plane + y * SIZE + x] = (byte) r.getSample(x, y, bands == 1 ? 0 : c);
                }
            }
        }
    }

    private static List<Path> jpegs(Path folder) {
        try (Stream<Path> s = Files.list(folder)) {
            return s.filter(p -> p.getFileName().toString().toUpperCase(java.util.Locale.ROOT).endsWith(".JPEG"))
                    .sorted().toList();
        } catch (IOException e) {
            throw new DataFormatException(folder, "cannot list images: " + e.getMessage(), e);
        }
    }

    private static List<String> lines(Path file) {
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }
}
