package org.convrelu.tensor.ops.patches;

import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The GEMM half of a patch-based convolution: {@code y[D, N·P] = W[D, C·K] · cols[C·K, N·P]},
 * laid out as {@code [N, D, *out]}, and its gradients.
 */
public final class PatchGemm {
    private PatchGemm() {}

    /**
     * @param cols patches {@code [C·K, N·P]} from {@link Patches}
     * @param w weights {@code [D, C, *kernel]}
     * @param outShape {@code [N, D, *out]}
     * @return {@code y [N, D, *out]}
     */
    public static INDArray forward(INDArray cols, INDArray w, long[] outShape) {
        long d = w.size(0), n = outShape[0];
        requireFit(cols, w, outShape);
        INDArray yMat = Nd4j.createUninitialized(cols.dataType(), d, cols.size(1)); // [D, N·P]
        Nd4j.gemm(w.reshape(d, cols.size(0)), cols, yMat, false, false, 1.0, 0.0);
        return yMat.reshape(d, n, cols.size(1) / n).permute(1, 0, 2).dup('c').reshape(outShape); // [N, D, *out]
    }

    /** Gradients of {@link #forward}: {@code dW [D, C, *kernel]} and {@code dcols [C·K, N·P]}. */
    public record Grads(INDArray dW, INDArray dCols) {}

    /** @param dy gradient of the output, {@code [N, D, *out]} */
    public static Grads backward(INDArray dy, INDArray cols, INDArray w) {
        long d = w.size(0), n = dy.size(0);
        requireFit(cols, w, dy.shape());
        INDArray dyMat = dy.reshape(n, d, cols.size(1) / n).permute(1, 0, 2).dup('c').reshape(d, cols.size(1)); // [D, N·P]
        INDArray wMat = w.reshape(d, cols.size(0)); // [D, C·K]
        INDArray dW = Nd4j.createUninitialized(w.dataType(), d, cols.size(0));
        Nd4j.gemm(dyMat, cols, dW, false, true, 1.0, 0.0); // dW = dY · colsᵀ
        INDArray dCols = Nd4j.createUninitialized(cols.dataType(), cols.size(0), cols.size(1));
        Nd4j.gemm(wMat, dyMat, dCols, true, false, 1.0, 0.0); // dcols = Wᵀ · dY
        return new Grads(dW.reshape(w.shape()), dCols);
    }

    private static void requireFit(INDArray cols, INDArray w, long[] yShape) {
        long d = w.size(0), n = yShape[0];
        long p = 1;
        for (int i = 2; i < yShape.length; i++) {
            p *= yShape[i];
        }
        if (w.length() / d != cols.size(0) || yShape[1] != d || n * p != cols.size(1)) {
            throw new IllegalArgumentException("patches " + Arrays.toString(cols.shape()) + ", weights "
                    + Arrays.toString(w.shape()) + " and output " + Arrays.toString(yShape) + " do not fit");
        }
    }
}
