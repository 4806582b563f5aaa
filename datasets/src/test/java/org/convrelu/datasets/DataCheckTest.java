package org.convrelu.datasets;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class DataCheckTest {

    private static String run(String... args) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int code = new CommandLine(new DataCheck(new PrintStream(bytes, true, StandardCharsets.UTF_8))).execute(args);
        return code + "\n" + bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void reportsTheRealDataDirectory() {
        String out = run("--data", RealData.dir().root().toString());
        assertThat(out).startsWith("0\n")
                .contains("checksum data_batch_1.bin: ok (md5 5dd7e06a14cb22eb9f671a540d1b7c25, published)")
                .contains("train: 50,000 images 3×32×32, 10 classes × 5,000")
                .contains("train channel statistics: mean (0.4914, 0.4822, 0.4465), std (0.2470, 0.2435, 0.2616)")
                .contains("all (no official split; use 10-fold cross-validation): 10,662 texts, 2 classes × 5,331")
                .contains("test: 7,600 texts, 4 classes × 1,900")
                .contains("val: 10,000 images 3×64×64, 200 classes × 50")
                .contains("CIFAR-100: not found")
                .contains("No problems found.");
    }

    @Test
    void aDamagedFileIsReportedAndFailsTheCheck(@TempDir Path tmp) throws Exception {
        Path folder = Files.createDirectories(tmp.resolve("cifar-10-batches-bin"));
        for (Dataset.DataFile f : Dataset.CIFAR10.files()) {
            Files.write(folder.resolve(f.path()), new byte[3073]);
        }
        String out = run("--data", tmp.toString());
        assertThat(out).startsWith("1\n").contains("checksum data_batch_1.bin: MISMATCH").contains("problem(s) found");
    }
}
