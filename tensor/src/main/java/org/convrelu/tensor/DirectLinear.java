package org.convrelu.tensor;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A small fully connected layer on the heap (float32): {@code y[N, out] = x[N, in] · Wᵀ + b}, and
 * its gradients. A network's classifier ({@code [64, 132] → 10} in the reduced DenseNet-BC) is a few
 * hundred thousand multiply-adds; ND4J's GEMM, broadcast and sum took 150–280 µs a call here, for
 * work of a few microseconds. Larger layers stay with ND4J's BLAS ({@link #takes}).
 */
public final class DirectLinear {
    /** The largest layer taken, in multiply-adds per pass ({@code N · in · out}). */
    static final long MAX_MULTIPLY_ADDS = 1L << 22;

    private DirectLinear() {}

    /** Whether {@code x [N, in]} and {@code w [out, in]} are float32, on the CPU, and small enough for the heap loops. */
    public static boolean takes(INDArray x, INDArray w) {
        return x.dataType() == DataType.FLOAT && w.dataType() == DataType.FLOAT && x.rank() == 2 && w.rank() == 2
                && x.size(1) == w.size(1) && x.size(0) * x.size(1) * w.size(0) <= MAX_MULTIPLY_ADDS && CpuKernels.available();
    }

    /** {@code y[n, o] = Σ_i x[n, i] · w[o, i] + b[o]}; {@code b} may be null. */
    public static INDArray forward(INDArray x, INDArray w, INDArray b) {
        require(x, w);
        int n = (int) x.size(0), in = (int) x.size(1), out = (int) w.size(0);
        float[] xs = HeapCopy.floats(x), ws = HeapCopy.floats(w), bs = b == null ? new float[out] : HeapCopy.floats(b);
        float[] y = new float[n * out];
        for (int s = 0; s < n; s++) {
            for (int o = 0; o < out; o++) {
                float sum = 0f;
                for (int i = 0; i < in; i++) {
                    sum += xs[s * in + i] * ws[o * in + i];
                }
                y[s * out + o] = sum + bs[o];
            }
        }
        return HeapCopy.of(y, n, out);
    }

    /** Gradients of {@link #forward}: {@code dx [N, in]} (null where not asked for), {@code dW [out, in]}, {@code db [out]}. */
    public record Grads(INDArray dx, INDArray dW, INDArray dBias) {}

    /** {@code dW = dyᵀ · x}, {@code db = Σ_n dy}, {@code dx = dy · W}. */
    public static Grads backward(INDArray x, INDArray w, INDArray dy, boolean inputGradient) {
        require(x, w);
        int n = (int) x.size(0), in = (int) x.size(1), out = (int) w.size(0);
        if (dy.dataType() != DataType.FLOAT || dy.rank() != 2 || dy.size(0) != n || dy.size(1) != out) {
            throw new IllegalArgumentException("output gradient " + dy.dataType() + " " + java.util.Arrays.toString(dy.shape())
                    + " does not fit [" + n + ", " + out + "]");
        }
        float[] xs = HeapCopy.floats(x), ws = HeapCopy.floats(w), dys = HeapCopy.floats(dy);
        float[] dW = new float[out * in], db = new float[out], dx = inputGradient ? new float[n * in] : null;
        for (int s = 0; s < n; s++) {
            for (int o = 0; o < out; o++) {
                float g = dys[s * out + o];
                db[o] += g;
                for (int i = 0; i < in; i++) { // rows as axpys, which the JIT vectorises
                    dW[o * in + i] += g * xs[s * in + i];
                }
                if (dx != null) {
                    for (int i = 0; i < in; i++) {
                        dx[s * in + i] += g * ws[o * in + i];
                    }
                }
            }
        }
        return new Grads(dx == null ? null : HeapCopy.of(dx, n, in), HeapCopy.of(dW, out, in), HeapCopy.of(db, out));
    }

    private static void require(INDArray x, INDArray w) {
        if (!takes(x, w)) {
            throw new IllegalArgumentException("the heap linear layer takes float32 x [N, in] and w [out, in] within "
                    + MAX_MULTIPLY_ADDS + " multiply-adds, on the CPU; got x " + x.dataType() + " " + java.util.Arrays.toString(x.shape())
                    + ", w " + w.dataType() + " " + java.util.Arrays.toString(w.shape()));
        }
    }
}
