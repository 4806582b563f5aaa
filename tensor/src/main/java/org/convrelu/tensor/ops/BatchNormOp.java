package org.convrelu.tensor.ops;

import java.util.Optional;
import org.convrelu.tensor.ops.cpu.HostArrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Batch normalisation (Ioffe and Szegedy 2015) of {@code x [N, C, *S]}, statistics per channel
 * over every other axis: {@code y = γ·x̂ + β}, {@code x̂ = (x − mean)/√(var + ε)}.
 *
 * <p>With batch statistics (training) mean and biased variance come from the batch and the
 * running estimates move towards them, {@code running ← (1 − momentum)·running + momentum·batch}
 * (unbiased variance); otherwise the running estimates normalise and stay as they are.
 */
public interface BatchNormOp {
    Implementation implementation();

    /** Empty when this implementation covers such a call; otherwise why it does not. */
    Optional<String> uncovered(DataType dtype, int rank);

    /**
     * @param gamma γ {@code [C]}
     * @param beta β {@code [C]}
     * @param running the running estimates, updated in place when {@code batchStatistics}
     */
    Forward forward(INDArray x, INDArray gamma, INDArray beta, RunningStats running, boolean batchStatistics);

    Grads backward(Saved saved, INDArray dy);

    /** Running mean and variance {@code [C]} (updated in place), ε and the update's momentum. */
    record RunningStats(INDArray mean, INDArray variance, double eps, double momentum) {
        /**
         * Moves the estimates towards a batch's: {@code running ← (1 − momentum)·running + momentum·batch},
         * the variance unbiased ({@code ·count/(count − 1)}, count values per channel).
         */
        public void update(INDArray batchMean, INDArray biasedVariance, long count) {
            mean.muli(1 - momentum).addi(batchMean.castTo(mean.dataType()).mul(momentum));
            variance.muli(1 - momentum).addi(biasedVariance.castTo(variance.dataType()).mul(momentum * count / (count - 1.0)));
        }

        /** {@link #update(INDArray, INDArray, long)} from float32 batch moments: in place on the host where it takes the estimates. */
        public void update(float[] batchMean, float[] biasedVariance, long count) {
            if (HostArrays.covers(mean) && HostArrays.covers(variance) && mean.dataType() == DataType.FLOAT
                    && variance.dataType() == DataType.FLOAT) {
                HostArrays.mix(mean, 1 - momentum, batchMean, momentum);
                HostArrays.mix(variance, 1 - momentum, biasedVariance, momentum * count / (count - 1.0));
            } else {
                update(Nd4j.createFromArray(batchMean), Nd4j.createFromArray(biasedVariance), count);
            }
        }
    }

    record Forward(INDArray y, Saved saved) {}

    /** What an implementation keeps between its forward and backward passes. */
    interface Saved {}

    /** {@code dx} like x, {@code dGamma} and {@code dBeta} {@code [C]}. */
    record Grads(INDArray dx, INDArray dGamma, INDArray dBeta) {}
}
