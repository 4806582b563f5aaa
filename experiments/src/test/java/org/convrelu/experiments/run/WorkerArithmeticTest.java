package org.convrelu.experiments.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.convrelu.datasets.DataDir;
import org.convrelu.experiments.cli.Cli;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A campaign worker held to one core ({@code scripts/campaign}: taskset, as many sample partitions
 * and ND4J threads as the machine has cores) trains a cell to the parameters of a run on every
 * core, bit for bit. The cell is Table 3's ResNet-18 on CIFAR-10 at smoke scale, whose strided and
 * shortcut convolutions run on ND4J's native conv, which sums in an order set by its thread count.
 */
class WorkerArithmeticTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> CELL = List.of("cell", "--table", "3", "--index", "4", "--seed", "1");

    @TempDir
    Path tmp;

    private static Process suite(Path runs, Path log, boolean oneCore) throws Exception {
        int cores = Runtime.getRuntime().availableProcessors();
        List<String> cmd = new ArrayList<>();
        if (oneCore) {
            cmd.addAll(List.of("taskset", "-c", "0"));
        }
        cmd.addAll(List.of(ProcessHandle.current().info().command().orElse("java"), "--add-modules", "jdk.incubator.vector", "-Xmx2g",
                "-Dorg.bytedeco.javacpp.maxbytes=4G", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn"));
        if (oneCore) {
            cmd.addAll(List.of("-XX:ActiveProcessorCount=1", "-Dconvrelu.partitions=" + cores));
        }
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), Cli.class.getName()));
        cmd.addAll(CELL);
        cmd.addAll(List.of("--runs", runs.toString(), "--data", DataDir.resolve().root().toString()));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("OMP_NUM_THREADS", String.valueOf(cores)); // what `suite` and the campaign's workers set
        return pb.start();
    }

    private static JsonNode result(Path runs) throws Exception {
        try (Stream<Path> dirs = Files.list(runs.resolve("smoke"))) {
            return JSON.readTree(dirs.filter(Files::isDirectory).findFirst().orElseThrow().resolve("result.json").toFile());
        }
    }

    @Test
    void aWorkerOnOneCoreTrainsToTheParametersOfARunOnEveryCore() throws Exception {
        Path all = tmp.resolve("all"), one = tmp.resolve("one");
        Process a = suite(all, tmp.resolve("all.log"), false);
        Process b = suite(one, tmp.resolve("one.log"), true); // beside it, as a campaign's workers run
        for (Process p : List.of(a, b)) {
            assertThat(p.waitFor(10, TimeUnit.MINUTES)).as("the cell ends").isTrue();
        }
        assertThat(a.exitValue()).as(Files.readString(tmp.resolve("all.log"))).isZero();
        assertThat(b.exitValue()).as(Files.readString(tmp.resolve("one.log"))).isZero();
        JsonNode x = result(all), y = result(one);
        assertThat(y.get("arithmetic")).isEqualTo(x.get("arithmetic"));
        assertThat(x.get("implementations").get("conv").toString()).contains("nd4j"); // the thread-sensitive path ran
        for (int e = 0; e < x.get("epochs").size(); e++) {
            assertThat(y.get("epochs").get(e).get("trainLoss").asDouble()).isEqualTo(x.get("epochs").get(e).get("trainLoss").asDouble());
        }
        assertThat(y.get("top1").asDouble()).isEqualTo(x.get("top1").asDouble());
    }
}
