package org.convrelu.experiments.bench;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which GPUs ND4J 1.0.0-M2.1's CUDA backend can run on. {@code nd4j-cuda-11.6}'s {@code libnd4jcuda.so}
 * holds compiled code (cubins) for sm_37, 50, 52, 60, 61, 70, 75, 80 and 86, and no PTX a newer GPU
 * could compile. Compiled code runs on the same major architecture at an equal or higher minor: an
 * A100 (8.0) runs, Ada (8.9) runs the sm_86 code, Hopper (9.0) and Blackwell (10.x, 12.x) cannot.
 * docs/gpu.md gives the matrix.
 */
final class CudaCompatibility {
    private CudaCompatibility() {}

    private static final Pattern CAPABILITY = Pattern.compile("\\s*(\\d+)\\.(\\d+)\\s*");

    /** Why ND4J's CUDA backend cannot run on a GPU of compute capability {@code capability} ("9.0"), or empty if it can. */
    static Optional<String> refusal(String capability) {
        Matcher m = CAPABILITY.matcher(capability == null ? "" : capability);
        if (!m.matches()) {
            return Optional.empty(); // unknown: let the backend say
        }
        int major = Integer.parseInt(m.group(1));
        int minor = Integer.parseInt(m.group(2));
        if (major >= 9 || major < 3 || (major == 3 && minor < 7)) {
            return Optional.of("this GPU has compute capability " + major + "." + minor + ", and ND4J 1.0.0-M2.1's CUDA backend"
                    + " (nd4j-cuda-11.6) holds compiled code for sm_37 to sm_86 only, with no PTX to compile for another: it cannot run"
                    + " on this GPU. GPUs of compute capability 3.7 to 8.9 can (an A100 is 8.0; Ada, 8.9, runs the sm_86 code);"
                    + " Hopper (9.0) and Blackwell (10.x, 12.x) cannot. docs/gpu.md gives the matrix; on this machine the CPU"
                    + " backend runs the suite.");
        }
        return Optional.empty();
    }
}
