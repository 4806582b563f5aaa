package org.convrelu.experiments;

import java.io.IOException;
import java.io.PrintStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.convrelu.nn.Layer;
import org.convrelu.nn.Mode;
import org.convrelu.nn.Param;
import org.convrelu.nn.ParamRole;
import org.convrelu.nn.layers.Conv;
import org.convrelu.nn.layers.ConvReLU;
import org.convrelu.nn.layers.ConvSpec;
import org.convrelu.nn.loss.SoftmaxCrossEntropy;
import org.convrelu.nn.models.ActivationSpec;
import org.convrelu.nn.models.Model;
import org.convrelu.nn.models.Models;
import org.convrelu.nn.models.Replacement;
import org.convrelu.nn.optim.Sgd;
import org.convrelu.reports.AtomicFiles;
import org.convrelu.tensor.Precision;
import org.convrelu.tensor.RandomStream;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Performance benchmarks in one process: forward+backward of ConvReLU against ND4J's native
 * convolution at the shapes of densenet_cifar's first block and the char-CNN's first two layers,
 * and one training step of the networks with ReLU and with ConvReLU. Each figure is the median of
 * the repeats after warm-up; each ratio compares figures of the same run. Writes
 * {@code performance.md} and {@code performance.csv}.
 */
final class Bench {
    record Row(String benchmark, String shape, double oursMs, String baseline, double baselineMs, String note) {
        double ratio() {
            return oursMs / baselineMs;
        }
    }

    private final int repeats;
    private final PrintStream log;

    Bench(int repeats, PrintStream log) {
        this.repeats = repeats;
        this.log = log;
    }

    List<Row> run(boolean quick) {
        List<Row> rows = new ArrayList<>();
        int n = 64;
        int[] denseInputs = quick ? new int[] {84} : new int[] {24, 36, 48, 60, 72, 84};
        for (int c : denseInputs) {
            rows.add(layer("densenet block 1, 1×1", ConvSpec.conv2d(c, 48, 1, 1, 0), new long[] {n, c, 32, 32}));
        }
        rows.add(layer("densenet block 1, 3×3", ConvSpec.conv2d(48, 12, 3, 1, 1), new long[] {n, 48, 32, 32}));
        rows.add(layer("char-CNN conv1", ConvSpec.conv1d(70, 256, 7, 1, 0).withBias(), new long[] {n, 70, 1014}));
        rows.add(layer("char-CNN conv2", ConvSpec.conv1d(256, 256, 7, 1, 0).withBias(), new long[] {n, 256, 336}));
        rows.add(step("densenet_cifar training step", n, false));
        if (!quick) {
            rows.add(step("char-CNN small training step, frame 1014", n, true));
        }
        return rows;
    }

    private Row layer(String name, ConvSpec spec, long[] xShape) {
        RandomStream rng = RandomStream.root(1);
        INDArray x = rng.normal(Precision.FLOAT32, 0, 1, xShape);
        double conv = time(new Conv("conv", spec, Precision.FLOAT32, rng.child("conv")), x);
        double ours = time(new ConvReLU("convrelu", spec, Precision.FLOAT32, rng.child("convrelu")), x);
        Row r = new Row(name + " forward+backward", Arrays.toString(xShape) + " → " + spec.outChannels() + ", k="
                + spec.geometry().kernel(0) + ", pad=" + spec.geometry().padding(0), ours, "ND4J conv (oneDNN), same shape", conv, "");
        log.printf(Locale.ROOT, "%-45s %-40s ConvReLU %8.1f ms  conv %8.1f ms  ratio %.2f%n", r.benchmark(), r.shape(), ours, conv, r.ratio());
        return r;
    }

    private double time(Layer layer, INDArray x) {
        INDArray dy = null;
        double[] ms = new double[repeats];
        for (int r = -2; r < repeats; r++) {
            layer.params().forEach(Param::zeroGrad);
            long t0 = System.nanoTime();
            INDArray y = layer.forward(x, Mode.TRAIN);
            if (dy == null) {
                dy = RandomStream.root(2).normal(Precision.FLOAT32, 0, 1, y.shape());
            }
            layer.backward(dy);
            if (r >= 0) {
                ms[r] = (System.nanoTime() - t0) / 1e6;
            }
        }
        return median(ms);
    }

    private Row step(String name, int batch, boolean text) {
        double relu = stepMs(ActivationSpec.relu(), batch, text);
        double convRelu = stepMs(ActivationSpec.convRelu(), batch, text);
        Row r = new Row(name + " with ConvReLU (partial)", "batch " + batch, convRelu, "the same step with ReLU", relu,
                String.format(Locale.ROOT, "ReLU %.1f, ConvReLU %.1f %s/s", batch * 1000 / relu, batch * 1000 / convRelu,
                        text ? "documents" : "images"));
        log.printf(Locale.ROOT, "%-45s %-40s ConvReLU %8.1f ms  ReLU %8.1f ms  ratio %.2f%n", r.benchmark(), r.shape(), convRelu, relu, r.ratio());
        return r;
    }

    private double stepMs(ActivationSpec activation, int batch, boolean text) {
        RandomStream rng = RandomStream.root(1);
        Models.Options o = new Models.Options(activation, Replacement.partial(), Precision.FLOAT32, rng.child("init"));
        Model m = text ? Models.charCnn(Models.CharCnnSize.SMALL, 70, 1014, 4, o, rng.child("dropout")) : Models.densenetCifar(100, 32, o);
        Sgd sgd = new Sgd(m.net().params(), new Sgd.Config(0.9, false, Map.of(ParamRole.WEIGHT, 5e-4, ParamRole.THRESHOLD, 5e-4)));
        long[] shape = new long[m.inputShape().length + 1];
        shape[0] = batch;
        System.arraycopy(m.inputShape(), 0, shape, 1, m.inputShape().length);
        INDArray x = rng.child("x").normal(Precision.FLOAT32, 0, 1, shape);
        int[] labels = new int[batch];
        for (int i = 0; i < batch; i++) {
            labels[i] = i % m.classes();
        }
        SoftmaxCrossEntropy loss = new SoftmaxCrossEntropy();
        int steps = Math.max(3, repeats / 2);
        double[] ms = new double[steps];
        for (int r = -1; r < steps; r++) {
            long t0 = System.nanoTime();
            sgd.zeroGrad();
            loss.forward(m.net().forward(x, Mode.TRAIN), labels);
            m.net().backward(loss.backward());
            sgd.step(0.1);
            if (r >= 0) {
                ms[r] = (System.nanoTime() - t0) / 1e6;
            }
        }
        return median(ms);
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

    void write(Path dir, List<Row> rows, String command) {
        StringWriter csv = new StringWriter();
        try (CSVPrinter p = new CSVPrinter(csv, CSVFormat.RFC4180.builder()
                .setHeader("benchmark", "shape", "ours_ms", "baseline", "baseline_ms", "ratio", "note").get())) {
            for (Row r : rows) {
                p.printRecord(r.benchmark(), r.shape(), fmt(r.oursMs()), r.baseline(), fmt(r.baselineMs()), fmt(r.ratio()), r.note());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        AtomicFiles.writeAtomically(dir.resolve("performance.csv"), csv.toString());
        StringBuilder md = new StringBuilder("# Performance\n\n");
        md.append("| | |\n|---|---|\n| command | `").append(command).append("` |\n| git commit | ").append(Suite.gitCommit())
                .append(" |\n| date | ").append(Instant.now().truncatedTo(ChronoUnit.SECONDS)).append(" |\n| JVM | ")
                .append(System.getProperty("java.vm.name")).append(' ').append(System.getProperty("java.version"))
                .append(" |\n| ND4J backend | ").append(Suite.backend()).append(" |\n| repeats | ").append(repeats)
                .append(" (median after warm-up; float32) |\n| peak RSS | ").append(peakRssMb()).append(" MB |\n\n");
        md.append("| benchmark | shape | ours (ms) | baseline | baseline (ms) | ratio | note |\n|---|---|---:|---|---:|---:|---|\n");
        for (Row r : rows) {
            md.append(String.format(Locale.ROOT, "| %s | %s | %.1f | %s | %.1f | %.2f | %s |%n", r.benchmark(), r.shape(), r.oursMs(),
                    r.baseline(), r.baselineMs(), r.ratio(), r.note()));
        }
        md.append("\nPyTorch peer: not measured (no peer script yet). Targets of the performance work: ConvReLU forward+backward ≤ 1.5×"
                + " the native convolution at every shape; a ConvReLU training step ≤ 1.15× the ReLU step.\n");
        AtomicFiles.writeAtomically(dir.resolve("performance.md"), md.toString());
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.3f", v);
    }
}
