package org.convrelu.tensor.ops.cpu;

import java.lang.ref.Reference;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.List;
import org.convrelu.tensor.memory.HeapCopy;
import org.convrelu.tensor.memory.Scratch;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The paper's leaky baselines as single CPU passes over float32 {@code [N, C, *S]} arrays, spread
 * over the cores: {@code f(x) = x} for {@code x > 0}, else {@code s·x}, with a slope {@code s} that is
 * fixed (LeakyReLU, Maas et al. 2013), one trainable value for the layer or one per channel (PReLU,
 * He et al. 2015).
 *
 * <p>A forward pass reads x once and writes y; a backward pass reads x and dy once and writes dx,
 * with the slope gradient {@code ∂L/∂s_c = Σ dy·x} over the {@code x ≤ 0} of channel c (float lanes
 * over a run of one channel, then float64 across runs). ND4J's
 * element-wise ops take one pass and one array the size of x per step of the formula: a PReLU
 * forward and backward took 15 passes and 10 such arrays. At {@code [128, 48, 16, 16]} (the reduced
 * DenseNet-BC's first block), forward and backward on 2 cores: LeakyReLU 4.0 against 6.3 ms, PReLU
 * 4.5 against 14.7 ms.
 */
public final class DirectActivation {
    /** Elements per bulk copy between ND4J's buffers and the heap. */
    private static final int CHUNK = 16 * 1024;

    private DirectActivation() {}

    /** Whether the passes cover {@code x}: float32 of rank ≥ 2 ({@code [N, C, ...]}), on the CPU. */
    public static boolean covers(INDArray x) {
        return x.dataType() == DataType.FLOAT && x.rank() >= 2 && x.length() <= Integer.MAX_VALUE && CpuKernels.available();
    }

    /**
     * {@code y = x > 0 ? x : s_c·x}.
     *
     * @param x {@code [N, C, *S]}, float32
     * @param slopes one slope for every channel, or C (one per channel)
     * @return y, shaped like x
     */
    public static INDArray forward(INDArray x, float[] slopes) {
        Layout l = Layout.of(x, slopes);
        INDArray xd = HeapCopy.dense(x);
        INDArray y = Nd4j.createUninitialized(DataType.FLOAT, x.shape(), 'c');
        FloatBuffer xs = xd.data().asNioFloat(), ys = y.data().asNioFloat();
        DirectConvRelu.forEachWorker(l.length, (from, to) -> {
            float[] in = Scratch.floats(0, CHUNK), out = Scratch.floats(1, CHUNK);
            for (int start = from; start < to; start += CHUNK) {
                int len = Math.min(CHUNK, to - start);
                xs.get(start, in, 0, len);
                for (int i = 0; i < len; ) {
                    int end = l.segmentEnd(start, i, len);
                    DirectActivationKernels.forward(in, out, i, end, slopes[l.channel(start + i)]);
                    i = end;
                }
                ys.put(start, out, 0, len);
            }
            return null;
        });
        Reference.reachabilityFence(xd); // the buffers view native memory that ND4J frees once its array is collected
        return y;
    }

    /** The gradients of {@link #forward}: dx shaped like x, and one slope gradient per slope (null where not asked for). */
    public record Grads(INDArray dx, double[] dSlopes) {}

    /**
     * {@code dx = dy · (x > 0 ? 1 : s_c)} and, with {@code slopeGradients}, {@code ∂L/∂s_c = Σ dy·x}
     * over the {@code x ≤ 0} of the channels that share {@code s_c}.
     *
     * @param x the forward pass's input {@code [N, C, *S]}
     * @param dy the gradient of its output, shaped like x
     */
    public static Grads backward(INDArray x, INDArray dy, float[] slopes, boolean slopeGradients) {
        Layout l = Layout.of(x, slopes);
        if (!Arrays.equals(dy.shape(), x.shape()) || dy.dataType() != DataType.FLOAT) {
            throw new IllegalArgumentException("output gradient " + dy.dataType() + " " + Arrays.toString(dy.shape())
                    + " does not match the input, FLOAT " + Arrays.toString(x.shape()));
        }
        INDArray xd = HeapCopy.dense(x);
        INDArray dyd = HeapCopy.dense(dy);
        INDArray dx = Nd4j.createUninitialized(DataType.FLOAT, x.shape(), 'c');
        FloatBuffer xs = xd.data().asNioFloat(), dys = dyd.data().asNioFloat(), dxs = dx.data().asNioFloat();
        List<double[]> partials = DirectConvRelu.forEachWorker(l.length, (from, to) -> {
            float[] in = Scratch.floats(0, CHUNK), g = Scratch.floats(1, CHUNK), out = Scratch.floats(2, CHUNK);
            double[] dSlopes = new double[slopes.length];
            for (int start = from; start < to; start += CHUNK) {
                int len = Math.min(CHUNK, to - start);
                xs.get(start, in, 0, len);
                dys.get(start, g, 0, len);
                for (int i = 0; i < len; ) {
                    int end = l.segmentEnd(start, i, len);
                    int c = l.channel(start + i);
                    dSlopes[c] += DirectActivationKernels.backward(in, g, out, i, end, slopes[c]);
                    i = end;
                }
                dxs.put(start, out, 0, len);
            }
            return dSlopes;
        });
        Reference.reachabilityFence(xd);
        Reference.reachabilityFence(dyd);
        if (!slopeGradients) {
            return new Grads(dx, null);
        }
        double[] dSlopes = new double[slopes.length];
        for (double[] p : partials) { // in worker order: the same sum for the same split
            for (int c = 0; c < dSlopes.length; c++) {
                dSlopes[c] += p[c];
            }
        }
        return new Grads(dx, dSlopes);
    }

    /**
     * Where the channels change in the flat c-order array: {@code plane} elements per (sample, channel)
     * pair, {@code channels} per sample; {@code shared} when one slope serves them all.
     */
    private record Layout(int length, int plane, int channels, boolean shared) {
        static Layout of(INDArray x, float[] slopes) {
            if (!covers(x)) {
                throw new IllegalArgumentException("the direct activation takes float32 [N, C, ...] on the CPU, got " + x.dataType() + " "
                        + Arrays.toString(x.shape()) + (CpuKernels.available() ? "" : " (" + CpuKernels.unavailable() + ")"));
            }
            int channels = Math.toIntExact(x.size(1));
            if (slopes.length != 1 && slopes.length != channels) {
                throw new IllegalArgumentException(slopes.length + " slopes for " + channels + " channels (expected 1 or " + channels + ")");
            }
            int length = Math.toIntExact(x.length());
            int plane = x.size(0) * channels == 0 ? 1 : Math.toIntExact(x.length() / (x.size(0) * channels));
            return new Layout(length, plane, channels, slopes.length == 1);
        }

        /** The slope index of flat element {@code e}. */
        int channel(int e) {
            return shared ? 0 : e / plane % channels;
        }

        /** The end (exclusive, within a chunk from {@code start} of {@code len}) of the run of one slope that holds element i. */
        int segmentEnd(int start, int i, int len) {
            if (shared) {
                return len;
            }
            int e = start + i;
            long planeEnd = ((long) e / plane + 1) * plane;
            return (int) Math.min(len, planeEnd - start);
        }
    }
}
