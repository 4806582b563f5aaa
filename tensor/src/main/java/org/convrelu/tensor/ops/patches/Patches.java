package org.convrelu.tensor.ops.patches;

import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.stream.IntStream;
import org.convrelu.tensor.ConvGeometry;
import org.convrelu.tensor.PaddedInput;
import org.convrelu.tensor.memory.HeapCopy;
import org.convrelu.tensor.ops.reference.Reference;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Patch extraction (im2col) for 1D, 2D and 3D windows, its adjoint (col2im), and the fused
 * threshold-max of ConvReLU (eq. 8 of Gao, Cai, Ji 2020), on the CPU.
 *
 * <p>Layout, the one the convolution GEMM needs: for an input {@code x [N, C, *S]} and a window of
 * {@code K} kernel positions with {@code P} output positions per sample,
 * {@code cols [C·K, N·P]}: row {@code c·K + k} (channel-major, then kernel position in c order),
 * column {@code n·P + p}. A convolution is then {@code y[D, N·P] = W[D, C·K] · cols}.
 *
 * <p>These kernels are Java loops over heap copies (ND4J's own {@code im2col} op is several times
 * slower on this CPU); {@code ops.nd4j.ThresholdMax} is the same threshold-max in plain ND4J ops, and the
 * tests pin both to {@code org.convrelu.tensor.ops.reference.Reference}.
 */
public final class Patches {
    private Patches() {}

    /** {@code cols [C·K, N·P]} of {@code x [N, C, *S]}; padded positions read zero. */
    public static INDArray im2col(INDArray x, ConvGeometry g) {
        return extract(x, g, null, PaddedInput.ZERO);
    }

    /**
     * ConvReLU's thresholded patches: {@code cols[c·K + k, n·P + p] = max(x at that window entry, θ[c, k])},
     * with padded entries as {@code padded} says.
     *
     * @param theta thresholds, {@code C·K} values in c order (e.g. shaped {@code [C, *kernel]})
     */
    public static INDArray im2colThresholded(INDArray x, ConvGeometry g, INDArray theta, PaddedInput padded) {
        return extract(x, g, theta, padded);
    }

    /** The adjoint of {@link #im2col}: scatter-adds {@code dcols [C·K, N·P]} back into {@code dx} of shape {@code xShape}. */
    public static INDArray col2im(INDArray dcols, ConvGeometry g, long[] xShape) {
        return scatter(dcols, null, null, g, xShape, PaddedInput.ZERO).dx();
    }

    /** Gradients of the thresholded patches with respect to the input and the thresholds. */
    public record ThresholdedGrads(INDArray dx, INDArray dTheta) {}

    /**
     * The adjoint of {@link #im2colThresholded}, given the gradient {@code dcols} of its output
     * {@code cols}: an entry where {@code cols == θ} (the input was ≤ θ, eq. 6) sends its gradient
     * to θ, any other entry to the input it read. Ties go to θ. Padded entries reach θ only
     * under {@link PaddedInput#THRESHOLDED} where {@code θ ≥ 0}.
     *
     * @return {@code dx} shaped {@code xShape} and {@code dTheta [C·K]}
     */
    public static ThresholdedGrads col2imThresholded(INDArray dcols, INDArray cols, INDArray theta, ConvGeometry g,
            long[] xShape, PaddedInput padded) {
        return scatter(dcols, cols, theta, g, xShape, padded);
    }

    private static INDArray extract(INDArray x, ConvGeometry g, INDArray theta, PaddedInput padded) {
        Layout l = Layout.of(x.shape(), g);
        DataType type = floatingType(x, "input");
        if (theta != null) {
            requireThetas(theta, l, type);
        }
        INDArray cols = Nd4j.createUninitialized(type, (long) l.rows(), (long) l.columns()); // [C·K, N·P]
        if (type == DataType.FLOAT) {
            extractFloat(HeapCopy.floats(x), theta == null ? null : HeapCopy.floats(theta), padded, l, cols.data().asNioFloat());
        } else {
            extractDouble(HeapCopy.doubles(x), theta == null ? null : HeapCopy.doubles(theta), padded, l, cols.data().asNioDouble());
        }
        return cols;
    }

    private static ThresholdedGrads scatter(INDArray dcols, INDArray cols, INDArray theta, ConvGeometry g, long[] xShape,
            PaddedInput padded) {
        Layout l = Layout.of(xShape, g);
        DataType type = floatingType(dcols, "patch gradient");
        requireShape(dcols, l, "patch gradient");
        if (theta != null) {
            requireThetas(theta, l, type);
            requireShape(cols, l, "thresholded patches");
        }
        // Dense arrays kept reachable while their native memory is read through NIO views.
        INDArray dcolsDense = HeapCopy.dense(dcols);
        INDArray colsDense = theta == null ? null : HeapCopy.dense(cols);
        try {
            return type == DataType.FLOAT ? scatterFloat32(dcolsDense, colsDense, theta, padded, l, xShape)
                    : scatterFloat64(dcolsDense, colsDense, theta, padded, l, xShape);
        } finally {
            java.lang.ref.Reference.reachabilityFence(dcolsDense);
            java.lang.ref.Reference.reachabilityFence(colsDense);
        }
    }

    private static ThresholdedGrads scatterFloat32(INDArray dcols, INDArray cols, INDArray theta, PaddedInput padded, Layout l,
            long[] xShape) {
        float[] dx = new float[l.inputLength()];
        float[] dTheta = theta == null ? null : new float[l.rows()];
        scatterFloat(dcols.data().asNioFloat(), theta == null ? null : cols.data().asNioFloat(),
                theta == null ? null : HeapCopy.floats(theta), padded, l, dx, dTheta);
        return new ThresholdedGrads(HeapCopy.of(dx, xShape), dTheta == null ? null : HeapCopy.of(dTheta, l.rows()));
    }

    private static ThresholdedGrads scatterFloat64(INDArray dcols, INDArray cols, INDArray theta, PaddedInput padded, Layout l,
            long[] xShape) {
        double[] dx = new double[l.inputLength()];
        double[] dTheta = theta == null ? null : new double[l.rows()];
        scatterDouble(dcols.data().asNioDouble(), theta == null ? null : cols.data().asNioDouble(),
                theta == null ? null : HeapCopy.doubles(theta), padded, l, dx, dTheta);
        return new ThresholdedGrads(HeapCopy.of(dx, xShape), dTheta == null ? null : HeapCopy.of(dTheta, l.rows()));
    }

    // ---- float32 kernels ------------------------------------------------------------------

    private static void extractFloat(float[] x, float[] theta, PaddedInput padded, Layout l, FloatBuffer cols) {
        int[] at = l.index.offsets;
        int K = l.index.kernelVolume, P = l.index.positions, plane = l.index.planeSize, N = l.n, C = l.c;
        IntStream.range(0, C).parallel().forEach(c -> {
            float[] row = new float[N * P];
            for (int k = 0; k < K; k++) {
                int r = c * K + k;
                float t = theta == null ? Float.NEGATIVE_INFINITY : theta[r];
                float padValue = theta != null && padded == PaddedInput.THRESHOLDED ? Math.max(0f, t) : 0f;
                for (int n = 0; n < N; n++) {
                    int base = (n * C + c) * plane, o = n * P, kp = k * P;
                    for (int p = 0; p < P; p++) {
                        int i = at[kp + p];
                        row[o + p] = i < 0 ? padValue : Math.max(x[base + i], t);
                    }
                }
                cols.put(r * N * P, row);
            }
        });
    }

    private static void scatterFloat(FloatBuffer dcols, FloatBuffer cols, float[] theta, PaddedInput padded, Layout l,
            float[] dx, float[] dTheta) {
        int[] at = l.index.offsets;
        int K = l.index.kernelVolume, P = l.index.positions, plane = l.index.planeSize, N = l.n, C = l.c;
        boolean padReachesTheta = padded == PaddedInput.THRESHOLDED;
        IntStream.range(0, C).parallel().forEach(c -> { // channels write disjoint parts of dx
            float[] g = new float[N * P];
            float[] v = theta == null ? null : new float[N * P];
            for (int k = 0; k < K; k++) {
                int r = c * K + k;
                dcols.get(r * N * P, g);
                if (theta != null) {
                    cols.get(r * N * P, v);
                }
                float t = theta == null ? 0f : theta[r];
                double toTheta = 0;
                for (int n = 0; n < N; n++) {
                    int base = (n * C + c) * plane, o = n * P, kp = k * P;
                    for (int p = 0; p < P; p++) {
                        int i = at[kp + p];
                        if (theta != null && v[o + p] == t) {
                            if (i >= 0 || padReachesTheta) {
                                toTheta += g[o + p];
                            }
                        } else if (i >= 0) {
                            dx[base + i] += g[o + p];
                        }
                    }
                }
                if (dTheta != null) {
                    dTheta[r] = (float) toTheta;
                }
            }
        });
    }

    // ---- float64 kernels (gradient checks and references; same loops) ---------------------

    private static void extractDouble(double[] x, double[] theta, PaddedInput padded, Layout l, DoubleBuffer cols) {
        int[] at = l.index.offsets;
        int K = l.index.kernelVolume, P = l.index.positions, plane = l.index.planeSize, N = l.n, C = l.c;
        IntStream.range(0, C).parallel().forEach(c -> {
            double[] row = new double[N * P];
            for (int k = 0; k < K; k++) {
                int r = c * K + k;
                double t = theta == null ? Double.NEGATIVE_INFINITY : theta[r];
                double padValue = theta != null && padded == PaddedInput.THRESHOLDED ? Math.max(0d, t) : 0d;
                for (int n = 0; n < N; n++) {
                    int base = (n * C + c) * plane, o = n * P, kp = k * P;
                    for (int p = 0; p < P; p++) {
                        int i = at[kp + p];
                        row[o + p] = i < 0 ? padValue : Math.max(x[base + i], t);
                    }
                }
                cols.put(r * N * P, row);
            }
        });
    }

    private static void scatterDouble(DoubleBuffer dcols, DoubleBuffer cols, double[] theta, PaddedInput padded, Layout l,
            double[] dx, double[] dTheta) {
        int[] at = l.index.offsets;
        int K = l.index.kernelVolume, P = l.index.positions, plane = l.index.planeSize, N = l.n, C = l.c;
        boolean padReachesTheta = padded == PaddedInput.THRESHOLDED;
        IntStream.range(0, C).parallel().forEach(c -> {
            double[] g = new double[N * P];
            double[] v = theta == null ? null : new double[N * P];
            for (int k = 0; k < K; k++) {
                int r = c * K + k;
                dcols.get(r * N * P, g);
                if (theta != null) {
                    cols.get(r * N * P, v);
                }
                double t = theta == null ? 0 : theta[r];
                double toTheta = 0;
                for (int n = 0; n < N; n++) {
                    int base = (n * C + c) * plane, o = n * P, kp = k * P;
                    for (int p = 0; p < P; p++) {
                        int i = at[kp + p];
                        if (theta != null && v[o + p] == t) {
                            if (i >= 0 || padReachesTheta) {
                                toTheta += g[o + p];
                            }
                        } else if (i >= 0) {
                            dx[base + i] += g[o + p];
                        }
                    }
                }
                if (dTheta != null) {
                    dTheta[r] = toTheta;
                }
            }
        });
    }

    // ---- shapes ---------------------------------------------------------------------------

    /** The sizes of one extraction: N samples, C channels, and the patch index of the window. */
    private record Layout(int n, int c, PatchIndex index) {
        static Layout of(long[] xShape, ConvGeometry g) {
            long[] spatial = g.spatialOf(xShape);
            PatchIndex index = PatchIndex.of(g, spatial);
            long rows = xShape[1] * index.kernelVolume;
            long columns = xShape[0] * (long) index.positions;
            long input = xShape[0] * xShape[1] * index.planeSize;
            if (rows * columns > Integer.MAX_VALUE || input > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("patch matrix [" + rows + ", " + columns + "] for input "
                        + Arrays.toString(xShape) + " exceeds 2^31 elements; split the batch");
            }
            return new Layout((int) xShape[0], (int) xShape[1], index);
        }

        int rows() {
            return c * index.kernelVolume;
        }

        int columns() {
            return n * index.positions;
        }

        int inputLength() {
            return n * c * index.planeSize;
        }
    }

    private static DataType floatingType(INDArray a, String what) {
        DataType t = a.dataType();
        if (t != DataType.FLOAT && t != DataType.DOUBLE) {
            throw new IllegalArgumentException(what + " has dtype " + t + ", expected FLOAT or DOUBLE");
        }
        return t;
    }

    private static void requireThetas(INDArray theta, Layout l, DataType type) {
        if (theta.length() != l.rows()) {
            throw new IllegalArgumentException("expected " + l.rows() + " thresholds (C=" + l.c + " × K="
                    + l.index.kernelVolume + "), got shape " + Arrays.toString(theta.shape()));
        }
        if (theta.dataType() != type) {
            throw new IllegalArgumentException("thresholds have dtype " + theta.dataType() + ", input has " + type);
        }
    }

    private static void requireShape(INDArray a, Layout l, String what) {
        if (a.rank() != 2 || a.size(0) != l.rows() || a.size(1) != l.columns()) {
            throw new IllegalArgumentException(what + " must be [C·K, N·P] = [" + l.rows() + ", " + l.columns()
                    + "], got " + Arrays.toString(a.shape()));
        }
    }
}
