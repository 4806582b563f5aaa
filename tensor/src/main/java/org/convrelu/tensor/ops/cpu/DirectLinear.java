package org.convrelu.tensor.ops.cpu;

import org.convrelu.tensor.memory.HeapCopy;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A small fully connected layer on the heap (float32): {@code y[N, out] = x[N, in] · Wᵀ + b}, and
 * its gradients. A network's classifier ({@code [64, 132] → 10} in the reduced DenseNet-BC) is a few
 * hundred thousand multiply-adds; ND4J's GEMM, broadcast and sum took 150–280 µs a call here, for
 * work of a few microseconds. Larger layers stay with ND4J's BLAS ({@link #covers}). The products run
 * on the convolutions' vector GEMM ({@link VectorGemm#multiply}): with scalar loops the
 * reduced MR char-CNN's {@code [64, 256] → 256} took 2.1 ms forward and 3.8 ms backward, against
 * 0.16 and 0.22 ms (one thread, AVX-512).
 */
public final class DirectLinear {
    /** The largest layer taken, in multiply-adds per pass ({@code N · in · out}). */
    static final long MAX_MULTIPLY_ADDS = 1L << 22;

    private DirectLinear() {}

    /** Whether {@code x [N, in]} and {@code w [out, in]} are float32, on the CPU, and small enough for the heap. */
    public static boolean covers(INDArray x, INDArray w) {
        return x.dataType() == DataType.FLOAT && w.dataType() == DataType.FLOAT && x.rank() == 2 && w.rank() == 2
                && x.size(1) == w.size(1) && x.size(0) * x.size(1) * w.size(0) <= MAX_MULTIPLY_ADDS && CpuKernels.available();
    }

    /** {@code y[n, o] = Σ_i x[n, i] · w[o, i] + b[o]}; {@code b} may be null. */
    public static INDArray forward(INDArray x, INDArray w, INDArray b) {
        require(x, w);
        int n = (int) x.size(0), in = (int) x.size(1), out = (int) w.size(0);
        float[] xs = HeapCopy.floats(x), ws = HeapCopy.floats(w);
        float[] wt = new float[in * out];
        ConvReluLayout.transpose(ws, out, in, wt); // Wᵀ [in, out]
        float[] y = product(xs, n, in, wt, out); // [N, out] = x[N, in] · Wᵀ[in, out]
        if (b != null) {
            float[] bs = HeapCopy.floats(b);
            for (int s = 0; s < n; s++) {
                for (int o = 0; o < out; o++) {
                    y[s * out + o] += bs[o];
                }
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
        float[] xs = HeapCopy.floats(x), dys = HeapCopy.floats(dy);
        float[] dyT = new float[out * n];
        ConvReluLayout.transpose(dys, n, out, dyT); // dyᵀ [out, N]
        float[] dW = product(dyT, out, n, xs, in); // [out, in] = dyᵀ[out, N] · x[N, in]
        float[] db = new float[out];
        for (int s = 0; s < n; s++) {
            for (int o = 0; o < out; o++) {
                db[o] += dys[s * out + o];
            }
        }
        float[] dx = inputGradient ? product(dys, n, out, HeapCopy.floats(w), in) : null; // [N, in] = dy[N, out] · W[out, in]
        return new Grads(dx == null ? null : HeapCopy.of(dx, n, in), HeapCopy.of(dW, out, in), HeapCopy.of(db, out));
    }

    /**
     * {@code a[rows, inner] · b[inner, width]} on the convolutions' vector GEMM, {@code b}'s rows
     * padded with zeros to whole vectors where {@code width} is not a multiple of the vector length.
     */
    private static float[] product(float[] a, int rows, int inner, float[] b, int width) {
        int lanes = VectorGemm.vectorLength(), padded = (width + lanes - 1) / lanes * lanes;
        float[] bp = b;
        if (padded != width) {
            bp = new float[inner * padded];
            for (int k = 0; k < inner; k++) {
                System.arraycopy(b, k * width, bp, k * padded, width);
            }
        }
        float[] out = new float[rows * padded];
        VectorGemm.multiply(a, rows, inner, bp, padded, 0, padded, out, 0, padded);
        if (padded == width) {
            return out;
        }
        float[] cropped = new float[rows * width];
        for (int i = 0; i < rows; i++) {
            System.arraycopy(out, i * padded, cropped, i * width, width);
        }
        return cropped;
    }

    private static void require(INDArray x, INDArray w) {
        if (!covers(x, w)) {
            throw new IllegalArgumentException("the heap linear layer takes float32 x [N, in] and w [out, in] within "
                    + MAX_MULTIPLY_ADDS + " multiply-adds, on the CPU; got x " + x.dataType() + " " + java.util.Arrays.toString(x.shape())
                    + ", w " + w.dataType() + " " + java.util.Arrays.toString(w.shape()));
        }
    }
}
