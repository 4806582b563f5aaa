package org.convrelu.tensor;

import org.nd4j.linalg.factory.Nd4j;

/**
 * Whether this JVM can run the fused CPU kernels ({@link DirectConvRelu}, {@link DirectBatchNorm}):
 * they read and write ND4J's buffers from Java, so ND4J must run on the CPU, and they are written
 * with the Vector API, so the JVM must be started with {@code --add-modules jdk.incubator.vector}.
 * {@code -Dconvrelu.directKernel=false} switches them off.
 */
public final class CpuKernels {
    private static final String DISABLE_PROPERTY = "convrelu.directKernel";
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
        if ("false".equalsIgnoreCase(System.getProperty(DISABLE_PROPERTY))) {
            return "-D" + DISABLE_PROPERTY + "=false";
        }
        return null;
    }

    /** The kernels' state, for reports. */
    public static String describe() {
        String why = unavailable();
        return why == null ? "fused CPU kernels on (Vector API, " + DirectConvReluKernels.vectorBits() + "-bit vectors)"
                : "fused CPU kernels off (" + why + ")";
    }

    static void require() {
        String why = unavailable();
        if (why != null) {
            throw new IllegalStateException("the fused CPU kernels cannot run: " + why);
        }
    }
}
