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
import org.convrelu.tensor.CpuKernels;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The one place that chooses an implementation for each call of an op with several
 * ({@link OpKind}), from the dtype, the geometry, ND4J's backend and the flags.
 *
 * <p>Automatic choice:
 * <ul>
 *   <li>ConvReLU (and ReLU → conv, ConvReLU with θ held at 0): {@link Implementation#DIRECT} where
 *       the fused CPU kernel covers the call; otherwise {@link Implementation#ND4J} off the CPU, and on
 *       the CPU where the threshold depends on the channel only (1×1 unpadded windows, θ held at 0),
 *       which is one broadcast max and ND4J's native conv; otherwise {@link Implementation#PATCHES}
 *       (3D windows always: ND4J's im2col op is 2D).</li>
 *   <li>Batch normalisation: {@link Implementation#DIRECT} where it applies, else {@link Implementation#ND4J}.</li>
 *   <li>Convolution: {@link Implementation#DIRECT} for few input channels (an image stem) where it applies,
 *       else {@link Implementation#ND4J} (native conv) in 1D/2D, {@link Implementation#PATCHES} in 3D.</li>
 * </ul>
 *
 * <p>Forcing, strongest first: {@link #force} (scoped, for tests and tools);
 * {@code -Dconvrelu.backend.<op>=<implementation>} for one op kind ({@code convrelu}, {@code batchnorm},
 * {@code conv}); {@code -Dconvrelu.backend=<implementation>} for every op kind that has that
 * implementation. A forced implementation that cannot run a call fails with the reason; it is
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

    private static final Map<OpKind, Map<Implementation, LongAdder>> USES = new ConcurrentHashMap<>();
    private static volatile Implementation forced;

    private Backends() {}

    /** The implementation that runs a ConvReLU call of this dtype and arguments. */
    public static ConvReluOp convRelu(DataType dtype, ConvReluArgs args) {
        return choose(OpKind.CONV_RELU, CONV_RELU, op -> op.unsupported(dtype, args), () -> {
            if (CONV_RELU.get(Implementation.DIRECT).unsupported(dtype, args).isEmpty()) {
                return Implementation.DIRECT;
            }
            boolean nd4j = CONV_RELU.get(Implementation.ND4J).unsupported(dtype, args).isEmpty();
            boolean onCpu = Nd4j.getEnvironment().isCPU();
            return nd4j && (!onCpu || Nd4jConvRelu.channelWise(dtype, args)) ? Implementation.ND4J : Implementation.PATCHES;
        });
    }

    /** The implementation that runs batch normalisation of an array of this dtype and rank. */
    public static BatchNormOp batchNorm(DataType dtype, int rank) {
        return choose(OpKind.BATCH_NORM, BATCH_NORM, op -> op.unsupported(dtype, rank),
                () -> BATCH_NORM.get(Implementation.DIRECT).unsupported(dtype, rank).isEmpty() ? Implementation.DIRECT
                        : Implementation.ND4J);
    }

    /** The implementation that runs a convolution of this dtype and window (of many input channels). */
    public static ConvOp conv(DataType dtype, ConvGeometry geometry) {
        return conv(dtype, geometry, Long.MAX_VALUE);
    }

    /**
     * Convolutions of fewer input channels than this run on {@link Implementation#DIRECT} where it
     * applies: an image stem (3 → 12 or 24 channels, 3×3, 32×32) took 0.59-0.64× oneDNN's time on one
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
     * wherever it applies, since that kernel skips dx and ND4J's conv cannot (the char-CNN's conv1,
     * 70 → 256 channels, frame 1014, batch 64: 396 against 767 ms forward and backward).
     */
    public static ConvOp conv(DataType dtype, ConvGeometry geometry, long inChannels, boolean inputGradient) {
        return choose(OpKind.CONV, CONV, op -> op.unsupported(dtype, geometry), () -> {
            if ((inChannels < DIRECT_CONV_BELOW_CHANNELS || !inputGradient) && CONV.get(Implementation.DIRECT).unsupported(dtype, geometry).isEmpty()) {
                return Implementation.DIRECT;
            }
            return CONV.get(Implementation.ND4J).unsupported(dtype, geometry).isEmpty() ? Implementation.ND4J : Implementation.PATCHES;
        });
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

    private static <T> T choose(OpKind kind, Map<Implementation, T> impls, Function<T, Optional<String>> unsupported,
            java.util.function.Supplier<Implementation> automatic) {
        Map.Entry<Implementation, String> force = forcing(kind, impls);
        Implementation chosen = force == null ? automatic.get() : force.getKey();
        T op = impls.get(chosen);
        Optional<String> why = unsupported.apply(op);
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
