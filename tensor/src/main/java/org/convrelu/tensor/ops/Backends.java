package org.convrelu.tensor.ops;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import org.convrelu.tensor.ConvGeometry;
import org.convrelu.tensor.ops.cpu.CpuKernels;
import org.convrelu.tensor.ops.cpu.DirectActivation;
import org.convrelu.tensor.ops.cpu.DirectChannels;
import org.convrelu.tensor.ops.cpu.DirectBatchNormOp;
import org.convrelu.tensor.ops.cpu.DirectConvOp;
import org.convrelu.tensor.ops.cpu.DirectConvReluOp;
import org.convrelu.tensor.ops.cpu.DirectLinear;
import org.convrelu.tensor.ops.cpu.DirectPool;
import org.convrelu.tensor.ops.cpu.DirectSgd;
import org.convrelu.tensor.ops.nd4j.Nd4jBatchNorm;
import org.convrelu.tensor.ops.nd4j.Nd4jConvOp;
import org.convrelu.tensor.ops.nd4j.Nd4jConvRelu;
import org.convrelu.tensor.ops.patches.PatchConv;
import org.convrelu.tensor.ops.patches.PatchConvRelu;
import org.convrelu.tensor.ops.reference.ReferenceBatchNorm;
import org.convrelu.tensor.ops.reference.ReferenceConv;
import org.convrelu.tensor.ops.reference.ReferenceConvRelu;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The one place that chooses an implementation for each call of an op with several
 * ({@link OpKind}), from the dtype, the geometry, ND4J's backend and the flags.
 *
 * <p>Automatic choice:
 * <ul>
 *   <li>ConvReLU (and ReLU → conv, ConvReLU with θ held at 0): {@link Implementation#DIRECT} where
 *       the fused CPU kernel covers the call, but ReLU → conv over small planes of many channels on
 *       {@link Implementation#ND4J} ({@link #ND4J_PLANES_UP_TO}); otherwise {@link Implementation#ND4J} off the CPU, and on
 *       the CPU where the threshold depends on the channel only (1×1 unpadded windows, θ held at 0),
 *       which is one broadcast max and ND4J's native conv; otherwise {@link Implementation#PATCHES}
 *       (3D windows always: ND4J's im2col op is 2D).</li>
 *   <li>Batch normalisation: {@link Implementation#DIRECT} where it covers the call, else {@link Implementation#ND4J}.</li>
 *   <li>Convolution: {@link Implementation#DIRECT} for few input channels (an image stem) where it covers the call,
 *       else {@link Implementation#ND4J} (native conv) in 1D/2D, {@link Implementation#PATCHES} in 3D.</li>
 *   <li>Activations, pooling, channel concatenation, linear layers and the SGD update: {@link Implementation#DIRECT} where the
 *       fused kernel covers the call, else {@link Implementation#ND4J}.</li>
 * </ul>
 *
 * <p>Forcing, strongest first: {@link #force} (scoped, for tests and tools);
 * {@code -Dconvrelu.backend.<op>=<implementation>} for one op kind ({@code convrelu}, {@code batchnorm},
 * {@code conv}, {@code activation}, {@code pool}, {@code channels}, {@code linear}, {@code sgd});
 * {@code -Dconvrelu.backend=<implementation>} for every op kind that has that implementation;
 * {@code -Dconvrelu.backend.direct=off} takes the fused CPU kernels out of every automatic choice.
 * A forced implementation that cannot run a call fails with the reason; it is
 * never replaced silently.
 *
 * <p>Every choice is counted ({@link #usage()}), so a result can name the implementations that
 * produced it.
 */
public final class Backends {
    /** {@code -Dconvrelu.backend=reference|patches|direct|nd4j}. */
    public static final String PROPERTY = "convrelu.backend";

    private static final Map<Implementation, ConvReluOp> CONV_RELU = implementations(ConvReluOp::implementation,
            new ReferenceConvRelu(), new PatchConvRelu(), new DirectConvReluOp(), new Nd4jConvRelu());
    private static final Map<Implementation, BatchNormOp> BATCH_NORM = implementations(BatchNormOp::implementation,
            new ReferenceBatchNorm(), new DirectBatchNormOp(), new Nd4jBatchNorm());
    private static final Map<Implementation, ConvOp> CONV = implementations(ConvOp::implementation,
            new ReferenceConv(), new PatchConv(), new DirectConvOp(), new Nd4jConvOp());

    /** The op kinds whose implementations are the fused CPU kernel and ND4J's ops, each standing for itself. */
    private static final Map<Implementation, Implementation> DIRECT_OR_ND4J = implementations(i -> i, Implementation.DIRECT,
            Implementation.ND4J);

    private static final Map<OpKind, Map<Implementation, LongAdder>> USES = new ConcurrentHashMap<>();
    private static volatile Implementation forced;

    private Backends() {}

    /** The implementation that runs a ConvReLU call of this dtype and arguments, whatever its shapes. */
    public static ConvReluOp convRelu(DataType dtype, ConvReluArgs args) {
        return convRelu(dtype, args, null, 0);
    }

    /**
     * The implementation that runs a ConvReLU call of this dtype and arguments over an input of
     * {@code xShape} ({@code [N, C, *S]}, or null where unknown) into {@code outChannels}.
     */
    public static ConvReluOp convRelu(DataType dtype, ConvReluArgs args, long[] xShape, long outChannels) {
        return choose(OpKind.CONV_RELU, CONV_RELU, op -> op.uncovered(dtype, args), () -> {
            boolean direct = CONV_RELU.get(Implementation.DIRECT).uncovered(dtype, args).isEmpty();
            if (direct && !smallWidePlane(args, xShape, outChannels)) {
                return Implementation.DIRECT;
            }
            boolean nd4j = CONV_RELU.get(Implementation.ND4J).uncovered(dtype, args).isEmpty();
            if (direct) {
                return nd4j && Nd4jConvRelu.channelWise(dtype, args) ? Implementation.ND4J : Implementation.DIRECT;
            }
            boolean onCpu = Nd4j.getEnvironment().isCPU();
            return nd4j && (!onCpu || Nd4jConvRelu.channelWise(dtype, args)) ? Implementation.ND4J : Implementation.PATCHES;
        });
    }

    /**
     * ReLU → convolution over planes of at most this many positions, with at least
     * {@link #WIDE_PLANE_CHANNELS} input and output channels, runs on ND4J's native conv: there the
     * fused kernel's padded grid computes up to 2.25 positions per output (2×2 planes), and a ReLU
     * pass with oneDNN's conv is the faster of the two (measured in docs/performance.md).
     * {@code -Dconvrelu.nd4jPlanesUpTo=0} keeps every such call on the fused kernel.
     */
    static final long ND4J_PLANES_UP_TO = Long.getLong("convrelu.nd4jPlanesUpTo", 16);

    /** See {@link #ND4J_PLANES_UP_TO}: narrower layers (DenseNet's 12 outputs) ran faster on the fused kernel. */
    static final long WIDE_PLANE_CHANNELS = 32;

    /** A ReLU → 2D convolution over a small plane, many channels in and out, of a window larger than 1×1. */
    static boolean smallWidePlane(ConvReluArgs args, long[] xShape, long outChannels) {
        if (!args.zeroThresholds() || xShape == null || xShape.length != 4 || args.geometry().kernelVolume() == 1) {
            return false;
        }
        return xShape[2] * xShape[3] <= ND4J_PLANES_UP_TO && xShape[1] >= WIDE_PLANE_CHANNELS && outChannels >= WIDE_PLANE_CHANNELS;
    }

    /** The implementation that runs batch normalisation of an array of this dtype and rank. */
    public static BatchNormOp batchNorm(DataType dtype, int rank) {
        return choose(OpKind.BATCH_NORM, BATCH_NORM, op -> op.uncovered(dtype, rank),
                () -> BATCH_NORM.get(Implementation.DIRECT).uncovered(dtype, rank).isEmpty() ? Implementation.DIRECT
                        : Implementation.ND4J);
    }

    /** The implementation that runs a convolution of this dtype and window (of many input channels). */
    public static ConvOp conv(DataType dtype, ConvGeometry geometry) {
        return conv(dtype, geometry, Long.MAX_VALUE);
    }

    /**
     * Convolutions of fewer input channels than this run on {@link Implementation#DIRECT} where it
     * covers the call: an image stem (3 → 12 or 24 channels, 3×3, 32×32) took 0.59-0.64× oneDNN's time on one
     * AVX2 core, while a 32 → 32 channel layer took 1.4× its time.
     */
    static final long DIRECT_CONV_BELOW_CHANNELS = 16;

    /** The implementation that runs a convolution of this dtype and window over {@code inChannels} input channels. */
    public static ConvOp conv(DataType dtype, ConvGeometry geometry, long inChannels) {
        return conv(dtype, geometry, inChannels, true);
    }

    /**
     * As {@link #conv(DataType, ConvGeometry, long)}; a convolution whose input gradient nobody reads
     * ({@code inputGradient} false: a network's first layer) runs on {@link Implementation#DIRECT}
     * wherever it covers the call, since that kernel skips dx and ND4J's conv cannot (the char-CNN's conv1,
     * 70 → 256 channels, frame 1014, batch 64: 396 against 767 ms forward and backward).
     */
    public static ConvOp conv(DataType dtype, ConvGeometry geometry, long inChannels, boolean inputGradient) {
        return choose(OpKind.CONV, CONV, op -> op.uncovered(dtype, geometry), () -> {
            if ((inChannels < DIRECT_CONV_BELOW_CHANNELS || !inputGradient) && CONV.get(Implementation.DIRECT).uncovered(dtype, geometry).isEmpty()) {
                return Implementation.DIRECT;
            }
            return CONV.get(Implementation.ND4J).uncovered(dtype, geometry).isEmpty() ? Implementation.ND4J : Implementation.PATCHES;
        });
    }

    /** The implementation of a pointwise activation (ReLU, LeakyReLU, PReLU) of {@code x [N, C, *S]}. */
    public static Implementation activation(INDArray x) {
        return directOrNd4j(OpKind.ACTIVATION, DirectActivation.covers(x), "float32 [N, C, *S] on the CPU", x);
    }

    /** The implementation of an average ({@code average}) or max pool of {@code x [N, C, *S]} over {@code window}. */
    public static Implementation pool(INDArray x, ConvGeometry window, boolean average) {
        boolean covers = average ? window.equals(HALVING) && DirectPool.covers(x) : DirectPool.coversMax1d(x, window);
        return directOrNd4j(OpKind.POOL, covers, average ? "a 2×2 average pool of stride 2 over float32 [N, C, H, W], H and W even"
                : "a 1D max pool without padding or dilation over float32 [N, C, L]", x);
    }

    private static final ConvGeometry HALVING = ConvGeometry.of(2, 2, 2, 0);

    /** The implementation of a global average pool of {@code x [N, C, *S]}. */
    public static Implementation globalPool(INDArray x) {
        return directOrNd4j(OpKind.POOL, DirectPool.coversGlobalAvg(x), "float32 [N, C, *S] on the CPU", x);
    }

    /** The implementation of a channel concatenation or slice of {@code arrays} ({@code [N, C, *S]}). */
    public static Implementation channels(INDArray... arrays) {
        boolean covers = true;
        for (INDArray a : arrays) {
            covers &= DirectChannels.covers(a);
        }
        return directOrNd4j(OpKind.CHANNELS, covers, "float32 arrays on the CPU within the heap", arrays);
    }

    /** The implementation of a fully connected layer {@code x [N, in] · wᵀ}, {@code w [out, in]}. */
    public static Implementation linear(INDArray x, INDArray w) {
        return directOrNd4j(OpKind.LINEAR, DirectLinear.covers(x, w), "float32 [N, in] and [out, in] on the CPU, within the heap", x, w);
    }

    /** The implementation of the SGD update of {@code value} from {@code grad} with {@code velocity}. */
    public static Implementation sgd(INDArray value, INDArray grad, INDArray velocity) {
        return directOrNd4j(OpKind.SGD, DirectSgd.covers(value, grad, velocity),
                "float32 or float64 arrays owning their buffers in c order, of one dtype and length", value, grad, velocity);
    }

    private static Implementation directOrNd4j(OpKind kind, boolean directCovers, String whatDirectCovers, INDArray... arrays) {
        return choose(kind, DIRECT_OR_ND4J, i -> i == Implementation.ND4J || directCovers ? Optional.empty()
                : Optional.of(directUncovered(whatDirectCovers, arrays)), () -> directCovers ? Implementation.DIRECT : Implementation.ND4J);
    }

    private static String directUncovered(String whatDirectCovers, INDArray... arrays) {
        String off = CpuKernels.unavailable();
        if (off != null) {
            return "the fused CPU kernels are off: " + off;
        }
        List<String> got = new ArrayList<>();
        for (INDArray a : arrays) {
            got.add(a.dataType() + " " + java.util.Arrays.toString(a.shape()) + (a.isView() ? " (a view)" : ""));
        }
        return "the fused kernel covers " + whatDirectCovers + "; got " + String.join(", ", got);
    }

    /** Every implementation of ConvReLU, for parity tests and benchmarks; calls {@link #convRelu} to choose. */
    public static ConvReluOp convRelu(Implementation implementation) {
        return require(CONV_RELU, implementation, OpKind.CONV_RELU);
    }

    public static BatchNormOp batchNorm(Implementation implementation) {
        return require(BATCH_NORM, implementation, OpKind.BATCH_NORM);
    }

    public static ConvOp conv(Implementation implementation) {
        return require(CONV, implementation, OpKind.CONV);
    }

    /** The implementations an op kind has. */
    public static List<Implementation> implementationsOf(OpKind kind) {
        return List.copyOf(switch (kind) {
            case CONV_RELU -> CONV_RELU.keySet();
            case BATCH_NORM -> BATCH_NORM.keySet();
            case CONV -> CONV.keySet();
            case ACTIVATION, POOL, CHANNELS, LINEAR, SGD -> DIRECT_OR_ND4J.keySet();
        });
    }

    /**
     * Forces {@code implementation} on every op kind that has it until the returned handle is
     * closed (then the previous setting returns); null forces nothing. Stronger than the system
     * properties.
     */
    public static Forcing force(Implementation implementation) {
        Implementation previous = forced;
        forced = implementation;
        return () -> forced = previous;
    }

    /** A scope of {@link #force}; closing it ends the forcing. */
    @FunctionalInterface
    public interface Forcing extends AutoCloseable {
        @Override
        void close();
    }

    /** Calls per op kind and implementation since the JVM started: {@code {"convrelu": {"direct": 120}, ...}}. */
    public static Map<String, Map<String, Long>> usage() {
        Map<String, Map<String, Long>> out = new TreeMap<>();
        USES.forEach((kind, byImpl) -> {
            Map<String, Long> counts = new TreeMap<>();
            byImpl.forEach((impl, n) -> counts.put(impl.id(), n.sum()));
            out.put(kind.id(), counts);
        });
        return out;
    }

    /** The implementations that ran each op kind since {@code before} (a {@link #usage()} snapshot), e.g. {@code {"conv": ["nd4j"]}}. */
    public static Map<String, List<String>> usedSince(Map<String, Map<String, Long>> before) {
        Map<String, List<String>> out = new TreeMap<>();
        usage().forEach((kind, counts) -> {
            List<String> ran = new ArrayList<>();
            counts.forEach((impl, n) -> {
                if (n > before.getOrDefault(kind, Map.of()).getOrDefault(impl, 0L)) {
                    ran.add(impl);
                }
            });
            if (!ran.isEmpty()) {
                out.put(kind, ran);
            }
        });
        return out;
    }

    /** How choices are made in this JVM, for reports: ND4J's backend, the fused kernels, any forcing. */
    public static String describe() {
        List<String> force = new ArrayList<>();
        if (forced != null) {
            force.add("forced in code: " + forced.id());
        }
        if (System.getProperty(PROPERTY) != null) {
            force.add("-D" + PROPERTY + "=" + System.getProperty(PROPERTY));
        }
        for (OpKind kind : OpKind.values()) {
            String value = System.getProperty(PROPERTY + "." + kind.id());
            if (value != null) {
                force.add("-D" + PROPERTY + "." + kind.id() + "=" + value);
            }
        }
        return "ND4J " + (Nd4j.getEnvironment().isCPU() ? "CPU" : "GPU") + " backend; " + CpuKernels.describe() + "; "
                + (force.isEmpty() ? "implementations chosen per call" : String.join(", ", force));
    }

    private static <T> T choose(OpKind kind, Map<Implementation, T> impls, Function<T, Optional<String>> uncovered,
            java.util.function.Supplier<Implementation> automatic) {
        Map.Entry<Implementation, String> force = forcing(kind, impls);
        Implementation chosen = force == null ? automatic.get() : force.getKey();
        T op = impls.get(chosen);
        Optional<String> why = uncovered.apply(op);
        if (why.isPresent()) {
            String by = force == null ? "the automatic choice" : force.getValue();
            throw new IllegalArgumentException(kind.id() + ": " + by + " picked the " + chosen.id()
                    + " implementation, which cannot run this call: " + why.get());
        }
        USES.computeIfAbsent(kind, k -> new ConcurrentHashMap<>()).computeIfAbsent(chosen, i -> new LongAdder()).increment();
        return op;
    }

    /** The forced implementation for {@code kind} and what forced it, or null. */
    private static Map.Entry<Implementation, String> forcing(OpKind kind, Map<Implementation, ?> impls) {
        Implementation inCode = forced;
        if (inCode != null && impls.containsKey(inCode)) {
            return Map.entry(inCode, "Backends.force(" + inCode.id() + ")");
        }
        String key = PROPERTY + "." + kind.id();
        String perOp = System.getProperty(key);
        if (perOp != null) {
            Implementation i = Implementation.byId(perOp, "-D" + key);
            if (!impls.containsKey(i)) {
                throw new IllegalArgumentException("-D" + key + "=" + perOp + ": " + kind.id() + " has the implementations "
                        + String.join(", ", impls.keySet().stream().map(Implementation::id).toList()));
            }
            return Map.entry(i, "-D" + key + "=" + perOp);
        }
        String all = System.getProperty(PROPERTY);
        if (all != null) {
            Implementation i = Implementation.byId(all, "-D" + PROPERTY);
            if (impls.containsKey(i)) {
                return Map.entry(i, "-D" + PROPERTY + "=" + all);
            }
        }
        return null;
    }

    private static <T> T require(Map<Implementation, T> impls, Implementation implementation, OpKind kind) {
        T op = impls.get(implementation);
        if (op == null) {
            throw new IllegalArgumentException(kind.id() + " has no " + implementation.id() + " implementation");
        }
        return op;
    }

    @SafeVarargs
    private static <T> Map<Implementation, T> implementations(Function<T, Implementation> id, T... ops) {
        Map<Implementation, T> map = new EnumMap<>(Implementation.class);
        for (T op : ops) {
            map.put(id.apply(op), op);
        }
        return java.util.Collections.unmodifiableMap(map);
    }
}
