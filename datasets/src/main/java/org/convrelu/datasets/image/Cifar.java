package org.convrelu.datasets.image;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.convrelu.datasets.DataDir;
import org.convrelu.datasets.DataFormatException;
import org.convrelu.datasets.Dataset;
import org.convrelu.datasets.Downloads;

/**
 * CIFAR-10 and CIFAR-100, binary version (Krizhevsky 2009). A CIFAR-10 record is 3,073 bytes:
 * the label, then 3,072 pixel bytes (1,024 red, green, blue, each 32×32 row-major). A CIFAR-100
 * record is 3,074 bytes: coarse label (0..19), fine label (0..99), then the pixels.
 */
public final class Cifar {
    private static final int PIXELS = 3 * 32 * 32;

    /** Which labels to read. */
    public enum Labels {
        /** CIFAR-10's ten classes. */
        CIFAR10(1, 0, 10),
        /** CIFAR-100's 100 fine classes (the default for CIFAR-100). */
        FINE(2, 1, 100),
        /** CIFAR-100's 20 coarse superclasses. */
        COARSE(2, 0, 20);

        final int labelBytes;
        final int labelOffset;
        final int classes;

        Labels(int labelBytes, int labelOffset, int classes) {
            this.labelBytes = labelBytes;
            this.labelOffset = labelOffset;
            this.classes = classes;
        }

        public int recordSize() {
            return labelBytes + PIXELS;
        }

        public int classes() {
            return classes;
        }
    }

    private Cifar() {}

    /** Train (50,000) and test (10,000) splits. */
    public record Splits(ImageSet train, ImageSet test) {}

    /** CIFAR-10 from the data root: data_batch_1..5.bin as train, test_batch.bin as test. */
    public static Splits cifar10(DataDir dir, boolean allowDownload) {
        Path folder = Downloads.locate(Dataset.CIFAR10, dir, allowDownload);
        List<Path> train = new java.util.ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            train.add(Downloads.require(Dataset.CIFAR10, folder, "data_batch_" + i + ".bin"));
        }
        return new Splits(read("cifar10-train", train, Labels.CIFAR10),
                read("cifar10-test", List.of(Downloads.require(Dataset.CIFAR10, folder, "test_batch.bin")), Labels.CIFAR10));
    }

    /** CIFAR-100 from the data root: train.bin and test.bin, with fine or coarse labels. */
    public static Splits cifar100(DataDir dir, Labels labels, boolean allowDownload) {
        if (labels == Labels.CIFAR10) {
            throw new IllegalArgumentException("CIFAR-100 takes FINE or COARSE labels");
        }
        Path folder = Downloads.locate(Dataset.CIFAR100, dir, allowDownload);
        return new Splits(read("cifar100-train", List.of(Downloads.require(Dataset.CIFAR100, folder, "train.bin")), labels),
                read("cifar100-test", List.of(Downloads.require(Dataset.CIFAR100, folder, "test.bin")), labels));
    }

    /** Reads and concatenates binary record files; any malformed file or record is an error naming it. */
    public static ImageSet read(String name, List<Path> files, Labels format) {
        int recordSize = format.recordSize();
        long total = 0;
        for (Path f : files) {
            long size = size(f);
            if (size == 0 || size % recordSize != 0) {
                throw new DataFormatException(f, null, "a whole number of " + recordSize + "-byte records",
                        size + " bytes (" + (size / recordSize) + " records and " + (size % recordSize)
                                + " bytes of a truncated record)");
            }
            total += size / recordSize;
        }
        byte[] pixels = new byte[Math.toIntExact(total * PIXELS)];
        int[] labels = new int[(int) total];
        int n = 0;
        for (Path f : files) {
            byte[] bytes = readAll(f);
            int records = bytes.length / recordSize;
            for (int r = 0; r < records; r++, n++) {
                int at = r * recordSize;
                int label = bytes[at + format.labelOffset] & 0xFF;
                if (label >= format.classes) {
                    throw new DataFormatException(f, "record " + r + " (byte offset " + at + ")",
                            "a label in 0.." + (format.classes - 1), "label byte " + label);
                }
                labels[n] = label;
                System.arraycopy(bytes, at + format.labelBytes, pixels, n * PIXELS, PIXELS);
            }
        }
        return new ImageSet(name, pixels, labels, format.classes, 3, 32, 32);
    }

    private static long size(Path f) {
        try {
            return Files.size(f);
        } catch (IOException e) {
            throw new DataFormatException(f, "cannot read: " + e.getMessage(), e);
        }
    }

    private static byte[] readAll(Path f) {
        try {
            return Files.readAllBytes(f);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + f, e);
        }
    }
}
