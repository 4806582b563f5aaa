package org.convrelu.tensor.ops.cpu;

import java.lang.ref.Reference;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.convrelu.tensor.ConvGeometry;
import org.convrelu.tensor.PaddedInput;
import org.convrelu.tensor.memory.HeapCopy;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * ConvReLU (eq. 8 of Gao, Cai, Ji 2020) as one fused, cache-blocked direct convolution on the
 * CPU: {@code y[n,d,o] = Σ_{c,k} W[d,c,k] · max(x[n,c,o+k], θ[c,k])} and its gradients, without
 * materialising the {@code [C·K, N·P]} patch matrix.
 *
 * <p>Scope: float32, 1D or 2D windows with stride 1 (any size, padding and dilation), padding
 * thresholded as eq. 8 reads ({@link PaddedInput#THRESHOLDED}), in a JVM where
 * {@link CpuKernels#available()}. {@code org.convrelu.tensor.ops.Backends} sends other calls to
 * another implementation; all are pinned to {@code org.convrelu.tensor.ops.reference.Reference}.
 *
 * <p>How: a group of samples' inputs is laid out zero-padded, {@code xp [C, plane]}: rows of
 * {@code Wp = W + padW} (a row's trailing zeros pad the next row's start as well), the samples one
 * below the other with {@code padH} zero rows between them (shared the same way). Output position
 * {@code q} on that padded-width grid reads kernel position {@code k} at the constant shift
 * {@code off[k] = kh·dilH·Wp + kw·dilW}, so a tile of patch rows is a run of contiguous vector loads
 * and maxes; the grid positions that are not outputs (past {@code oW} in a row, between samples) are
 * computed and dropped (their output gradient is zero). Grouping samples gives small images (8×8,
 * 4×4) grids long enough for the micro-kernels' blocks. Per tile of {@code T} positions: build
 * {@code B[C·K, T] = max(xp shifted, θ)} in cache, then
 * <ul>
 *   <li>forward {@code Y[D, T] = W[D, C·K] · B + b};</li>
 *   <li>backward {@code dW += dY · Bᵀ}, {@code db += Σ dY}, {@code G = Wᵀ · dY}, and per entry of G:
 *       to {@code dx} where {@code x > θ}, else (ties included, eq. 6) to {@code dθ}.</li>
 * </ul>
 * Samples are split across the cores; the products run on {@code jdk.incubator.vector}
 * register-blocked micro-kernels ({@link ConvReluForwardKernels}, {@link ConvReluBackwardKernels}).
 */
public final class DirectConvRelu {
    private DirectConvRelu() {}

    /**
     * @param x input {@code [N, C, *S]} (float32)
     * @param w weights {@code [D, C, *kernel]}
     * @param theta thresholds, {@code C·K} values in {@code [C, *kernel]} order
     * @param bias {@code [D]}, added to every output position, or null
     * @return {@code y [N, D, *O]}
     */
    public static INDArray forward(INDArray x, INDArray w, INDArray theta, INDArray bias, ConvGeometry g) {
        CpuKernels.require();
        Plan plan = Plan.of(x.shape(), w, theta, g);
        INDArray xd = HeapCopy.dense(requireFloat(x, "input"));
        float[] ws = HeapCopy.floats(w);
        float[] ts = HeapCopy.floats(theta);
        float[] bs = bias == null ? null : HeapCopy.floats(bias);
        if (bs != null && bs.length != plan.d) {
            throw new IllegalArgumentException("bias has " + bs.length + " values for " + plan.d + " output channels");
        }
        INDArray y = Nd4j.createUninitialized(DataType.FLOAT, plan.outputShape(x.shape()));
        FloatBuffer xs = xd.data().asNioFloat(), ys = y.data().asNioFloat();
        float[] wt = ConvReluForwardKernels.directForward(plan.d) ? new float[ws.length] : null; // Wᵀ [C·K, D] for the narrow path
        if (wt != null) {
            ConvReluLayout.transpose(ws, plan.d, plan.rows(), wt);
        }
        forEachWorker(plan.n, (from, to) -> {
            ConvReluForwardKernels.forward(plan, xs, ws, wt, ts, bs, ys, from, to);
            return null;
        });
        // The buffers view native memory that ND4J frees once its array is collected: keep the arrays alive until here.
        Reference.reachabilityFence(xd);
        return y;
    }

    /** Gradients of {@link #forward}: {@code dx} shaped like x, {@code dW} like w, {@code dθ} like θ, {@code db [D]}. */
    public record Grads(INDArray dx, INDArray dW, INDArray dTheta, INDArray dBias) {}

    /** Which gradients {@link #backward} computes; {@code dW} and {@code db} always. */
    public enum Gradients {
        /** {@code dx} and {@code dθ}: ConvReLU, each kernel position's gradient routed by its own threshold (eq. 5-6). */
        INPUT_AND_THRESHOLDS,
        /**
         * {@code dx} only, for thresholds that are one per input channel (every kernel position of a
         * channel the same): a ReLU in front of the convolution (θ = 0) or none (θ = −∞). Every input
         * then passes or stops the same way at each kernel position it is read at, so the kernel
         * positions' gradients are summed into the input first and masked once, {@code dx = [x > θ_c] · Σ_k G}:
         * a K-th of the masking, and no threshold sums.
         */
        INPUT,
        /** Neither {@code dx} nor {@code dθ}: a network's first convolution, whose input gradient nobody reads. */
        WEIGHTS
    }

    /** @param dy gradient of the output, {@code [N, D, *O]} */
    public static Grads backward(INDArray x, INDArray w, INDArray theta, INDArray dy, ConvGeometry g) {
        return backward(x, w, theta, dy, g, Gradients.INPUT_AND_THRESHOLDS);
    }

    /**
     * As {@link #backward(INDArray, INDArray, INDArray, INDArray, ConvGeometry)}, computing only the
     * gradients {@code which} names; the others are null in the result.
     *
     * @throws IllegalArgumentException for {@link Gradients#INPUT} with thresholds that differ within a channel
     */
    public static Grads backward(INDArray x, INDArray w, INDArray theta, INDArray dy, ConvGeometry g, Gradients which) {
        CpuKernels.require();
        Plan plan = Plan.of(x.shape(), w, theta, g);
        long[] yShape = plan.outputShape(x.shape());
        if (!Arrays.equals(dy.shape(), yShape)) {
            throw new IllegalArgumentException("output gradient has shape " + Arrays.toString(dy.shape()) + ", expected "
                    + Arrays.toString(yShape));
        }
        INDArray xd = HeapCopy.dense(requireFloat(x, "input"));
        INDArray dyd = HeapCopy.dense(requireFloat(dy, "output gradient"));
        float[] ws = HeapCopy.floats(w);
        float[] ts = HeapCopy.floats(theta);
        boolean inputGradient = which != Gradients.WEIGHTS, thresholdGradient = which == Gradients.INPUT_AND_THRESHOLDS;
        if (which == Gradients.INPUT) {
            requireOnePerChannel(ts, plan);
        }
        INDArray dx = inputGradient ? Nd4j.createUninitialized(DataType.FLOAT, x.shape()) : null;
        FloatBuffer xs = xd.data().asNioFloat(), dys = dyd.data().asNioFloat(), dxs = dx == null ? null : dx.data().asNioFloat();
        int rows = plan.rows(), d = plan.d;
        float[] wt = new float[ws.length]; // Wᵀ [C·K, D]
        ConvReluLayout.transpose(ws, d, rows, wt);
        List<float[][]> partials = forEachWorker(plan.n, (from, to) -> {
            float[] dWt = new float[ws.length];
            float[] dTheta = thresholdGradient ? new float[ts.length] : null;
            float[] dBias = new float[d];
            ConvReluBackwardKernels.backward(plan, xs, wt, ts, dys, dxs, dWt, dTheta, dBias, from, to);
            return new float[][] {dWt, dTheta, dBias};
        });
        Reference.reachabilityFence(xd); // see forward
        Reference.reachabilityFence(dyd);
        float[] dWt = partials.get(0)[0];
        float[] dTheta = partials.get(0)[1];
        float[] dBias = partials.get(0)[2];
        for (float[][] p : partials.subList(1, partials.size())) {
            addInto(dWt, p[0]);
            if (thresholdGradient) {
                addInto(dTheta, p[1]);
            }
            addInto(dBias, p[2]);
        }
        float[] dW = new float[ws.length];
        ConvReluLayout.transpose(dWt, rows, d, dW);
        return new Grads(dx, HeapCopy.of(dW, w.shape()), thresholdGradient ? HeapCopy.of(dTheta, theta.shape()) : null,
                HeapCopy.of(dBias, d));
    }

    private static void requireOnePerChannel(float[] thresholds, Plan plan) {
        int k = plan.kernelVolume();
        for (int r = 0; r < thresholds.length; r++) {
            if (thresholds[r] != thresholds[r - r % k]) {
                throw new IllegalArgumentException("an input gradient without threshold gradients needs one threshold per input channel;"
                        + " channel " + r / k + " has " + thresholds[r - r % k] + " at kernel position 0 and " + thresholds[r]
                        + " at " + r % k);
            }
        }
    }

    private static INDArray requireFloat(INDArray a, String what) {
        if (a.dataType() != DataType.FLOAT) {
            throw new IllegalArgumentException("the direct kernel is float32; the " + what + " is " + a.dataType());
        }
        return a;
    }

    /** {@code sum[i] += part[i]} over {@code sum}'s length; {@code part} may be longer (a scratch array). */
    static void addInto(float[] sum, float[] part) {
        for (int i = 0; i < sum.length; i++) {
            sum[i] += part[i];
        }
    }

    /** Work on samples {@code [from, to)}. */
    interface SampleRange<R> {
        R run(int from, int to);
    }

    /**
     * How many contiguous ranges a call's samples are split into, each with its own partial sums
     * of the gradients: one per core by default. The partial sums are added in range order, so the
     * numbers a cell trains to depend on this count and not on the cores that run the ranges;
     * {@code -Dconvrelu.partitions} fixes it, so that a cell run on one core of two gives the
     * parameters it would on both.
     */
    public static final int PARTITIONS = Math.max(1, Integer.getInteger("convrelu.partitions", Runtime.getRuntime().availableProcessors()));

    /** Splits {@code n} samples into {@link #PARTITIONS} contiguous ranges and runs them in parallel. */
    static <R> List<R> forEachWorker(int n, SampleRange<R> work) {
        int workers = Math.max(1, Math.min(n, PARTITIONS));
        return IntStream.range(0, workers).parallel()
                .mapToObj(i -> work.run((int) ((long) n * i / workers), (int) ((long) n * (i + 1) / workers)))
                .toList();
    }

    /**
     * The grid of a group of samples reaches this many positions where the samples are small
     * enough, so that the micro-kernels run over long rows of vectors rather than a few per sample;
     * {@code -Dconvrelu.groupColumns} moves it.
     */
    static final int GROUP_COLUMNS = Integer.getInteger("convrelu.groupColumns", 256);

    /**
     * The sizes of one call, all as ints: input {@code [n, c, h, w]} (1D: h = 1), padded rows of
     * {@code wp}, output {@code oh × ow}, {@code rows = C·K} patch rows with their shifts, the tile
     * width, {@code group} samples laid out {@code sampleStride} positions apart on one padded-width
     * output grid of {@code qPad} positions (a multiple of the tile), and the length of a channel's
     * plane in {@code xp} (a multiple of the vector length).
     */
    record Plan(int n, int c, int h, int w, int d, int padH, int padW, int wp, int oh, int ow, int kernelVolume,
            int[] shifts, int tile, int group, int sampleStride, int qPad, int planeLength) {
        /**
         * Bytes of thresholded patches per tile: 512 KiB, or 256 KiB where the output tiles are wide too
         * (D ≥ 128), so that the tiles of a step stay in a 2 MiB L2 (measured at the benchmark shapes).
         */
        private static int tileBytes(int outChannels) {
            return outChannels >= 128 ? 256 * 1024 : 512 * 1024;
        }

        static Plan of(long[] xShape, INDArray w, INDArray theta, ConvGeometry g) {
            int dims = g.dims();
            if (xShape.length != dims + 2 || dims > 2) {
                throw new IllegalArgumentException("input must be [N, C, " + g.spatialNames() + "], got " + Arrays.toString(xShape));
            }
            int n = Math.toIntExact(xShape[0]), c = Math.toIntExact(xShape[1]);
            int h = dims == 2 ? Math.toIntExact(xShape[2]) : 1, wIn = Math.toIntExact(xShape[dims + 1]);
            int kh = dims == 2 ? g.kernel(0) : 1, kw = g.kernel(dims - 1);
            int padH = dims == 2 ? g.padding(0) : 0, padW = g.padding(dims - 1);
            int dilH = dims == 2 ? g.dilation(0) : 1, dilW = g.dilation(dims - 1);
            int oh = h + 2 * padH - dilH * (kh - 1), ow = wIn + 2 * padW - dilW * (kw - 1);
            if (oh < 1 || ow < 1) {
                throw new IllegalArgumentException("window " + g + " does not fit input " + Arrays.toString(xShape));
            }
            int kernelVolume = kh * kw;
            if (w.length() % kernelVolume != 0 || w.length() / kernelVolume % c != 0 || w.size(1) != c) {
                throw new IllegalArgumentException("weights " + Arrays.toString(w.shape()) + " do not fit " + c + " input channels and " + g);
            }
            if (theta.length() != (long) c * kernelVolume) {
                throw new IllegalArgumentException("expected " + c * kernelVolume + " thresholds (C=" + c + " × K=" + kernelVolume
                        + "), got shape " + Arrays.toString(theta.shape()));
            }
            if (w.dataType() != DataType.FLOAT || theta.dataType() != DataType.FLOAT) {
                throw new IllegalArgumentException("the direct kernel is float32; weights are " + w.dataType() + ", thresholds "
                        + theta.dataType());
            }
            if (Arrays.stream(g.stride()).anyMatch(st -> st != 1)) {
                throw new IllegalArgumentException("the direct kernel takes stride 1, got " + g);
            }
            // A window reads at most padW columns left of a row and right of it: one run of padW zeros between rows
            // pads both sides (the left ones wrap to the previous row's end). Rows hold the ow outputs too.
            int wp = Math.max(wIn + padW, ow);
            // Likewise padH zero rows between samples; a sample's rows hold its oh output rows.
            int sampleStride = Math.max(h + padH, oh) * wp;
            int[] shifts = new int[kernelVolume];
            for (int i = 0; i < kh; i++) {
                for (int j = 0; j < kw; j++) {
                    shifts[i * kw + j] = i * dilH * wp + j * dilW;
                }
            }
            int rows = c * kernelVolume;
            int group = groupSize(n, sampleStride);
            int block = VectorGemm.tileBlock(), lanes = VectorGemm.vectorLength();
            long grid = (long) (group - 1) * sampleStride + (long) oh * wp; // the last sample's output rows end the grid
            int fitting = Math.max(block, tileBytes(Math.toIntExact(w.size(0))) / Float.BYTES / rows / block * block);
            long tiles = (grid + fitting - 1) / fitting;
            long tile = ((grid + tiles - 1) / tiles + lanes - 1) / lanes * lanes; // equal tiles of whole vectors
            long qPad = tiles * tile;
            long planeLength = (Math.max((long) group * sampleStride, qPad + shifts[kernelVolume - 1]) + lanes - 1) / lanes * lanes;
            if ((long) c * planeLength > Integer.MAX_VALUE || (long) n * c * h * wIn > Integer.MAX_VALUE
                    || (long) n * w.size(0) * oh * ow > Integer.MAX_VALUE || w.size(0) * qPad > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("input " + Arrays.toString(xShape) + " is too large for one call; split the batch");
            }
            return new Plan(n, c, h, wIn, Math.toIntExact(w.size(0)), padH, padW, wp, oh, ow, kernelVolume, shifts, (int) tile, group,
                    sampleStride, (int) qPad, (int) planeLength);
        }

        /**
         * Samples per group: enough for {@link #GROUP_COLUMNS} grid positions, at most a worker's
         * share of the batch, and split evenly over that share (32 samples in groups of 11, 11, 10
         * rather than 12, 12, 8).
         */
        private static int groupSize(int n, int sampleStride) {
            int workers = Math.max(1, Math.min(n, PARTITIONS));
            int share = (n + workers - 1) / workers;
            int wanted = Math.max(1, (GROUP_COLUMNS + sampleStride - 1) / sampleStride);
            int groups = (share + wanted - 1) / wanted;
            return (share + groups - 1) / groups;
        }

        int rows() {
            return c * kernelVolume;
        }

        /** Floats of a group's inputs or outputs, whichever are more: the staging between native memory and the heap. */
        int groupLength() {
            return group * Math.max(c * h * w, d * oh * ow);
        }

        long[] outputShape(long[] xShape) {
            return xShape.length == 3 ? new long[] {n, d, ow} : new long[] {n, d, oh, ow};
        }
    }
}
