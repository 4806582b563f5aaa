package org.convrelu.datasets.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.convrelu.datasets.DataDir;
import org.convrelu.datasets.DataFormatException;
import org.convrelu.datasets.RealData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CifarTest {
    @TempDir
    Path tmp;

    @Test
    void realCifar10HasItsPublishedSizesAndStatistics() {
        Cifar.Splits s = Cifar.cifar10(RealData.dir(), false);
        assertThat(s.train().size()).isEqualTo(50_000);
        assertThat(s.test().size()).isEqualTo(10_000);
        assertThat(s.train().classCounts()).containsOnly(5_000);
        assertThat(s.test().classCounts()).containsOnly(1_000);
        ChannelStats stats = ChannelStats.of(s.train());
        double[] mean = {0.4914, 0.4822, 0.4465};
        double[] std = {0.2470, 0.2435, 0.2616};
        for (int c = 0; c < 3; c++) {
            assertThat(stats.mean()[c]).isCloseTo(mean[c], within(5e-4));
            assertThat(stats.std()[c]).isCloseTo(std[c], within(5e-4));
        }
    }

    /** Writes CIFAR records: label bytes then 3,072 pixels whose value encodes the record index. */
    static Path records(Path file, int[][] labels) throws IOException {
        int recordSize = labels[0].length + 3072;
        byte[] bytes = new byte[labels.length * recordSize];
        for (int r = 0; r < labels.length; r++) {
            for (int b = 0; b < labels[r].length; b++) {
                bytes[r * recordSize + b] = (byte) labels[r][b];
            }
            java.util.Arrays.fill(bytes, r * recordSize + labels[r].length, (r + 1) * recordSize, (byte) (10 + r));
        }
        return Files.write(file, bytes);
    }

    @Test
    void cifar100FineAndCoarseLabelsFromGeneratedFiles() throws IOException {
        Path folder = Files.createDirectories(tmp.resolve("cifar-100-binary"));
        records(folder.resolve("train.bin"), new int[][] {{3, 99}, {19, 0}, {0, 42}});
        records(folder.resolve("test.bin"), new int[][] {{7, 7}});
        Cifar.Splits fine = Cifar.cifar100(new DataDir(tmp), Cifar.Labels.FINE, false);
        assertThat(fine.train().labels()).containsExactly(99, 0, 42);
        assertThat(fine.train().classes()).isEqualTo(100);
        assertThat(fine.train().pixels()[3072]).isEqualTo((byte) 11);
        assertThat(fine.test().size()).isEqualTo(1);
        Cifar.Splits coarse = Cifar.cifar100(new DataDir(tmp), Cifar.Labels.COARSE, false);
        assertThat(coarse.train().labels()).containsExactly(3, 19, 0);
        assertThat(coarse.train().classes()).isEqualTo(20);
    }

    @Test
    void truncatedFileIsAnErrorNamingTheFileAndTheShortfall() throws IOException {
        Path f = records(tmp.resolve("data_batch_1.bin"), new int[][] {{1}, {2}});
        Files.write(f, java.util.Arrays.copyOf(Files.readAllBytes(f), 3073 + 100));
        assertThatThrownBy(() -> Cifar.read("x", List.of(f), Cifar.Labels.CIFAR10))
                .isInstanceOf(DataFormatException.class)
                .hasMessageContaining(f.toString())
                .hasMessageContaining("whole number of 3073-byte records")
                .hasMessageContaining("1 records and 100 bytes of a truncated record");
    }

    @Test
    void aCifar100FileReadAsCifar10IsRejectedBySize() throws IOException {
        Path f = records(tmp.resolve("train.bin"), new int[][] {{1, 2}, {3, 4}, {5, 6}});
        assertThatThrownBy(() -> Cifar.read("x", List.of(f), Cifar.Labels.CIFAR10))
                .hasMessageContaining("3073-byte records");
    }

    @Test
    void labelOutOfRangeNamesTheRecord() throws IOException {
        Path f = records(tmp.resolve("data_batch_1.bin"), new int[][] {{1}, {2}, {10}});
        assertThatThrownBy(() -> Cifar.read("x", List.of(f), Cifar.Labels.CIFAR10))
                .hasMessageContaining("record 2")
                .hasMessageContaining("a label in 0..9")
                .hasMessageContaining("label byte 10");
    }

    @Test
    void emptyFileAndMissingDirectoryAreErrors() throws IOException {
        Path f = Files.write(tmp.resolve("test_batch.bin"), new byte[0]);
        assertThatThrownBy(() -> Cifar.read("x", List.of(f), Cifar.Labels.CIFAR10)).hasMessageContaining("0 bytes");
        assertThatThrownBy(() -> Cifar.cifar10(new DataDir(tmp.resolve("nowhere")), false))
                .hasMessageContaining("CIFAR-10 is missing")
                .hasMessageContaining("cifar-10-binary.tar.gz");
    }
}
