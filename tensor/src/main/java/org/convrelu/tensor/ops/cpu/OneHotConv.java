package org.convrelu.tensor.ops.cpu;

import java.lang.ref.Reference;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.IntStream;
import org.convrelu.tensor.ConvGeometry;
import org.convrelu.tensor.memory.HeapCopy;
import org.convrelu.tensor.memory.Scratch;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * 1D convolution of a one-hot input: at every position at most one channel holds 1 and the others
 * 0, as the quantised characters of Zhang, Zhao and LeCun (2015) that feed the char-CNN's conv1
 * (a character outside the alphabet is all zeros). The input is then a list of channel indices, and
 *
 * <pre>
 *   y[n, d, o]  = b[d] + Σ_k W[d, c(n, o·s − p + k), k]         (terms whose position holds no 1 drop out)
 *   dW[d, c, k] = Σ_{n, o : c(n, o·s − p + k) = c} dy[n, d, o]
 * </pre>
 *
 * cost {@code N·O·K·D} additions instead of the dense {@code N·O·K·C·D} multiply-adds (70 times
 * fewer for the paper's alphabet). Float32 on the CPU, any stride and zero padding, no dilation.
 * There is no input gradient: a one-hot input is data, the first layer's input, whose dx nobody
 * reads.
 */
public final class OneHotConv {
    private OneHotConv() {}

    /**
     * The channel that holds 1 at each sample and position, {@code [N·L]} in c order (−1 where every
     * channel is 0), or null when {@code x} is not a float32 {@code [N, C, L]} one-hot array on the CPU.
     */
    public static int[] indices(INDArray x) {
        if (x.dataType() != DataType.FLOAT || x.rank() != 3 || x.length() > Integer.MAX_VALUE || !CpuKernels.available()) {
            return null;
        }
        int n = (int) x.size(0), c = (int) x.size(1), length = (int) x.size(2);
        INDArray xd = HeapCopy.dense(x);
        FloatBuffer xs = xd.data().asNioFloat();
        int[] index = new int[n * length];
        AtomicBoolean oneHot = new AtomicBoolean(true);
        IntStream.range(0, n).parallel().forEach(s -> {
            float[] sample = Scratch.floats(0, c * length);
            xs.get(s * c * length, sample, 0, c * length);
            int[] at = new int[length];
            Arrays.fill(at, -1);
            for (int ch = 0; ch < c && oneHot.get(); ch++) {
                for (int l = 0; l < length; l++) {
                    float v = sample[ch * length + l];
                    if (v == 0f) {
                        continue;
                    }
                    if (v != 1f || at[l] >= 0) {
                        oneHot.set(false);
                        return;
                    }
                    at[l] = ch;
                }
            }
            System.arraycopy(at, 0, index, s * length, length);
        });
        Reference.reachabilityFence(xd);
        return oneHot.get() ? index : null;
    }

    /**
     * @param index the input as {@link #indices} gives it, for an input of shape {@code [N, C, L]}
     * @param w weights {@code [D, C, K]}
     * @param bias {@code [D]} or null
     * @return {@code y [N, D, O]}
     */
    public static INDArray forward(int[] index, long[] xShape, INDArray w, INDArray bias, ConvGeometry g) {
        Plan p = Plan.of(index, xShape, w, g);
        float[] wkc = byPosition(HeapCopy.floats(w), p); // [K, C, D]: the D weights a (position, channel) pair adds
        float[] b = bias == null ? new float[p.d] : HeapCopy.floats(bias);
        INDArray y = Nd4j.createUninitialized(DataType.FLOAT, p.n, p.d, p.out);
        FloatBuffer ys = y.data().asNioFloat();
        IntStream.range(0, p.n).parallel().forEach(s -> {
            float[] rows = Scratch.floats(0, p.out * p.d); // [O, D]
            float[] cols = Scratch.floats(1, p.d * p.out); // [D, O]
            int[] picked = new int[p.k]; // where the weights each tap's character picks start in wkc
            for (int o = 0; o < p.out; o++) {
                OneHotConvKernels.sumRows(wkc, picked, p.picked(index, s, o, picked), b, rows, o * p.d, p.d);
            }
            ConvReluLayout.transpose(rows, p.out, p.d, cols);
            ys.put(s * p.d * p.out, cols, 0, p.d * p.out);
        });
        return y;
    }

    /** Gradients of {@link #forward}: {@code dW} like w, {@code dBias [D]}. */
    public record Grads(INDArray dW, INDArray dBias) {}

    /** @param dy gradient of the output, {@code [N, D, O]} */
    public static Grads weightGradients(int[] index, long[] xShape, INDArray w, INDArray dy, ConvGeometry g) {
        Plan p = Plan.of(index, xShape, w, g);
        if (!Arrays.equals(dy.shape(), new long[] {p.n, p.d, p.out}) || dy.dataType() != DataType.FLOAT) {
            throw new IllegalArgumentException("output gradient has shape " + dy.dataType() + " " + Arrays.toString(dy.shape())
                    + ", expected FLOAT " + Arrays.toString(new long[] {p.n, p.d, p.out}));
        }
        INDArray dyd = HeapCopy.dense(dy);
        FloatBuffer dys = dyd.data().asNioFloat();
        List<float[][]> partials = DirectConvRelu.forEachWorker(p.n, (from, to) -> {
            float[] dwkc = new float[p.k * p.c * p.d];
            float[] db = new float[p.d];
            float[] cols = Scratch.floats(0, p.d * p.out); // dy[n]: [D, O]
            float[] rows = Scratch.floats(1, p.out * p.d); // [O, D]
            int[] picked = new int[p.k];
            for (int s = from; s < to; s++) {
                dys.get(s * p.d * p.out, cols, 0, p.d * p.out);
                ConvReluLayout.transpose(cols, p.d, p.out, rows);
                for (int o = 0; o < p.out; o++) {
                    OneHotConvKernels.addRow(rows, o * p.d, p.d, dwkc, picked, p.picked(index, s, o, picked), db);
                }
            }
            return new float[][] {dwkc, db};
        });
        Reference.reachabilityFence(dyd);
        float[] dwkc = partials.get(0)[0];
        float[] db = partials.get(0)[1];
        for (float[][] part : partials.subList(1, partials.size())) {
            DirectConvRelu.addInto(dwkc, part[0]);
            DirectConvRelu.addInto(db, part[1]);
        }
        float[] dW = new float[dwkc.length]; // [D, C, K]
        for (int k = 0; k < p.k; k++) {
            for (int ch = 0; ch < p.c; ch++) {
                for (int dd = 0; dd < p.d; dd++) {
                    dW[(dd * p.c + ch) * p.k + k] = dwkc[(k * p.c + ch) * p.d + dd];
                }
            }
        }
        return new Grads(HeapCopy.of(dW, w.shape()), HeapCopy.of(db, p.d));
    }

    /** {@code W [D, C, K]} as {@code [K, C, D]}. */
    private static float[] byPosition(float[] w, Plan p) {
        float[] out = new float[w.length];
        for (int dd = 0; dd < p.d; dd++) {
            for (int ch = 0; ch < p.c; ch++) {
                for (int k = 0; k < p.k; k++) {
                    out[(k * p.c + ch) * p.d + dd] = w[(dd * p.c + ch) * p.k + k];
                }
            }
        }
        return out;
    }

    /** The sizes of one call: {@code n} samples of {@code c} channels and {@code length} positions, {@code d} outputs at {@code out} positions. */
    private record Plan(int n, int c, int length, int d, int k, int stride, int pad, int out) {
        static Plan of(int[] index, long[] xShape, INDArray w, ConvGeometry g) {
            if (xShape.length != 3 || g.dims() != 1 || g.dilation(0) != 1) {
                throw new IllegalArgumentException("a one-hot convolution takes [N, C, L] and a 1D window without dilation, got "
                        + Arrays.toString(xShape) + " and " + g);
            }
            if (w.rank() != 3 || w.size(1) != xShape[1] || w.size(2) != g.kernel(0)) {
                throw new IllegalArgumentException("weights " + Arrays.toString(w.shape()) + " do not fit input " + Arrays.toString(xShape)
                        + " and window " + g);
            }
            if (index.length != xShape[0] * xShape[2]) {
                throw new IllegalArgumentException(index.length + " indices for input " + Arrays.toString(xShape));
            }
            int out = Math.toIntExact(g.outputSize(new long[] {xShape[2]})[0]);
            return new Plan((int) xShape[0], (int) xShape[1], (int) xShape[2], (int) w.size(0), g.kernel(0), g.stride(0), g.padding(0), out);
        }

        /**
         * Where in a {@code [K, C, D]} table the rows of output {@code o}'s taps start, one per tap
         * whose position holds a 1 (padding and all-zero positions have none), written to
         * {@code rows}; returns how many.
         */
        int picked(int[] index, int sample, int o, int[] rows) {
            int count = 0;
            for (int k = 0; k < this.k; k++) {
                int at = o * stride - pad + k;
                int ch = at < 0 || at >= length ? -1 : index[sample * length + at];
                if (ch >= 0) {
                    rows[count++] = (k * c + ch) * d;
                }
            }
            return count;
        }
    }
}
