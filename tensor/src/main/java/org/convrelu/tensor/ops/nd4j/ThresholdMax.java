package org.convrelu.tensor.ops.nd4j;

import java.util.Arrays;
import org.convrelu.tensor.ops.patches.Patches;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastMax;
import org.nd4j.linalg.api.ops.impl.broadcast.bool.BroadcastGreaterThan;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The threshold-max of ConvReLU on patches, in plain ND4J ops (portable to any ND4J backend):
 * {@code out[r, m] = max(cols[r, m], θ[r])} with one threshold per patch row, broadcast over the
 * {@code m} positions (eq. 8 of Gao, Cai, Ji 2020, after patch extraction).
 *
 * <p>Backward follows eq. 6: where the input exceeds θ the gradient flows to the input, elsewhere
 * (ties included) to θ, summed over positions.
 */
public final class ThresholdMax {
    private ThresholdMax() {}

    /** {@code max(cols [R, M], θ [R])}, θ broadcast along each row. */
    public static INDArray forward(INDArray cols, INDArray theta) {
        INDArray t = thresholdVector(cols, theta);
        INDArray out = Nd4j.createUninitialized(cols.dataType(), cols.shape());
        Nd4j.exec(new BroadcastMax(cols, t, out, 0));
        return out;
    }

    /** Boolean mask {@code [R, M]}: true where the input passes ({@code cols > θ}); the gradient then flows to the input. */
    public static INDArray passMask(INDArray cols, INDArray theta) {
        INDArray t = thresholdVector(cols, theta);
        INDArray mask = Nd4j.createUninitialized(DataType.BOOL, cols.shape());
        Nd4j.exec(new BroadcastGreaterThan(cols, t, mask, 0));
        return mask;
    }

    /** Gradients of {@link #forward}: {@code dcols = dOut · pass} and {@code dθ[r] = Σ_m dOut[r, m] · (1 − pass[r, m])}. */
    public static Patches.ThresholdedGrads backward(INDArray dOut, INDArray passMask) {
        INDArray pass = passMask.castTo(dOut.dataType());
        INDArray dCols = dOut.mul(pass);
        INDArray dTheta = dOut.sub(dCols).sum(1);
        return new Patches.ThresholdedGrads(dCols, dTheta);
    }

    private static INDArray thresholdVector(INDArray cols, INDArray theta) {
        if (cols.rank() != 2 || theta.length() != cols.size(0)) {
            throw new IllegalArgumentException("expected patches [R, M] and R thresholds, got patches "
                    + Arrays.toString(cols.shape()) + " and thresholds " + Arrays.toString(theta.shape()));
        }
        if (theta.dataType() != cols.dataType()) {
            throw new IllegalArgumentException("thresholds have dtype " + theta.dataType() + ", patches have " + cols.dataType());
        }
        return theta.reshape(theta.length());
    }
}
