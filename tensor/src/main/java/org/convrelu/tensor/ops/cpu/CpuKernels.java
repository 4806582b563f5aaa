package org.convrelu.tensor.ops.cpu;

import org.nd4j.linalg.factory.Nd4j;

/**
 * Whether this JVM can run the fused CPU kernels ({@link DirectConvRelu}, {@link DirectBatchNorm}):
 * they read and write ND4J's buffers from Java, so ND4J must run on the CPU, and they are written
 * with the Vector API, so the JVM must be started with {@code --add-modules jdk.incubator.vector}.
 * {@code -Dconvrelu.backend.direct=off} switches them off, so every op chooses among its other
 * implementations ({@link org.convrelu.tensor.ops.Backends}).
 */
public final class CpuKernels {
    /** {@code -Dconvrelu.backend.direct=off}: one of {@link org.convrelu.tensor.ops.Backends}'s properties. */
    public static final String OFF_PROPERTY = "convrelu.backend.direct";
    private static final boolean VECTOR_API = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();

    private CpuKernels() {}

    public static boolean available() {
        return unavailable() == null;
    }

    /** Why the kernels cannot run here, or null when they can. */
    public static String unavailable() {
        if (!VECTOR_API) {
            return "the JVM was started without --add-modules jdk.incubator.vector";
        }
        if (!Nd4j.getEnvironment().isCPU()) {
            return "ND4J does not run on the CPU";
        }
        String off = System.getProperty(OFF_PROPERTY);
        if (off != null && !off.equalsIgnoreCase("on")) {
            if (!off.equalsIgnoreCase("off")) {
                throw new IllegalArgumentException("-D" + OFF_PROPERTY + "=" + off + ": expected on or off");
            }
            return "-D" + OFF_PROPERTY + "=off";
        }
        return null;
    }

    /** The kernels' state, for reports. */
    public static String describe() {
        String why = unavailable();
        return why == null ? "fused CPU kernels on (Vector API, " + VectorGemm.vectorBits() + "-bit vectors)"
                : "fused CPU kernels off (" + why + ")";
    }

    /** The kernels' vector width in bits, 0 when they are off. */
    public static int vectorBits() {
        return unavailable() == null ? VectorGemm.vectorBits() : 0;
    }

    static void require() {
        String why = unavailable();
        if (why != null) {
            throw new IllegalStateException("the fused CPU kernels cannot run: " + why);
        }
    }
}
