package org.convrelu.tensor;

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

    /** Whether {@link #step} takes these arrays: on the CPU, one dtype (float32 or float64), each dense and unshared. */
    public static boolean applies(INDArray value, INDArray grad, INDArray velocity) {
        if (!CpuKernels.available()) {
            return false;
        }
        DataType dtype = value.dataType();
        return (dtype == DataType.FLOAT || dtype == DataType.DOUBLE) && grad.dataType() == dtype && velocity.dataType() == dtype
                && whole(value) && whole(grad) && whole(velocity) && grad.length() == value.length()
                && velocity.length() == value.length();
    }

    /** The array owns its buffer from the start, in row-major order: element i is buffer entry i. */
    private static boolean whole(INDArray a) {
        return !a.isView() && a.offset() == 0 && a.ordering() == 'c' && a.data().length() == a.length();
    }

    /**
     * Updates {@code value} and {@code velocity} in place from {@code grad}.
     *
     * @throws IllegalArgumentException where {@link #applies} does not hold
     */
    public static void step(INDArray value, INDArray grad, INDArray velocity, double lr, double momentum, double decay,
            boolean nesterov) {
        if (!applies(value, grad, velocity)) {
            throw new IllegalArgumentException("the fused update takes dense float32 or float64 arrays of one dtype and length, with "
                    + "the fused CPU kernels on; got value " + describe(value) + ", gradient " + describe(grad) + ", velocity "
                    + describe(velocity) + "; " + CpuKernels.describe());
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
    }

    private static String describe(INDArray a) {
        return a.dataType() + " " + java.util.Arrays.toString(a.shape()) + (whole(a) ? "" : " (a view of a larger buffer)");
    }
}
