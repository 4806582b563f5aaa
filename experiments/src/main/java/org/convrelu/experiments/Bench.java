package org.convrelu.experiments;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.convrelu.datasets.DataDir;
import org.convrelu.datasets.batch.BatchLoader;
import org.convrelu.datasets.batch.ImageExamples;
import org.convrelu.datasets.image.Augmentation;
import org.convrelu.datasets.image.ChannelStats;
import org.convrelu.datasets.image.Cifar;
import org.convrelu.experiments.bench.LayerBenchmark;
import org.convrelu.experiments.bench.LayerShape;
import org.convrelu.nn.models.ActivationSpec;
import org.convrelu.io.AtomicFiles;
import org.convrelu.tensor.Batch;
import org.convrelu.tensor.RandomStream;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Performance benchmarks, written to {@code performance.md} and {@code performance.csv}:
 * <ul>
 *   <li>per layer, forward+backward, float32: ConvReLU against ND4J's native convolution of the
 *       same shape ({@link LayerShape}), as JMH micro-benchmarks (sample-time medians, one forked
 *       JVM per benchmark with this JVM's options);</li>
 *   <li>per network, one training step at batch 64: densenet_cifar and the small char-CNN with
 *       ReLU and with ConvReLU in their first block / first two layers, timed in this process;</li>
 *   <li>the CIFAR-10 loader (decode, augment, batch) against the training rate;</li>
 *   <li>the PyTorch peer ({@code experiments/src/main/python/pytorch_peer.py}) on the same
 *       layers and ReLU networks with the same thread count, where PyTorch is installed.</li>
 * </ul>
 * Each figure is a median of repeats after warm-up; each ratio compares figures of the same run.
 */
final class Bench {
    static final String PEER_SCRIPT = "experiments/src/main/python/pytorch_peer.py";
    /** The label of the rows that time ConvReLU on its ND4J-op implementation. */
    static final String ND4J_OPS = "ConvReLU, ND4J ops";

    /** One comparison; {@code baselineMs} is NaN where the baseline was not measured. */
    record Row(String benchmark, String shape, String ours, double oursMs, String baseline, double baselineMs, String note) {
        double ratio() {
            return oursMs / baselineMs;
        }
    }

    /** What the PyTorch peer reported, or why it did not run. */
    record Peer(JsonNode report, String notMeasured) {
        Optional<Double> ms(String benchmark, String shapeOrBatch, String what) {
            if (report == null) {
                return Optional.empty();
            }
            for (JsonNode r : report.get("rows")) {
                if (r.get("benchmark").asText().equals(benchmark) && r.get("shape").asText().equals(shapeOrBatch)
                        && r.get("what").asText().equals(what)) {
                    return Optional.of(r.get("ms").asDouble());
                }
            }
            return Optional.empty();
        }

        String describe() {
            if (report == null) {
                return "not measured (" + notMeasured + ")";
            }
            List<String> blas = new ArrayList<>();
            report.get("blas").forEach(b -> blas.add(b.asText()));
            return "PyTorch " + report.get("torch").asText() + " (Python " + report.get("python").asText() + "), "
                    + report.get("threads").asInt() + " threads, BLAS " + (blas.isEmpty() ? "not found in the process" : String.join(", ", blas))
                    + "; peak RSS " + report.get("peak_rss_mb").asLong() + " MB";
        }
    }

    private final int repeats;
    private final PrintStream log;

    Bench(int repeats, PrintStream log) {
        this.repeats = repeats;
        this.log = log;
    }

    record Results(List<Row> rows, Peer peer, long peakRssMb, String jmh) {}

    Results run(boolean quick, Path peerScript) {
        Peer peer = runPeer(peerScript, quick);
        log.println("PyTorch peer: " + peer.describe());
        List<Row> rows = new ArrayList<>();
        List<LayerShape> shapes = quick ? LayerShape.QUICK : LayerShape.ALL;
        Map<String, Map<String, Double>> layerMs = jmhLayers(shapes); // shape id → layer → median ms
        for (LayerShape s : shapes) {
            double ours = layerMs.get(s.id()).get("convrelu");
            double conv = layerMs.get(s.id()).get("conv");
            rows.add(new Row(s.benchmark(), s.describe(), "ConvReLU", ours, "ND4J conv (oneDNN), same shape", conv, ""));
            rows.add(new Row(s.benchmark(), s.describe(), ND4J_OPS, layerMs.get(s.id()).get("convrelu-nd4j"),
                    "ND4J conv (oneDNN), same shape", conv, "the portable implementation, the one that runs on a GPU"));
            String torchConv = "F.conv" + (s.input().length - 2) + "d";
            rows.add(peerRow(s.benchmark(), s.describe(), "ConvReLU", ours, "PyTorch " + torchConv + ", same shape",
                    peer.ms(s.benchmark(), s.describe(), torchConv), peer));
            if (s.id().equals("densenet-3x3")) {
                rows.add(peerRow(s.benchmark(), s.describe(), "ConvReLU", ours, "PyTorch ConvReLU as unfold + maximum + matmul",
                        peer.ms(s.benchmark(), s.describe(), "ConvReLU as unfold + maximum + matmul"), peer));
            }
        }
        double reluImagesMs = step(rows, "densenet_cifar training step", false, "images", peer);
        if (!quick) {
            step(rows, "char-CNN small training step, frame 1014", true, "documents", peer);
        }
        long stepsPeakRssMb = peakRssMb(); // before the loader holds CIFAR-10 in memory
        loader(reluImagesMs).ifPresent(rows::add);
        return new Results(rows, peer, stepsPeakRssMb, "JMH " + org.openjdk.jmh.util.Version.getPlainVersion()
                + ", sample time, 1 fork per benchmark, 2 × 1 s warm-up, " + measurementIterations() + " × 1 s measured; median");
    }

    private static Row peerRow(String benchmark, String shape, String ours, double oursMs, String baseline, Optional<Double> ms, Peer peer) {
        return new Row(benchmark, shape, ours, oursMs, baseline, ms.orElse(Double.NaN), ms.isPresent() ? "" : "PyTorch " + peer.describe());
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

    /** Adds the ConvReLU-vs-ReLU and ReLU-vs-PyTorch rows of one network; returns the ReLU step's ms. */
    private double step(List<Row> rows, String name, boolean text, String unit, Peer peer) {
        TrainingStep reluStep = new TrainingStep(ActivationSpec.relu(), text, LayerShape.BATCH);
        TrainingStep convReluStep = new TrainingStep(ActivationSpec.convRelu(), text, LayerShape.BATCH);
        // Warm both networks up, then alternate them, so that neither pays the JIT's compilation of shared kernels.
        for (int r = 0; r < WARM_UP_STEPS; r++) {
            reluStep.runMs();
            convReluStep.runMs();
        }
        int steps = Math.max(3, repeats / 2);
        double[] reluMs = new double[steps];
        double[] convReluMs = new double[steps];
        for (int r = 0; r < steps; r++) {
            reluMs[r] = reluStep.runMs();
            convReluMs[r] = convReluStep.runMs();
        }
        double relu = median(reluMs);
        double convRelu = median(convReluMs);
        int batch = LayerShape.BATCH;
        String shape = "batch " + batch;
        rows.add(new Row(name, shape, "ConvReLU (partial)", convRelu, "the same step with ReLU", relu,
                String.format(Locale.ROOT, "ReLU %.1f, ConvReLU %.1f %s/s", batch * 1000 / relu, batch * 1000 / convRelu, unit)));
        Optional<Double> torch = peer.ms(name, shape, "ReLU network");
        rows.add(new Row(name, shape, "ReLU", relu, "PyTorch, the same network with ReLU", torch.orElse(Double.NaN),
                torch.map(t -> String.format(Locale.ROOT, "ours %.1f, PyTorch %.1f %s/s", batch * 1000 / relu, batch * 1000 / t, unit))
                        .orElse("PyTorch " + peer.describe())));
        log.printf(Locale.ROOT, "%-45s ConvReLU %8.1f ms  ReLU %8.1f ms  PyTorch %s%n", name, convRelu, relu,
                torch.map(t -> String.format(Locale.ROOT, "%.1f ms", t)).orElse("not measured"));
        return relu;
    }

    private static final int WARM_UP_STEPS = 3;

    /** The CIFAR-10 loader's time per batch of 64 against the ReLU training step, where the data is present. */
    private Optional<Row> loader(double trainStepMs) {
        Cifar.Splits cifar;
        try {
            cifar = Cifar.cifar10(DataDir.resolve(), false);
        } catch (RuntimeException e) {
            log.println("data pipeline: not measured (" + e.getMessage() + ")");
            return Optional.of(new Row("data pipeline: CIFAR-10 train, crop + flip + normalise", "batch 64", "batch loader", Double.NaN,
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
        return Optional.of(new Row("data pipeline: CIFAR-10 train, crop + flip + normalise", "batch 64", "batch loader (1 background thread)",
                perBatch, "densenet_cifar ReLU training step", trainStepMs, String.format(Locale.ROOT,
                        "loader %.0f images/s = %.0f× the training rate", LayerShape.BATCH * 1000 / perBatch, trainStepMs / perBatch)));
    }

    /** Runs the PyTorch peer with the first Python that imports torch: $CONVRELU_PYTHON, python3, /usr/bin/python3. */
    Peer runPeer(Path script, boolean quick) {
        if (!Files.isRegularFile(script)) {
            return new Peer(null, "peer script not found at " + script.toAbsolutePath());
        }
        LinkedHashSet<String> pythons = new LinkedHashSet<>();
        Optional.ofNullable(System.getenv("CONVRELU_PYTHON")).filter(s -> !s.isBlank()).ifPresent(pythons::add);
        pythons.add("python3");
        pythons.add("/usr/bin/python3");
        List<String> why = new ArrayList<>();
        int threads = Runtime.getRuntime().availableProcessors();
        for (String python : pythons) {
            List<String> command = new ArrayList<>(List.of(python, script.toString(), "--threads", String.valueOf(threads),
                    "--repeats", String.valueOf(repeats)));
            if (quick) {
                command.add("--quick");
            }
            log.println("PyTorch peer: " + String.join(" ", command));
            try {
                Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
                byte[] out = p.getInputStream().readAllBytes();
                if (!p.waitFor(30, TimeUnit.MINUTES)) {
                    p.destroyForcibly();
                    why.add(python + ": timed out");
                    continue;
                }
                JsonNode report = new ObjectMapper().readTree(new String(out, StandardCharsets.UTF_8));
                if (p.exitValue() == 0 && report != null && report.has("rows")) {
                    return new Peer(report, null);
                }
                why.add(python + ": " + (report != null && report.has("error") ? report.get("error").asText() : "exit status " + p.exitValue()));
            } catch (IOException e) {
                why.add(python + ": " + e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                why.add(python + ": interrupted");
                break;
            }
        }
        return new Peer(null, String.join("; ", why));
    }

    static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    /** Peak resident memory of this process (VmHWM), or -1 where /proc is unavailable. */
    static long peakRssMb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("\\D+", "")) / 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }

    void write(Path dir, Results results, String command) {
        List<Row> rows = results.rows();
        writeCsv(dir.resolve("performance.csv"), rows);
        StringBuilder md = new StringBuilder("# Performance\n\n").append(provenanceRows(command))
                .append("| layers | ").append(results.jmh())
                .append(" |\n| networks | ").append(Math.max(3, repeats / 2)).append(" steps of each network, ReLU and ConvReLU alternating, after ")
                .append(WARM_UP_STEPS).append(" warm-up steps of each; median; float32, batch 64")
                .append(" |\n| peak RSS | ").append(results.peakRssMb()).append(" MB (this process over the network steps, before the loader reads CIFAR-10)")
                .append(" |\n| PyTorch peer | ").append(results.peer().describe()).append(" |\n\n");
        md.append(markdownRows(rows));
        md.append("\n## Targets\n\n").append(targets(results)).append('\n');
        AtomicFiles.writeAtomically(dir.resolve("performance.md"), md.toString());
    }

    /** Each target of the performance work, met or not, from the rows above. */
    private static String targets(Results results) {
        List<Row> rows = results.rows();
        StringBuilder t = new StringBuilder();
        double worstLayer = rows.stream().filter(r -> r.ours().equals("ConvReLU") && r.baseline().startsWith("ND4J conv"))
                .mapToDouble(Row::ratio).max().orElse(Double.NaN);
        t.append(line("ConvReLU forward+backward ≤ 1.5× ND4J's conv at every shape", worstLayer <= 1.5,
                String.format(Locale.ROOT, "worst ratio %.2f", worstLayer)));
        for (Row r : rows) {
            if (r.baseline().equals("the same step with ReLU")) {
                t.append(line(r.benchmark() + ": ConvReLU step ≤ 1.15× the ReLU step", r.ratio() <= 1.15,
                        String.format(Locale.ROOT, "ratio %.2f", r.ratio())));
            }
            if (r.baseline().startsWith("PyTorch, the same network")) {
                t.append(Double.isNaN(r.baselineMs()) ? "- " + r.benchmark() + ": ReLU throughput ≥ PyTorch's — not measured\n"
                        : line(r.benchmark() + ": ReLU throughput ≥ PyTorch's", r.ratio() <= 1.0,
                                String.format(Locale.ROOT, "our step takes %.2f× PyTorch's", r.ratio())));
            }
            if (r.benchmark().startsWith("data pipeline") && !Double.isNaN(r.oursMs())) {
                t.append(line("data pipeline ≥ 5× the training throughput", r.baselineMs() / r.oursMs() >= 5,
                        String.format(Locale.ROOT, "%.0f×", r.baselineMs() / r.oursMs())));
            }
        }
        JsonNode peer = results.peer().report();
        if (peer != null) {
            long torchRss = peer.get("peak_rss_mb").asLong();
            t.append(line("peak RSS no higher than PyTorch's", results.peakRssMb() <= torchRss,
                    String.format(Locale.ROOT, "ours %d MB, PyTorch %d MB", results.peakRssMb(), torchRss)));
        } else {
            t.append("- peak RSS no higher than PyTorch's — not measured\n");
        }
        return t.toString();
    }

    private static String line(String target, boolean met, String figure) {
        return "- " + target + ": **" + (met ? "met" : "not met") + "** (" + figure + ")\n";
    }

    /** {@code performance.csv}: one line per row, the columns every performance report shares. */
    static void writeCsv(Path file, List<Row> rows) {
        StringWriter csv = new StringWriter();
        try (CSVPrinter p = new CSVPrinter(csv, CSVFormat.RFC4180.builder()
                .setHeader("benchmark", "shape", "ours", "ours_ms", "baseline", "baseline_ms", "ratio", "note").get())) {
            for (Row r : rows) {
                p.printRecord(r.benchmark(), r.shape(), r.ours(), fmt(r.oursMs()), r.baseline(), fmt(r.baselineMs()), fmt(r.ratio()), r.note());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        AtomicFiles.writeAtomically(file, csv.toString());
    }

    /** The opening rows of a performance report's provenance table (header included): command, commit, date, JVM, backend. */
    static String provenanceRows(String command) {
        return "| | |\n|---|---|\n| command | `" + command + "` |\n| git commit | " + Provenances.gitCommit() + " |\n| date | "
                + Instant.now().truncatedTo(ChronoUnit.SECONDS) + " |\n| JVM | " + System.getProperty("java.vm.name") + ' '
                + System.getProperty("java.version") + " |\n| ND4J backend | " + Provenances.backend() + " |\n";
    }

    /** The rows as a Markdown table. */
    static String markdownRows(List<Row> rows) {
        StringBuilder md = new StringBuilder(
                "| benchmark | shape | ours | ours (ms) | baseline | baseline (ms) | ratio | note |\n|---|---|---|---:|---|---:|---:|---|\n");
        for (Row r : rows) {
            md.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s | %s | %s |%n", r.benchmark(), r.shape(), r.ours(),
                    cell(r.oursMs(), 1), r.baseline().isEmpty() ? "—" : r.baseline(), cell(r.baselineMs(), 1), cell(r.ratio(), 2),
                    r.note()));
        }
        return md.toString();
    }

    private static String cell(double v, int decimals) {
        return Double.isNaN(v) ? "not measured" : String.format(Locale.ROOT, "%." + decimals + "f", v);
    }

    private static String fmt(double v) {
        return Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%.3f", v);
    }
}
