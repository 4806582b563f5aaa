package org.convrelu.tensor.ops.cpu;

import java.lang.ref.Reference;
import java.nio.FloatBuffer;
import java.util.stream.IntStream;
import org.convrelu.tensor.ConvGeometry;
import org.convrelu.tensor.memory.HeapCopy;
import org.convrelu.tensor.memory.Scratch;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Pooling passes on the CPU, one pass per plane, spread over the cores:
 * <ul>
 *   <li>2×2 average pooling with stride 2 (DenseNet's transitions, Huang et al. 2017), float32
 *       {@code [N, C, H, W]} with even H and W. ND4J's {@code avgpool2d} (oneDNN) took four times
 *       as long at DenseNet's sizes (26 against 6.5 ms per step of the narrow DenseNet-BC, batch
 *       128, forward and backward).</li>
 *   <li>1D max pooling without padding (the char-CNN's pools of Zhang et al. 2015, and a max over
 *       all positions), float32 {@code [N, C, L]}. ND4J's {@code maxpool2d} on the lifted
 *       {@code [N, C, 1, L]} took about a fifth of the reduced MR char-CNN's training step.</li>
 *   <li>The mean over all positions (DenseNet's global average pool), float32 {@code [N, C, *S]}.
 *       Its ND4J backward, a broadcast of {@code [N, C]} over the positions, took 1.7 ms of a
 *       reduced DenseNet-BC step ({@code [64, 69, 4, 4]}).</li>
 * </ul>
 */
public final class DirectPool {
    private DirectPool() {}

    /** Whether {@link #avg2x2} covers {@code x}: float32 {@code [N, C, H, W]}, H and W even, on the CPU. */
    public static boolean covers(INDArray x) {
        return x.dataType() == DataType.FLOAT && x.rank() == 4 && x.size(2) % 2 == 0 && x.size(3) % 2 == 0
                && x.length() <= Integer.MAX_VALUE && CpuKernels.available();
    }

    /** {@code y[n, c, i, j] = (x[2i, 2j] + x[2i, 2j+1] + x[2i+1, 2j] + x[2i+1, 2j+1]) / 4}: {@code [N, C, H/2, W/2]}. */
    public static INDArray avg2x2(INDArray x) {
        require(x);
        int planes = Math.toIntExact(x.size(0) * x.size(1)), h = (int) x.size(2), w = (int) x.size(3);
        INDArray xd = HeapCopy.dense(x);
        INDArray y = Nd4j.createUninitialized(DataType.FLOAT, x.size(0), x.size(1), h / 2, w / 2);
        FloatBuffer xs = xd.data().asNioFloat(), ys = y.data().asNioFloat();
        IntStream.range(0, planes).parallel().forEach(p -> {
            float[] in = Scratch.floats(0, h * w);
            float[] out = Scratch.floats(1, h * w / 4);
            xs.get(p * h * w, in, 0, h * w);
            for (int i = 0; i < h / 2; i++) {
                int top = 2 * i * w, bottom = top + w, o = i * (w / 2);
                for (int j = 0; j < w / 2; j++) {
                    out[o + j] = (in[top + 2 * j] + in[top + 2 * j + 1] + in[bottom + 2 * j] + in[bottom + 2 * j + 1]) * 0.25f;
                }
            }
            ys.put(p * (h * w / 4), out, 0, h * w / 4);
        });
        Reference.reachabilityFence(xd);
        return y;
    }

    /** The gradient of {@link #avg2x2}: each input of a window receives a quarter of its output's gradient. */
    public static INDArray avg2x2Backward(INDArray dy, long[] xShape) {
        if (xShape.length != 4 || dy.rank() != 4 || dy.size(2) * 2 != xShape[2] || dy.size(3) * 2 != xShape[3]
                || dy.size(0) != xShape[0] || dy.size(1) != xShape[1] || dy.dataType() != DataType.FLOAT) {
            throw new IllegalArgumentException("2×2 average pooling of " + java.util.Arrays.toString(xShape) + " has no output gradient "
                    + dy.dataType() + " " + java.util.Arrays.toString(dy.shape()));
        }
        int planes = Math.toIntExact(xShape[0] * xShape[1]), h = (int) xShape[2], w = (int) xShape[3];
        INDArray dyd = HeapCopy.dense(dy);
        INDArray dx = Nd4j.createUninitialized(DataType.FLOAT, xShape);
        FloatBuffer dys = dyd.data().asNioFloat(), dxs = dx.data().asNioFloat();
        IntStream.range(0, planes).parallel().forEach(p -> {
            float[] g = Scratch.floats(0, h * w / 4);
            float[] out = Scratch.floats(1, h * w);
            dys.get(p * (h * w / 4), g, 0, h * w / 4);
            for (int i = 0; i < h / 2; i++) {
                int top = 2 * i * w, bottom = top + w, o = i * (w / 2);
                for (int j = 0; j < w / 2; j++) {
                    float quarter = g[o + j] * 0.25f;
                    out[top + 2 * j] = quarter;
                    out[top + 2 * j + 1] = quarter;
                    out[bottom + 2 * j] = quarter;
                    out[bottom + 2 * j + 1] = quarter;
                }
            }
            dxs.put(p * h * w, out, 0, h * w);
        });
        Reference.reachabilityFence(dyd);
        return dx;
    }

    /** Whether {@link #globalAvg} covers {@code x}: float32 {@code [N, C, *S]} on the CPU. */
    public static boolean coversGlobalAvg(INDArray x) {
        return x.dataType() == DataType.FLOAT && x.rank() >= 3 && x.length() <= Integer.MAX_VALUE && CpuKernels.available();
    }

    /** {@code y[n, c]} = the mean of {@code x[n, c, *S]}, summed in double. */
    public static INDArray globalAvg(INDArray x) {
        if (!coversGlobalAvg(x)) {
            throw new IllegalArgumentException("the CPU global average pool takes float32 [N, C, *S]; got " + x.dataType() + " "
                    + java.util.Arrays.toString(x.shape()));
        }
        int planes = Math.toIntExact(x.size(0) * x.size(1)), positions = Math.toIntExact(x.length() / planes);
        float[] in = HeapCopy.floats(x);
        float[] out = new float[planes];
        for (int p = 0; p < planes; p++) {
            double sum = 0;
            for (int i = p * positions; i < (p + 1) * positions; i++) {
                sum += in[i];
            }
            out[p] = (float) (sum / positions);
        }
        return HeapCopy.of(out, x.size(0), x.size(1));
    }

    /** The gradient of {@link #globalAvg}: every position of a plane receives its output's gradient over the positions. */
    public static INDArray globalAvgBackward(INDArray dy, long[] xShape) {
        if (xShape.length < 3 || dy.rank() != 2 || dy.size(0) != xShape[0] || dy.size(1) != xShape[1] || dy.dataType() != DataType.FLOAT) {
            throw new IllegalArgumentException("a global average pool of " + java.util.Arrays.toString(xShape) + " has no output gradient "
                    + dy.dataType() + " " + java.util.Arrays.toString(dy.shape()));
        }
        int planes = Math.toIntExact(xShape[0] * xShape[1]);
        long length = java.util.Arrays.stream(xShape).reduce(1, (a, b) -> a * b);
        int positions = Math.toIntExact(length / planes);
        float[] g = HeapCopy.floats(dy);
        float[] out = new float[Math.toIntExact(length)];
        for (int p = 0; p < planes; p++) {
            java.util.Arrays.fill(out, p * positions, (p + 1) * positions, g[p] / positions);
        }
        return HeapCopy.of(out, xShape);
    }

    /** Whether {@link #max1d} covers {@code x} and {@code g}: float32 {@code [N, C, L]} on the CPU, a 1D window without padding or dilation. */
    public static boolean coversMax1d(INDArray x, ConvGeometry g) {
        return x.dataType() == DataType.FLOAT && x.rank() == 3 && g.dims() == 1 && g.padding(0) == 0 && g.dilation(0) == 1
                && x.size(2) >= g.kernel(0) && x.length() <= Integer.MAX_VALUE && CpuKernels.available();
    }

    /** {@code y[n, c, o] = max_{k < K} x[n, c, o·s + k]}: {@code [N, C, (L − K) / s + 1]}. */
    public static INDArray max1d(INDArray x, ConvGeometry g) {
        requireMax1d(x, g);
        int planes = Math.toIntExact(x.size(0) * x.size(1)), length = (int) x.size(2);
        int window = g.kernel(0), stride = g.stride(0), outLength = (length - window) / stride + 1;
        INDArray xd = HeapCopy.dense(x);
        INDArray y = Nd4j.createUninitialized(DataType.FLOAT, x.size(0), x.size(1), outLength);
        FloatBuffer xs = xd.data().asNioFloat(), ys = y.data().asNioFloat();
        DirectConvRelu.forEachWorker(planes, (from, to) -> { // a range of planes a worker, copied in and out in one call each
            float[] in = Scratch.floats(0, (to - from) * length);
            float[] out = Scratch.floats(1, (to - from) * outLength);
            xs.get(from * length, in, 0, (to - from) * length);
            for (int p = 0; p < to - from; p++) {
                for (int o = 0; o < outLength; o++) {
                    out[p * outLength + o] = windowMax(in, p * length + o * stride, window);
                }
            }
            ys.put(from * outLength, out, 0, (to - from) * outLength);
            return null;
        });
        Reference.reachabilityFence(xd);
        return y;
    }

    /**
     * The gradient of {@link #max1d}: each output's gradient goes to the first position of its
     * window that holds the window's maximum (ND4J's and PyTorch's rule); positions that are the
     * maximum of no window receive 0, those of several windows the sum.
     */
    public static INDArray max1dBackward(INDArray x, INDArray dy, ConvGeometry g) {
        requireMax1d(x, g);
        int planes = Math.toIntExact(x.size(0) * x.size(1)), length = (int) x.size(2);
        int window = g.kernel(0), stride = g.stride(0), outLength = (length - window) / stride + 1;
        if (dy.dataType() != DataType.FLOAT || dy.rank() != 3 || dy.size(0) != x.size(0) || dy.size(1) != x.size(1) || dy.size(2) != outLength) {
            throw new IllegalArgumentException("max pooling " + g + " of " + java.util.Arrays.toString(x.shape()) + " has no output gradient "
                    + dy.dataType() + " " + java.util.Arrays.toString(dy.shape()));
        }
        INDArray xd = HeapCopy.dense(x);
        INDArray dyd = HeapCopy.dense(dy);
        INDArray dx = Nd4j.createUninitialized(DataType.FLOAT, x.shape());
        FloatBuffer xs = xd.data().asNioFloat(), dys = dyd.data().asNioFloat(), dxs = dx.data().asNioFloat();
        DirectConvRelu.forEachWorker(planes, (from, to) -> {
            float[] in = Scratch.floats(0, (to - from) * length);
            float[] grad = Scratch.floats(1, (to - from) * outLength);
            float[] out = Scratch.floats(2, (to - from) * length);
            xs.get(from * length, in, 0, (to - from) * length);
            dys.get(from * outLength, grad, 0, (to - from) * outLength);
            java.util.Arrays.fill(out, 0, (to - from) * length, 0f);
            for (int p = 0; p < to - from; p++) {
                for (int o = 0; o < outLength; o++) {
                    out[argmax(in, p * length + o * stride, window)] += grad[p * outLength + o];
                }
            }
            dxs.put(from * length, out, 0, (to - from) * length);
            return null;
        });
        Reference.reachabilityFence(xd);
        Reference.reachabilityFence(dyd);
        return dx;
    }

    /**
     * The maximum of {@code a[from, from + n)}, a NaN if it holds one. Without branches, and two
     * entries a step: with a loop of one or two turns a window, the JIT's loop set-up took 6× the
     * time of the work. A window of 3 (the char-CNN's max-pool) has no loop at all: with the pairs'
     * loop, [64, 64, 250] took 1.14 ms forward and 5.5 ms backward, straight it takes 0.74 and 1.7
     * (one core, in a workspace).
     */
    private static float windowMax(float[] a, int from, int n) {
        if (n == 3) {
            return Math.max(Math.max(a[from], a[from + 1]), a[from + 2]);
        }
        float max = a[from];
        int k = 1;
        for (; k + 1 < n; k += 2) {
            max = Math.max(max, Math.max(a[from + k], a[from + k + 1]));
        }
        if (k < n) {
            max = Math.max(max, a[from + k]);
        }
        return max;
    }

    /**
     * The first index of {@code a[from, from + n)} that holds its maximum; a NaN wins, so that it
     * reaches the output. The maximum first ({@link #windowMax}), then the entries before its first
     * occurrence counted without branches: which entry of a noisy window is larger is a coin toss that
     * the branch predictor loses. With {@link #windowMax}, a max-pool of 3 (the char-CNN's) takes
     * 0.68–0.71× the time of a branching search per window, forward and backward.
     */
    private static int argmax(float[] a, int from, int n) {
        float max = windowMax(a, from, n);
        if (max != max) {
            for (int i = from; ; i++) {
                if (a[i] != a[i]) {
                    return i;
                }
            }
        }
        if (n == 3) {
            int skipFirst = a[from] != max ? 1 : 0;
            return from + skipFirst + (skipFirst & (a[from + 1] != max ? 1 : 0));
        }
        int before = 0, searching = 1;
        for (int k = 0; k + 1 < n; k++) {
            searching &= a[from + k] != max ? 1 : 0;
            before += searching;
        }
        return from + before;
    }

    private static void requireMax1d(INDArray x, ConvGeometry g) {
        if (!coversMax1d(x, g)) {
            throw new IllegalArgumentException("max pooling here takes float32 [N, C, L] with L ≥ the window on the CPU and a 1D window"
                    + " without padding or dilation, got " + x.dataType() + " " + java.util.Arrays.toString(x.shape()) + " and " + g);
        }
    }

    private static void require(INDArray x) {
        if (!covers(x)) {
            throw new IllegalArgumentException("2×2 average pooling here takes float32 [N, C, H, W] with even H and W on the CPU, got "
                    + x.dataType() + " " + java.util.Arrays.toString(x.shape()));
        }
    }
}
