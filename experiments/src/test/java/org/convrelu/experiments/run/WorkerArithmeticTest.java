package org.convrelu.experiments.run;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
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
    private static final List<String> CELL = List.of("cell", "--table", "3", "--index", "4", "--seed", "1");

    @TempDir
    Path tmp;

    private static Process suite(Path runs, Path log, boolean oneCore) throws Exception {
        int cores = Runtime.getRuntime().availableProcessors();
        List<String> cmd = new ArrayList<>(oneCore ? List.of("taskset", "-c", "0") : List.of());
        cmd.addAll(SuiteProcesses.cellCommand(oneCore ? List.of("-XX:ActiveProcessorCount=1", "-Dconvrelu.partitions=" + cores) : List.of(),
                CELL, runs));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("OMP_NUM_THREADS", String.valueOf(cores)); // what `suite` and the campaign's workers set
        return pb.start();
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
        JsonNode x = SuiteProcesses.smokeResult(all), y = SuiteProcesses.smokeResult(one);
        assertThat(y.get("arithmetic")).isEqualTo(x.get("arithmetic"));
        assertThat(x.get("implementations").get("conv").toString()).contains("nd4j"); // the thread-sensitive path ran
        SuiteProcesses.assertTrainedAlike(x, y);
    }
}
