package org.convrelu.experiments.bench;

import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import org.convrelu.datasets.DataDir;
import org.convrelu.datasets.batch.BatchLoader;
import org.convrelu.datasets.batch.ImageExamples;
import org.convrelu.datasets.image.Augmentation;
import org.convrelu.datasets.image.ChannelStats;
import org.convrelu.datasets.image.Cifar;
import org.convrelu.nn.models.ActivationSpec;
import org.convrelu.tensor.Batch;
import org.convrelu.tensor.RandomStream;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Performance benchmarks, reported by {@link PerformanceReport} as {@code performance.md} and {@code performance.csv}:
 * <ul>
 *   <li>per layer, forward+backward, float32: ConvReLU against ND4J's native convolution of the
 *       same shape ({@link LayerShape}), as JMH micro-benchmarks (sample-time medians, one forked
 *       JVM per benchmark with this JVM's options);</li>
 *   <li>per network, one training step at batch 64: densenet_cifar, the small char-CNN and the
 *       networks of smoke and reduced cells, with ReLU and with ConvReLU placed as the paper's
 *       partial replacement, timed in this process, taking turns with the PyTorch peer's step of
 *       the same ReLU network;</li>
 *   <li>the CIFAR-10 loader (decode, augment, batch) against the training rate;</li>
 *   <li>the peak resident memory of a reduced CIFAR-10 cell's epoch ({@link CellMemory}), and reduced cells per hour
 *       trained one at a time on every core against one per core at once ({@link CellThroughput}), except with {@code --quick};</li>
 *   <li>the PyTorch peer ({@link PytorchPeer}) on the same layers and ReLU networks with the
 *       same thread count, where PyTorch is installed; its layers are timed before JMH starts.</li>
 * </ul>
 * Each figure is a median of repeats after warm-up (a network's steps: of rounds that go on for
 * at least {@link #MEASURED_SECONDS}); each ratio compares figures of the same run.
 */
public final class Bench {
    /** The label of the rows that time ConvReLU on its ND4J-op implementation. */
    static final String ND4J_OPS = "ConvReLU, ND4J ops";

    private final int repeats;
    private final PrintStream log;

    public Bench(int repeats, PrintStream log) {
        this.repeats = repeats;
        this.log = log;
    }

    public PerformanceReport.Results run(boolean quick, Path peerScript) {
        List<PerformanceReport.Row> rows = new ArrayList<>();
        long stepsPeakRssMb;
        double reluImagesMs;
        PytorchPeer peer = PytorchPeer.start(peerScript, quick, repeats, log);
        try (peer) {
            log.println("PyTorch peer: " + peer.describe());
            List<LayerShape> shapes = quick ? LayerShape.QUICK : LayerShape.ALL;
            Map<String, Map<String, Double>> layerMs = jmhLayers(shapes); // shape id → layer → median ms
            for (LayerShape s : shapes) {
                double ours = layerMs.get(s.id()).get("convrelu");
                double conv = layerMs.get(s.id()).get("conv");
                rows.add(new PerformanceReport.Row(s.benchmark(), s.describe(), "ConvReLU", ours, "ND4J conv (oneDNN), same shape", conv, ""));
                rows.add(new PerformanceReport.Row(s.benchmark(), s.describe(), ND4J_OPS, layerMs.get(s.id()).get("convrelu-nd4j"),
                        "ND4J conv (oneDNN), same shape", conv, "the portable implementation, the one that runs on a GPU"));
                String torchConv = "F.conv" + (s.input().length - 2) + "d";
                rows.add(peerRow(s.benchmark(), s.describe(), "ConvReLU", ours, "PyTorch " + torchConv + ", same shape",
                        peer.ms(s.benchmark(), s.describe(), torchConv), peer));
                if (s.id().equals("densenet-3x3")) {
                    rows.add(peerRow(s.benchmark(), s.describe(), "ConvReLU", ours, "PyTorch ConvReLU as unfold + maximum + matmul",
                            peer.ms(s.benchmark(), s.describe(), "ConvReLU as unfold + maximum + matmul"), peer));
                }
            }
            reluImagesMs = step(rows, TrainingStep.Network.DENSENET_CIFAR, peer);
            step(rows, TrainingStep.Network.DENSENET_NARROW, peer);
            step(rows, TrainingStep.Network.DENSENET_REDUCED, peer);
            if (!quick) {
                step(rows, TrainingStep.Network.CHARCNN_SMALL, peer);
            }
            step(rows, TrainingStep.Network.CHARCNN_REDUCED, peer);
            stepsPeakRssMb = Measurements.peakRssMb(); // before the loader holds CIFAR-10 in memory
        }
        log.println("PyTorch peer: " + peer.describe());
        loader(reluImagesMs).ifPresent(rows::add);
        CellMemory.Measured cellMemory = quick ? new CellMemory.Measured(OptionalLong.empty(), "not measured (--quick)") : CellMemory.measure(log);
        if (!quick) {
            rows.add(CellThroughput.measure(log));
        }
        return new PerformanceReport.Results(rows, peer, stepsPeakRssMb, cellMemory, "JMH " + org.openjdk.jmh.util.Version.getPlainVersion()
                + ", sample time, 1 fork per benchmark, 2 × 1 s warm-up, " + measurementIterations() + " × 1 s measured; median",
                "rounds of one step each of ReLU, ConvReLU and PyTorch's ReLU network, at least " + repeats + " rounds and "
                        + MEASURED_SECONDS + " s of them, after at least " + WARM_UP_STEPS + " rounds and " + WARM_UP_SECONDS
                        + " s of warm-up; median; float32, batch " + LayerShape.BATCH);
    }

    private static PerformanceReport.Row peerRow(String benchmark, String shape, String ours, double oursMs, String baseline, Optional<Double> ms, PytorchPeer peer) {
        return new PerformanceReport.Row(benchmark, shape, ours, oursMs, baseline, ms.orElse(Double.NaN), ms.isPresent() ? "" : "PyTorch " + peer.describe());
    }

    private int measurementIterations() {
        return Math.max(3, repeats / 2);
    }

    /** Runs {@link LayerBenchmark} for every shape and both layers under JMH. */
    private Map<String, Map<String, Double>> jmhLayers(List<LayerShape> shapes) {
        List<String> jvmArgs = new ArrayList<>(ManagementFactory.getRuntimeMXBean().getInputArguments());
        OptionsBuilder options = new OptionsBuilder();
        options.include(LayerBenchmark.class.getName() + ".forwardBackward")
                .param("shape", shapes.stream().map(LayerShape::id).toArray(String[]::new))
                .param("layer", "conv", "convrelu", "convrelu-nd4j")
                .forks(1)
                .jvmArgs(jvmArgs.toArray(String[]::new))
                .warmupIterations(2)
                .warmupTime(TimeValue.seconds(1))
                .measurementIterations(measurementIterations())
                .measurementTime(TimeValue.seconds(1))
                .timeUnit(TimeUnit.MILLISECONDS)
                .shouldFailOnError(true);
        Collection<RunResult> results;
        try {
            results = new Runner(options.build()).run();
        } catch (RunnerException e) {
            throw new IllegalStateException("JMH layer benchmarks failed: " + e.getMessage(), e);
        }
        Map<String, Map<String, Double>> ms = new LinkedHashMap<>();
        for (RunResult r : results) {
            double median = r.getPrimaryResult().getStatistics().getPercentile(50);
            ms.computeIfAbsent(r.getParams().getParam("shape"), k -> new LinkedHashMap<>()).put(r.getParams().getParam("layer"), median);
        }
        for (LayerShape s : shapes) {
            Map<String, Double> m = ms.get(s.id());
            if (m == null || !m.containsKey("conv") || !m.containsKey("convrelu") || !m.containsKey("convrelu-nd4j")) {
                throw new IllegalStateException("JMH returned no result for shape " + s.id());
            }
            log.printf(Locale.ROOT, "%-45s %-40s ConvReLU %8.1f ms  (ND4J ops %8.1f ms)  conv %8.1f ms  ratio %.2f%n", s.benchmark(),
                    s.describe(), m.get("convrelu"), m.get("convrelu-nd4j"), m.get("conv"), m.get("convrelu") / m.get("conv"));
        }
        return ms;
    }

    /**
     * Adds the ConvReLU-vs-ReLU and ReLU-vs-PyTorch rows of one network; returns the ReLU step's ms.
     * The three steps take turns (ours with ReLU, ours with ConvReLU, PyTorch's with ReLU), so that a
     * change of the machine's load weighs on every side of both ratios alike.
     */
    private double step(List<PerformanceReport.Row> rows, TrainingStep.Network network, PytorchPeer peer) {
        String name = network.benchmark;
        String unit = network.unit;
        TrainingStep reluStep = new TrainingStep(network, ActivationSpec.relu(), LayerShape.BATCH);
        TrainingStep convReluStep = new TrainingStep(network, ActivationSpec.convRelu(), LayerShape.BATCH);
        // Warm all three up first, so that none pays the JIT's compilation of shared kernels or the peer's first allocations.
        long warmUpStart = System.nanoTime();
        for (int r = 0; !enough(r, System.nanoTime() - warmUpStart, WARM_UP_STEPS, WARM_UP_SECONDS); r++) {
            reluStep.runMs();
            convReluStep.runMs();
            peer.stepMs(name);
        }
        List<Double> reluMs = new ArrayList<>(), convReluMs = new ArrayList<>(), torchMs = new ArrayList<>();
        long start = System.nanoTime();
        while (!enough(reluMs.size(), System.nanoTime() - start, repeats, MEASURED_SECONDS)) {
            reluMs.add(reluStep.runMs());
            convReluMs.add(convReluStep.runMs());
            torchMs.add(peer.stepMs(name).orElse(Double.NaN));
        }
        double relu = median(reluMs);
        double convRelu = median(convReluMs);
        Optional<Double> torch = torchMs.stream().anyMatch(ms -> ms.isNaN()) ? Optional.empty() : Optional.of(median(torchMs));
        int batch = LayerShape.BATCH;
        String shape = "batch " + batch;
        rows.add(new PerformanceReport.Row(name, shape, "ConvReLU (partial)", convRelu, "the same step with ReLU", relu,
                String.format(Locale.ROOT, "ReLU %.1f, ConvReLU %.1f %s/s", batch * 1000 / relu, batch * 1000 / convRelu, unit)));
        rows.add(new PerformanceReport.Row(name, shape, "ReLU", relu, "PyTorch, the same network with ReLU", torch.orElse(Double.NaN),
                torch.map(t -> String.format(Locale.ROOT, "ours %.1f, PyTorch %.1f %s/s", batch * 1000 / relu, batch * 1000 / t, unit))
                        .orElse("PyTorch " + peer.describe())));
        log.printf(Locale.ROOT, "%-45s ConvReLU %8.1f ms  ReLU %8.1f ms  PyTorch %s%n", name, convRelu, relu,
                torch.map(t -> String.format(Locale.ROOT, "%.1f ms", t)).orElse("not measured"));
        return relu;
    }

    private static final int WARM_UP_STEPS = 3;
    private static final int WARM_UP_SECONDS = 3;
    /**
     * A network's rounds go on for at least this long: ten rounds of a 50 ms step are half a second,
     * too short a sample of a machine whose speed changes over seconds.
     */
    static final int MEASURED_SECONDS = 10;

    /** Whether {@code rounds} rounds over {@code elapsedNanos} are at least {@code minRounds} rounds and {@code minSeconds}. */
    static boolean enough(int rounds, long elapsedNanos, int minRounds, int minSeconds) {
        return rounds >= minRounds && elapsedNanos >= minSeconds * 1_000_000_000L;
    }

    private static double median(List<Double> ms) {
        return Measurements.median(ms.stream().mapToDouble(Double::doubleValue).toArray());
    }

    /** The CIFAR-10 loader's time per batch of 64 against the ReLU training step, where the data is present. */
    private Optional<PerformanceReport.Row> loader(double trainStepMs) {
        Cifar.Splits cifar;
        try {
            cifar = Cifar.cifar10(DataDir.resolve(), false);
        } catch (RuntimeException e) {
            log.println("data pipeline: not measured (" + e.getMessage() + ")");
            return Optional.of(new PerformanceReport.Row("data pipeline: CIFAR-10 train, crop + flip + normalise", "batch 64", "batch loader", Double.NaN,
                    "densenet_cifar ReLU training step", trainStepMs, "not measured: " + e.getMessage()));
        }
        BatchLoader loader = new BatchLoader(new ImageExamples(cifar.train(), Augmentation.standard(ChannelStats.of(cifar.train()))),
                LayerShape.BATCH, BatchLoader.Order.SHUFFLE, BatchLoader.Remainder.KEEP, RandomStream.root(1), 4);
        double best = Double.POSITIVE_INFINITY;
        for (int epoch = 0; epoch < 2; epoch++) { // the first epoch warms up
            long t0 = System.nanoTime();
            long images = 0;
            for (Iterator<Batch> it = loader.epoch(epoch); it.hasNext(); ) {
                images += it.next().size();
            }
            best = Math.min(best, (System.nanoTime() - t0) / 1e6 / images * LayerShape.BATCH);
        }
        double perBatch = best;
        log.printf(Locale.ROOT, "data pipeline: %.2f ms per batch of 64 (%.0f images/s)%n", perBatch, LayerShape.BATCH * 1000 / perBatch);
        return Optional.of(new PerformanceReport.Row("data pipeline: CIFAR-10 train, crop + flip + normalise", "batch 64", "batch loader (1 background thread)",
                perBatch, "densenet_cifar ReLU training step", trainStepMs, String.format(Locale.ROOT,
                        "loader %.0f images/s = %.0f× the training rate", LayerShape.BATCH * 1000 / perBatch, trainStepMs / perBatch)));
    }

}
