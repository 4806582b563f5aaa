package org.convrelu.tensor.ops.cpu;

import java.lang.ref.Reference;
import java.nio.FloatBuffer;
import java.util.stream.IntStream;
import org.convrelu.tensor.memory.HeapCopy;
import org.convrelu.tensor.memory.Scratch;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Batch normalisation's per-channel passes fused on the CPU (float32): statistics, the affine
 * output, and the backward, each one or two passes over a channel held in cache, instead of a
 * dozen ND4J ops with a fresh array each. Runs where {@link CpuKernels#available()}, on float32
 * arrays of rank 2 to 4; {@code org.convrelu.tensor.ops.Backends} chooses it.
 *
 * <p>Input {@code [N, C, *S]} is read as {@code [N, C, P]}, {@code P = Π S} (1 for {@code [N, C]}).
 */
public final class DirectBatchNorm {
    private DirectBatchNorm() {}

    /** Per-channel batch mean and biased variance of {@code x}, in double. */
    public record Moments(double[] mean, double[] variance) {}

    public static Moments moments(INDArray x) {
        Layout l = Layout.of(x);
        double[] mean = new double[l.c];
        double[] var = new double[l.c];
        INDArray xd = HeapCopy.dense(x);
        FloatBuffer xs = xd.data().asNioFloat();
        forChannels(l, c -> {
            float[] v = l.gather(xs, c, 0);
            int m = l.n * l.p;
            mean[c] = DirectBatchNormKernels.mean(v, m);
            var[c] = DirectBatchNormKernels.centredSquares(v, m, (float) mean[c]) / m;
        });
        Reference.reachabilityFence(xd);
        return new Moments(mean, var);
    }

    /** {@code y = x · scale[c] + shift[c]}. */
    public static INDArray affine(INDArray x, float[] scale, float[] shift) {
        Layout l = Layout.of(x);
        INDArray xd = HeapCopy.dense(x);
        INDArray y = Nd4j.createUninitialized(DataType.FLOAT, x.shape());
        FloatBuffer xs = xd.data().asNioFloat(), ys = y.data().asNioFloat();
        forChannels(l, c -> {
            float[] v = l.gather(xs, c, 0);
            DirectBatchNormKernels.affine(v, l.n * l.p, scale[c], shift[c]);
            l.scatter(v, ys, c);
        });
        Reference.reachabilityFence(xd);
        return y;
    }

    /** A training forward pass: the output and the batch's moments, rounded to float as the output used them. */
    public record Normalized(INDArray y, float[] mean, float[] variance, float[] invStd) {}

    /**
     * {@code y = γ·(x − mean)·invStd + β} with this batch's per-channel mean and biased variance,
     * {@code invStd = 1/√(variance + ε)}, in one gather of each channel: the same values as
     * {@link #moments} followed by {@link #affine}.
     */
    public static Normalized normalize(INDArray x, float[] gamma, float[] beta, double eps) {
        Layout l = Layout.of(x);
        float[] mean = new float[l.c];
        float[] var = new float[l.c];
        float[] invStd = new float[l.c];
        INDArray xd = HeapCopy.dense(x);
        INDArray y = Nd4j.createUninitialized(DataType.FLOAT, x.shape());
        FloatBuffer xs = xd.data().asNioFloat(), ys = y.data().asNioFloat();
        forChannels(l, c -> {
            float[] v = l.gather(xs, c, 0);
            int m = l.n * l.p;
            double mu = DirectBatchNormKernels.mean(v, m);
            mean[c] = (float) mu;
            var[c] = (float) (DirectBatchNormKernels.centredSquares(v, m, (float) mu) / m);
            invStd[c] = (float) (1 / Math.sqrt(var[c] + eps));
            float scale = gamma[c] * invStd[c];
            DirectBatchNormKernels.affine(v, m, scale, beta[c] - mean[c] * scale);
            l.scatter(v, ys, c);
        });
        Reference.reachabilityFence(xd);
        return new Normalized(y, mean, var, invStd);
    }

    /** Gradients of batch normalisation: {@code dx}, and {@code dγ}, {@code dβ} per channel. */
    public record Grads(INDArray dx, float[] dGamma, float[] dBeta) {}

    /**
     * Backward of {@code y = γ·x̂ + β}, {@code x̂ = (x − mean)·invStd}. With {@code batchStatistics}
     * (training) mean and invStd came from this batch and {@code dx = γ·invStd·(dy − mean(dy) − x̂·mean(dy·x̂))};
     * otherwise they were constants and {@code dx = γ·invStd·dy}.
     */
    public static Grads backward(INDArray x, INDArray dy, float[] mean, float[] invStd, float[] gamma, boolean batchStatistics) {
        Layout l = Layout.of(x);
        INDArray xd = HeapCopy.dense(x);
        INDArray dyd = HeapCopy.dense(dy);
        INDArray dx = Nd4j.createUninitialized(DataType.FLOAT, x.shape());
        FloatBuffer xs = xd.data().asNioFloat(), dys = dyd.data().asNioFloat(), dxs = dx.data().asNioFloat();
        float[] dGamma = new float[l.c];
        float[] dBeta = new float[l.c];
        forChannels(l, c -> {
            float[] v = l.gather(xs, c, 0);
            float[] g = l.gather(dys, c, 1);
            int m = l.n * l.p;
            double[] sums = DirectBatchNormKernels.gradientSums(v, g, m, mean[c], invStd[c]); // Σ dy, Σ dy·x̂
            dBeta[c] = (float) sums[0];
            dGamma[c] = (float) sums[1];
            float a = gamma[c] * invStd[c];
            if (batchStatistics) {
                // dx = a·dy − a·Σdy/M − a·(x − mean)·invStd·Σ(dy·x̂)/M = a·dy + k·x + k0
                float k = (float) (-a * invStd[c] * sums[1] / m);
                float k0 = (float) (-a * sums[0] / m - k * mean[c]);
                DirectBatchNormKernels.linear(g, m, a, v, k, k0);
            } else {
                DirectBatchNormKernels.affine(g, m, a, 0f);
            }
            l.scatter(g, dxs, c);
        });
        Reference.reachabilityFence(xd);
        Reference.reachabilityFence(dyd);
        return new Grads(dx, dGamma, dBeta);
    }

    private interface ChannelWork {
        void run(int c);
    }

    private static void forChannels(Layout l, ChannelWork work) {
        IntStream.range(0, l.c).parallel().forEach(work::run);
    }

    /** {@code [n, c, p]} view of the array; a channel is {@code n} runs of {@code p} floats. */
    private record Layout(int n, int c, int p) {
        static Layout of(INDArray x) {
            CpuKernels.require();
            if (x.dataType() != DataType.FLOAT || x.rank() < 2 || x.length() > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("the fused batch norm takes float32 [N, C, *S] within 2³¹ values, got "
                        + x.dataType() + " " + java.util.Arrays.toString(x.shape()));
            }
            int n = Math.toIntExact(x.size(0)), c = Math.toIntExact(x.size(1));
            return new Layout(n, c, Math.toIntExact(x.length() / ((long) n * c)));
        }

        /** The channel's values, in this thread's scratch array {@code slot}. */
        float[] gather(FloatBuffer from, int channel, int slot) {
            float[] v = Scratch.floats(slot, n * p);
            for (int i = 0; i < n; i++) {
                from.get((i * c + channel) * p, v, i * p, p);
            }
            return v;
        }

        void scatter(float[] v, FloatBuffer to, int channel) {
            for (int i = 0; i < n; i++) {
                to.put((i * c + channel) * p, v, i * p, p);
            }
        }
    }
}
