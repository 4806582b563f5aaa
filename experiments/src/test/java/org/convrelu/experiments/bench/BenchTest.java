package org.convrelu.experiments.bench;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;
import org.convrelu.experiments.recipe.Arch;
import org.convrelu.experiments.recipe.Cell;
import org.convrelu.experiments.recipe.DataId;
import org.convrelu.experiments.recipe.Recipe;
import org.convrelu.experiments.recipe.Scale;
import org.convrelu.nn.models.ActivationSpec;
import org.convrelu.nn.models.Replacement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class BenchTest {
    @TempDir
    Path tmp;

    private final PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);

    @Test
    void writesTheReportWithRatiosOfTheSameRunAndJudgesTheTargets() throws Exception {
        List<PerformanceReport.Row> rows = List.of(
                new PerformanceReport.Row("layer forward+backward", "[64, 84, 32, 32]", "ConvReLU", 150, "ND4J conv (oneDNN), same shape", 50, ""),
                new PerformanceReport.Row("layer forward+backward", "[64, 84, 32, 32]", "ConvReLU", 150, "PyTorch F.conv2d, same shape", Double.NaN,
                        "PyTorch not measured (none)"),
                new PerformanceReport.Row("net training step", "batch 64", "ConvReLU (partial)", 110, "the same step with ReLU", 100, ""),
                new PerformanceReport.Row(TrainingStep.Network.DENSENET_CIFAR.benchmark, "batch 64", "ReLU", 140,
                        "PyTorch, the same network with ReLU", 100, ""),
                new PerformanceReport.Row(TrainingStep.Network.DENSENET_NARROW.benchmark, "batch 64", "ReLU", 120,
                        "PyTorch, the same network with ReLU", 100, ""));
        PerformanceReport.write(tmp, new PerformanceReport.Results(rows, PytorchPeer.notMeasured("no python"), 1234,
                new CellMemory.Measured(OptionalLong.of(1600), "one epoch"), "JMH test", "3 steps"), "test");
        List<String> csv = Files.readAllLines(tmp.resolve("performance.csv"));
        assertThat(csv.get(0)).isEqualTo("benchmark,shape,ours,ours_ms,baseline,baseline_ms,ratio,note");
        assertThat(csv.get(1)).contains("150.000").contains("50.000").contains("3.000");
        assertThat(csv.get(2)).contains("150.000,\"PyTorch F.conv2d, same shape\",,,");
        String md = Files.readString(tmp.resolve("performance.md"));
        assertThat(md).contains("| command | `test` |").contains("| 3.00 |").contains("not measured (no python)")
                .contains("ConvReLU forward+backward ≤ 1.5× ND4J's conv at every shape: **not met** (worst ratio 3.00)")
                .contains("net training step: ConvReLU step ≤ 1.15× the ReLU step: **met** (ratio 1.10)")
                .contains("densenet_cifar training step: ReLU step ≤ 1.5× PyTorch's time: **met** (our step takes 1.40× PyTorch's)")
                .contains("DenseNet-BC [2,2,2,2] growth 6 training step: ReLU step ≤ 1.0× PyTorch's time: **not met** (our step takes 1.20×")
                .contains("ConvReLU forward+backward ≤ 2× PyTorch's plain conv at every shape — not measured")
                .contains("peak RSS over the network steps ≤ 2× PyTorch's — not measured")
                .contains("| peak RSS, reduced cell | 1600 MB (one epoch) |")
                .contains("peak RSS of a reduced CIFAR-10 cell ≤ 1.5 GB (1536 MB): **not met** (1600 MB over one epoch)");
        assertThat(Measurements.median(new double[] {5, 1, 3})).isEqualTo(3);
        assertThat(Measurements.median(new double[] {4, 1, 3, 2})).isEqualTo(2.5);
    }

    @Test
    void cellsPerHourCountElevenEpochsACell() {
        PerformanceReport.Row row = CellThroughput.row(2, 200_000, 150_000); // 2 epochs: 200 s one after another, 150 s at once
        assertThat(row.ratio()).isEqualTo(0.75);
        assertThat(CellThroughput.cellsPerHour(2, 150_000)).isCloseTo(3600.0 * 2 / 150 / 11, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(row.note()).isEqualTo("parallel 4.36, serial 3.27 cells/h (11 epochs a cell)");
        assertThat(row.ours()).isEqualTo("parallel: 2 workers × 1 core");
        assertThat(row.baseline()).isEqualTo("serial: 1 worker × 2 cores");
    }

    @Test
    void aNetworksRoundsLastBothTheRoundsAndTheSecondsAskedFor() {
        long second = 1_000_000_000L;
        assertThat(Bench.enough(10, 3 * second, 10, 10)).as("10 rounds of a fast step in 3 s").isFalse();
        assertThat(Bench.enough(200, 10 * second, 10, 10)).isTrue();
        assertThat(Bench.enough(9, 30 * second, 10, 10)).as("9 rounds of a slow step").isFalse();
        assertThat(Bench.enough(10, 30 * second, 10, 10)).isTrue();
    }

    @Test
    void theReducedStepsTimeTheNetworksThatReducedCellsTrain() {
        for (TrainingStep.Network n : List.of(TrainingStep.Network.DENSENET_REDUCED, TrainingStep.Network.CHARCNN_REDUCED)) {
            DataId data = n == TrainingStep.Network.DENSENET_REDUCED ? DataId.CIFAR10 : DataId.MR;
            Arch arch = n == TrainingStep.Network.DENSENET_REDUCED ? Arch.DENSENET : Arch.CHARCNN;
            Recipe cell = Cell.entry(Scale.REDUCED, data, arch, ActivationSpec.convRelu(), Replacement.partial()).recipe();
            TrainingStep step = new TrainingStep(n, ActivationSpec.convRelu(), 2);
            assertThat(step.model.architecture()).isEqualTo(cell.modelName());
            assertThat(step.model.replacedSites()).isNotEmpty();
            assertThat(step.runMs()).isPositive();
        }
        // The parameter counts the PyTorch peer's copies of these networks have (pytorch_peer.py).
        assertThat(new TrainingStep(TrainingStep.Network.DENSENET_REDUCED, ActivationSpec.relu(), 2).model.parameterCount()).isEqualTo(71_686);
        assertThat(new TrainingStep(TrainingStep.Network.CHARCNN_REDUCED, ActivationSpec.relu(), 2).model.parameterCount()).isEqualTo(192_898);
    }

    /** A stand-in for pytorch_peer.py --serve that speaks its protocol with fixed figures, and exits on the network "exit". */
    private static final String SERVING_PEER = """
            import json, sys
            print(json.dumps({"torch": "1.13", "python": "3.11", "threads": 2, "blas": ["libopenblas.so"]}), flush=True)
            for line in sys.stdin:
                r = json.loads(line)
                if r.get("quit"):
                    print(json.dumps({"peak_rss_mb": 900}), flush=True)
                    break
                if r.get("layers"):
                    reply = {"rows": [{"benchmark": "b", "shape": "s", "what": "F.conv2d", "ms": 12.5}]}
                elif r["step"] == "exit":
                    sys.exit(7)
                elif r["step"] == "net":
                    reply = {"ms": [40.0] * r["count"]}
                else:
                    reply = {"error": "no network named " + r["step"]}
                print(json.dumps(reply), flush=True)
            """;

    @Test
    void servingPeerAnswersLayersAndStepsThenReportsItsPeakRss() throws Exception {
        Path script = Files.writeString(tmp.resolve("peer.py"), SERVING_PEER);
        PytorchPeer peer = PytorchPeer.start(script, true, 3, quiet);
        assumeTrue(peer.running(), "no python3 on this machine: " + peer.describe());
        assertThat(peer.ms("b", "s", "F.conv2d")).contains(12.5);
        assertThat(peer.ms("b", "s", "F.conv1d")).isEmpty();
        assertThat(peer.stepMs("net")).contains(40.0);
        assertThat(peer.peakRssMb()).isEmpty();
        peer.close();
        assertThat(peer.peakRssMb()).hasValue(900);
        assertThat(peer.describe()).contains("PyTorch 1.13").contains("2 threads").contains("libopenblas.so").contains("peak RSS 900 MB")
                .doesNotContain("stopped");
    }

    @Test
    void aPeerThatFailsMidRunIsReportedAsStoppedAndMeasuresNothingMore() throws Exception {
        Path script = Files.writeString(tmp.resolve("peer.py"), SERVING_PEER);
        try (PytorchPeer unknown = PytorchPeer.start(script, true, 3, quiet)) {
            assumeTrue(unknown.running(), "no python3 on this machine: " + unknown.describe());
            assertThat(unknown.stepMs("densenet")).isEmpty();
            assertThat(unknown.running()).isFalse();
            assertThat(unknown.stepMs("net")).isEmpty();
            assertThat(unknown.describe()).contains("stopped").contains("no network named densenet");
        }
        try (PytorchPeer exits = PytorchPeer.start(script, true, 3, quiet)) {
            assertThat(exits.stepMs("exit")).isEmpty();
            assertThat(exits.describe()).contains("stopped: the peer exited with status 7");
            exits.close();
            assertThat(exits.peakRssMb()).isEmpty();
        }
    }

    @Test
    void theRealPeerTimesTheReducedCharCnnStepWherePyTorchIsInstalled() {
        try (PytorchPeer peer = PytorchPeer.start(Path.of("../peers/pytorch_peer.py"), true, 3, quiet)) {
            assumeTrue(peer.running(), "PyTorch is not installed: " + peer.describe());
            assertThat(peer.ms("densenet block 1, 3×3 forward+backward", "[64, 48, 32, 32] → 12, k=3, pad=1", "F.conv2d")).get()
                    .isInstanceOf(Double.class).matches(ms -> ms > 0);
            assertThat(peer.stepMs(TrainingStep.Network.CHARCNN_REDUCED.benchmark)).get().matches(ms -> ms > 0);
            peer.close();
            assertThat(peer.peakRssMb()).isPresent();
            assertThat(peer.peakRssMb().getAsLong()).isPositive();
        }
    }

    @Test
    void aMissingPeerScriptIsReportedNotInvented() {
        PytorchPeer peer = PytorchPeer.start(tmp.resolve("absent.py"), true, 3, quiet);
        assertThat(peer.running()).isFalse();
        assertThat(peer.ms("b", "s", "F.conv2d")).isEmpty();
        assertThat(peer.stepMs("net")).isEmpty();
        assertThat(peer.describe()).contains("peer script not found");
    }
}
