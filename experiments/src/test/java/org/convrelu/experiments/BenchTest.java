package org.convrelu.experiments;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BenchTest {
    @TempDir
    Path tmp;

    @Test
    void writesTheReportWithRatiosOfTheSameRun() throws Exception {
        Bench bench = new Bench(3, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        bench.write(tmp, List.of(new Bench.Row("layer forward+backward", "[64, 84, 32, 32]", 150, "ND4J conv", 50, "")), "test");
        List<String> csv = Files.readAllLines(tmp.resolve("performance.csv"));
        assertThat(csv.get(0)).isEqualTo("benchmark,shape,ours_ms,baseline,baseline_ms,ratio,note");
        assertThat(csv.get(1)).contains("150.000").contains("50.000").contains("3.000");
        assertThat(Files.readString(tmp.resolve("performance.md"))).contains("| command | `test` |").contains("| 3.00 |")
                .contains("PyTorch peer: not measured");
        assertThat(Bench.median(new double[] {5, 1, 3})).isEqualTo(3);
        assertThat(Bench.median(new double[] {4, 1, 3, 2})).isEqualTo(2.5);
    }
}
