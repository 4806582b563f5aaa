package org.convrelu.experiments.bench;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import org.convrelu.datasets.DataDir;
import org.convrelu.datasets.batch.BatchLoader;
import org.convrelu.datasets.batch.ImageExamples;
import org.convrelu.datasets.image.Augmentation;
import org.convrelu.datasets.image.ChannelStats;
import org.convrelu.datasets.image.Cifar;
import org.convrelu.experiments.run.Provenances;
import org.convrelu.io.AtomicFiles;
import org.convrelu.nn.Layer;
import org.convrelu.nn.layers.ConvReLU;
import org.convrelu.nn.models.ActivationSpec;
import org.convrelu.nn.models.Model;
import org.convrelu.tensor.Batch;
import org.convrelu.tensor.RandomStream;
import org.convrelu.tensor.ops.Backends;
import org.nd4j.linalg.api.environment.Nd4jEnvironment;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The training-speed check of a device, written to {@code performance.md} and {@code .csv} with
 * the columns of {@code suite bench}: densenet_cifar training steps at the paper's batch of 128
 * with ReLU and with ConvReLU in block 1, and one CIFAR-10 epoch with the real data pipeline
 * (decode, crop + flip, normalise, prefetch), on whatever ND4J backend this JVM runs. Run by
 * {@code scripts/gpu-check}; its targets are judged only on a GPU.
 */
public final class DeviceBench {
    private static final String STEP = "densenet_cifar training step";

    /** What to run. {@code epochBatches} 0 times the whole epoch; fewer are timed and extrapolated. */
    public record Config(boolean expectGpu, int batch, int warmUp, int steps, int epochBatches, String driver, String command) {}

    /** The device ND4J runs on. */
    record Device(boolean gpu, String name, String computeCapability, long totalMemoryBytes) {
        String describe() {
            return gpu ? name + ", compute capability " + computeCapability + ", " + totalMemoryBytes / (1L << 20) + " MiB"
                    : "CPU, " + Runtime.getRuntime().availableProcessors() + " cores";
        }
    }

    private final Config config;
    private final PrintStream log;
    private long minFreeDeviceBytes = Long.MAX_VALUE;

    public DeviceBench(Config config, PrintStream log) {
        this.config = config;
        this.log = log;
    }

    /** Fails, naming the backend ND4J loaded, when it is not the one expected. */
    static Device device(boolean expectGpu) {
        Properties env;
        try {
            env = Nd4j.getExecutioner().getEnvironmentInformation();
        } catch (RuntimeException | LinkageError e) {
            Throwable root = e;
            while (root.getCause() != null) {
                root = root.getCause();
            }
            throw new IllegalStateException("ND4J could not start a backend (" + root.getClass().getSimpleName()
                    + (root.getMessage() == null ? "" : ": " + root.getMessage().lines().findFirst().orElse("")) + ")."
                    + " ND4J's warnings above name the library it could not load."
                    + (expectGpu ? " The CUDA backend needs an NVIDIA driver (libcuda.so.1) and CUDA 11.6 with cuDNN 8.3, installed"
                            + " or bundled with -Pcuda,cuda-redist; ND4J 1.0.0-M2.1's CUDA backend runs on GPUs of compute capability"
                            + " 3.7 to 8.9, not on Hopper or Blackwell (docs/gpu.md)." : ""), e);
        }
        boolean gpu = !Nd4j.getEnvironment().isCPU();
        if (expectGpu && !gpu) {
            throw new IllegalStateException("ND4J runs its " + env.get(Nd4jEnvironment.BACKEND_KEY) + " backend, not CUDA: build with"
                    + " `mvn -Pcuda -DskipTests package` (scripts/gpu-check does), or use --cpu to check the flow on the CPU");
        }
        if (!gpu) {
            return new Device(false, "CPU", "", 0);
        }
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> devices = (List<Map<String, Object>>) env.get(Nd4jEnvironment.CUDA_DEVICE_INFORMATION_KEY);
        if (devices == null || devices.isEmpty()) {
            throw new IllegalStateException("ND4J runs CUDA but reports no device");
        }
        Map<String, Object> d = devices.get(0);
        String capability = d.get(Nd4jEnvironment.CUDA_DEVICE_MAJOR_VERSION_KEY) + "." + d.get(Nd4jEnvironment.CUDA_DEVICE_MINOR_VERSION_KEY);
        CudaCompatibility.refusal(capability).ifPresent(why -> {
            throw new IllegalStateException(d.get(Nd4jEnvironment.CUDA_DEVICE_NAME_KEY) + ": " + why);
        });
        return new Device(true, String.valueOf(d.get(Nd4jEnvironment.CUDA_DEVICE_NAME_KEY)), capability,
                ((Number) d.get(Nd4jEnvironment.CUDA_TOTAL_MEMORY_KEY)).longValue());
    }

    /** Free memory of the first device, recorded as the run's low-water mark (GPU only). */
    private void sampleDeviceMemory(Device device) {
        if (!device.gpu()) {
            return;
        }
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> devices = (List<Map<String, Object>>) Nd4j.getExecutioner().getEnvironmentInformation()
                .get(Nd4jEnvironment.CUDA_DEVICE_INFORMATION_KEY);
        long free = ((Number) devices.get(0).get(Nd4jEnvironment.CUDA_FREE_MEMORY_KEY)).longValue();
        minFreeDeviceBytes = Math.min(minFreeDeviceBytes, free);
    }

    public void run(Path out) {
        Device device = device(config.expectGpu());
        log.println("device: " + device.describe() + "; " + Provenances.backend());
        Map<String, Map<String, Long>> callsBefore = Backends.usage();
        sampleDeviceMemory(device);
        List<PerformanceReport.Row> rows = new ArrayList<>();

        TrainingStep relu = new TrainingStep(TrainingStep.Network.DENSENET_CIFAR, ActivationSpec.relu(), config.batch());
        TrainingStep convRelu = new TrainingStep(TrainingStep.Network.DENSENET_CIFAR, ActivationSpec.convRelu(), config.batch());
        for (int i = 0; i < config.warmUp(); i++) {
            relu.runMs();
            convRelu.runMs();
            sampleDeviceMemory(device);
        }
        double[] reluMs = new double[config.steps()];
        double[] convReluMs = new double[config.steps()];
        for (int i = 0; i < config.steps(); i++) { // alternating, so neither pays for the other's warm caches
            reluMs[i] = relu.runMs();
            convReluMs[i] = convRelu.runMs();
            sampleDeviceMemory(device);
            log.printf(Locale.ROOT, "step %d/%d: ReLU %.1f ms, ConvReLU %.1f ms%n", i + 1, config.steps(), reluMs[i], convReluMs[i]);
        }
        double reluStep = Measurements.median(reluMs);
        double convReluStep = Measurements.median(convReluMs);
        String shape = "batch " + config.batch();
        rows.add(new PerformanceReport.Row(STEP, shape, "ConvReLU (block 1)", convReluStep, "the same step with ReLU", reluStep,
                String.format(Locale.ROOT, "ReLU %.1f, ConvReLU %.1f images/s", config.batch() * 1000 / reluStep,
                        config.batch() * 1000 / convReluStep)));
        String patches = patchMatrices(convRelu.model);

        Epoch epoch = epoch(relu, device);
        rows.add(new PerformanceReport.Row("CIFAR-10 training epoch, densenet_cifar with ReLU, data pipeline included", shape, "ReLU",
                epoch.ms(), "", Double.NaN, epoch.note()));

        Map<String, List<String>> implementations = Backends.usedSince(callsBefore);
        String memory = device.gpu()
                ? String.format(Locale.ROOT, "%,d MiB of %,d MiB (total − lowest free memory seen after each step; ND4J's allocator caches)",
                        (device.totalMemoryBytes() - minFreeDeviceBytes) / (1L << 20), device.totalMemoryBytes() / (1L << 20))
                : Measurements.peakRssMb() + " MB peak RSS of this process (CPU backend)";
        write(out, device, rows, implementations, memory, patches, reluStep, convReluStep, epoch);
    }

    /** The block-1 ConvReLU patch matrices {@code [C·K, N·P]} of the last step, float32. */
    private static String patchMatrices(Model model) {
        long largest = 0;
        long total = 0;
        String largestShape = "";
        int layers = 0;
        for (Layer l : model.net().layers()) {
            if (l instanceof ConvReLU c && l.name().startsWith("block1.")) {
                long[] s = c.patchMatrixShape();
                long bytes = s[0] * s[1] * Float.BYTES;
                total += bytes;
                layers++;
                if (bytes > largest) {
                    largest = bytes;
                    largestShape = "[" + s[0] + ", " + s[1] + "]";
                }
            }
        }
        return String.format(Locale.ROOT, "%d ConvReLU layers in block 1; the largest patch matrix %s is %.0f MiB in float32,"
                + " %.0f MiB for all of them (a patch-based implementation keeps them from the forward to the backward pass)",
                layers, largestShape, largest / 1048576.0, total / 1048576.0);
    }

    record Epoch(double ms, String note) {}

    /** One CIFAR-10 epoch through the real pipeline, or its first {@code epochBatches} batches, extrapolated. */
    private Epoch epoch(TrainingStep step, Device device) {
        Cifar.Splits cifar;
        try {
            cifar = Cifar.cifar10(DataDir.resolve(), false);
        } catch (RuntimeException e) {
            log.println("CIFAR-10 epoch: not measured (" + e.getMessage() + ")");
            return new Epoch(Double.NaN, "not measured: " + e.getMessage());
        }
        BatchLoader loader = new BatchLoader(new ImageExamples(cifar.train(), Augmentation.standard(ChannelStats.of(cifar.train()))),
                config.batch(), BatchLoader.Order.SHUFFLE, BatchLoader.Remainder.KEEP, RandomStream.root(1), 4);
        int all = loader.batchesPerEpoch();
        int timed = config.epochBatches() <= 0 ? all : Math.min(all, config.epochBatches());
        long t0 = System.nanoTime();
        int done = 0;
        long images = 0;
        for (Iterator<Batch> it = loader.epoch(0); it.hasNext() && done < timed; done++) {
            Batch b = it.next();
            step.train(b.x(), b.labels());
            images += b.size();
            sampleDeviceMemory(device);
            if (done % 50 == 49) {
                log.printf(Locale.ROOT, "epoch: %d/%d batches, %.1f s%n", done + 1, timed, (System.nanoTime() - t0) / 1e9);
            }
        }
        double ms = (System.nanoTime() - t0) / 1e6;
        double perImage = ms / images;
        int epochImages = loader.examplesPerEpoch();
        if (timed == all) {
            return new Epoch(ms, String.format(Locale.ROOT, "the whole epoch: %d batches, %.1f images/s", all, images * 1000 / ms));
        }
        return new Epoch(perImage * epochImages, String.format(Locale.ROOT,
                "extrapolated from the first %d of %d batches (%.1f images/s); not a whole epoch", timed, all, images * 1000 / ms));
    }

    private void write(Path dir, Device device, List<PerformanceReport.Row> rows, Map<String, List<String>> implementations, String memory,
            String patches, double reluStep, double convReluStep, Epoch epoch) {
        PerformanceReport.writeCsv(dir.resolve("performance.csv"), rows);
        StringBuilder md = new StringBuilder("# Training speed on ").append(device.gpu() ? "a GPU" : "the CPU backend").append("\n\n");
        if (!device.gpu()) {
            md.append("> ND4J's CPU backend with the ND4J-op implementations forced: this checks the GPU flow (`scripts/gpu-check --cpu`);"
                    + " it is not a GPU measurement.\n\n");
        }
        md.append(PerformanceReport.provenanceRows(config.command()))
                .append("| device | ").append(device.describe())
                .append(" |\n| driver | ").append(config.driver() == null || config.driver().isBlank() ? "not given" : config.driver())
                .append(" |\n| peak memory | ").append(memory)
                .append(" |\n| ConvReLU patches, block 1, batch ").append(config.batch()).append(" | ").append(patches)
                .append(" |\n| steps | ").append(config.steps()).append(" of each network, ReLU and ConvReLU alternating, after ")
                .append(config.warmUp()).append(" warm-up steps of each; median; float32, SGD with momentum")
                .append(" |\n");
        implementations.forEach((kind, impls) -> md.append("| implementation: ").append(kind).append(" | ")
                .append(String.join(", ", impls)).append(" |\n"));
        md.append('\n').append(PerformanceReport.markdownRows(rows));
        md.append("\n## Targets\n\n");
        double ratio = convReluStep / reluStep;
        if (device.gpu()) {
            md.append(targetLine("ConvReLU step ≤ 1.3× the ReLU step", ratio <= 1.3, String.format(Locale.ROOT, "ratio %.2f", ratio)));
            md.append(Double.isNaN(epoch.ms()) ? "- densenet_cifar ReLU epoch ≤ 60 s: not measured\n"
                    : targetLine("densenet_cifar ReLU epoch ≤ 60 s", epoch.ms() <= 60_000,
                            String.format(Locale.ROOT, "%.1f s", epoch.ms() / 1000)));
        } else {
            md.append(String.format(Locale.ROOT, "Not judged on the CPU backend (ConvReLU/ReLU step ratio %.2f, epoch %s); the targets"
                    + " are for a GPU: ConvReLU step ≤ 1.3× the ReLU step, ReLU epoch ≤ 60 s.%n", ratio,
                    Double.isNaN(epoch.ms()) ? "not measured" : String.format(Locale.ROOT, "%.0f s", epoch.ms() / 1000)));
        }
        AtomicFiles.writeAtomically(dir.resolve("performance.md"), md.toString());
    }

    private static String targetLine(String target, boolean met, String figure) {
        return "- " + target + ": **" + (met ? "met" : "not met") + "** (" + figure + ")\n";
    }
}
