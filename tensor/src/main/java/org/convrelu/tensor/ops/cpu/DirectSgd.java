package org.convrelu.tensor.ops.cpu;

import java.lang.ref.Reference;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One step of SGD with momentum and L2 weight decay, in place, in one pass over a parameter's
 * buffers on the CPU:
 * <pre>  g = ∇ + λ·w;  v = μ·v + g;  w −= lr · (nesterov ? g + μ·v : v)</pre>
 * The same operations in the same order, and the same precision, as the ND4J ops would run them
 * one array at a time; those are seven calls per parameter, each costing more than the
 * arithmetic of the small networks' parameters (a reduced DenseNet-BC has 65 of them, 71,686 values).
 */
public final class DirectSgd {
    private DirectSgd() {}

    /** Whether {@link #step} covers these arrays: each {@link HostArrays#covers}, of one dtype and length. */
    public static boolean covers(INDArray value, INDArray grad, INDArray velocity) {
        return HostArrays.covers(value, grad) && HostArrays.covers(value, velocity);
    }

    /**
     * Updates {@code value} and {@code velocity} in place from {@code grad}.
     *
     * @throws IllegalArgumentException where {@link #covers} does not hold
     */
    public static void step(INDArray value, INDArray grad, INDArray velocity, double lr, double momentum, double decay,
            boolean nesterov) {
        if (!covers(value, grad, velocity)) {
            throw new IllegalArgumentException("the fused update takes float32 or float64 arrays owning their buffers, of one dtype "
                    + "and length; got value " + HostArrays.describe(value) + ", gradient " + HostArrays.describe(grad) + ", velocity "
                    + HostArrays.describe(velocity) + " (" + CpuKernels.describe() + ")");
        }
        int n = Math.toIntExact(value.length());
        if (value.dataType() == DataType.FLOAT) {
            FloatBuffer w = value.data().asNioFloat(), g0 = grad.data().asNioFloat(), v = velocity.data().asNioFloat();
            float l = (float) lr, mu = (float) momentum, lambda = (float) decay;
            for (int i = 0; i < n; i++) {
                float wi = w.get(i);
                float g = lambda == 0f ? g0.get(i) : g0.get(i) + wi * lambda;
                float vi = v.get(i) * mu + g;
                v.put(i, vi);
                w.put(i, wi - (nesterov ? g + vi * mu : vi) * l);
            }
        } else {
            DoubleBuffer w = value.data().asNioDouble(), g0 = grad.data().asNioDouble(), v = velocity.data().asNioDouble();
            for (int i = 0; i < n; i++) {
                double wi = w.get(i);
                double g = decay == 0 ? g0.get(i) : g0.get(i) + wi * decay;
                double vi = v.get(i) * momentum + g;
                v.put(i, vi);
                w.put(i, wi - (nesterov ? g + vi * momentum : vi) * lr);
            }
        }
        Reference.reachabilityFence(value); // the buffers view native memory that ND4J frees once its array is collected
        Reference.reachabilityFence(grad);
        Reference.reachabilityFence(velocity);
    }
}
