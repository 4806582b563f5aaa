package org.convrelu.nn.init;

import org.convrelu.tensor.Precision;
import org.convrelu.tensor.RandomStream;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Parameter initialisers. {@code fanIn} and {@code fanOut} are the numbers of inputs and outputs
 * a parameter connects (for a conv weight {@code C·K} and {@code D·K}).
 *
 * <p>For ConvReLU thresholds the paper compares zero, random and Glorot initialisation (Table 4);
 * zero with L2 regularisation performs best.
 */
@FunctionalInterface
public interface Init {

    INDArray create(RandomStream rng, Precision precision, long[] shape, long fanIn, long fanOut);

    /** All zeros (the paper's default for thresholds). */
    static Init zero() {
        return constant(0);
    }

    static Init constant(double value) {
        return (rng, precision, shape, fanIn, fanOut) -> Nd4j.valueArrayOf(shape, value, precision.dataType());
    }

    /** N(0, σ²). Zhang et al.'s char-CNN uses σ = 0.05 (small) and 0.02 (large). */
    static Init normal(double std) {
        return (rng, precision, shape, fanIn, fanOut) -> rng.normal(precision, 0, std, shape);
    }

    /** He/Kaiming normal for ReLU networks: N(0, 2 / fanIn). */
    static Init he() {
        return (rng, precision, shape, fanIn, fanOut) -> rng.normal(precision, 0, Math.sqrt(2.0 / fanIn), shape);
    }

    /** LeCun normal: N(0, 1 / fanIn), for classifier layers. */
    static Init lecun() {
        return (rng, precision, shape, fanIn, fanOut) -> rng.normal(precision, 0, Math.sqrt(1.0 / fanIn), shape);
    }

    /**
     * Glorot (Xavier) as the paper states it (§ Parameter Initialization): a scaled uniform
     * distribution with zero mean and variance {@code 2 / (n_in + n_out)}, {@code n_in} and
     * {@code n_out} the numbers of input and output <em>channels</em>: U(−a, a), a = √(6 / (n_in + n_out)).
     * For a conv-shaped parameter {@code [C, *kernel]} whose fans are {@code C·K} and {@code D·K}, the
     * channels are the fans divided by the kernel volume K.
     */
    static Init glorotUniformChannels() {
        return (rng, precision, shape, fanIn, fanOut) -> {
            long kernel = 1;
            for (int i = 1; i < shape.length; i++) {
                kernel *= shape[i];
            }
            double a = Math.sqrt(6.0 / ((double) fanIn / kernel + (double) fanOut / kernel));
            return rng.uniform(precision, -a, a, shape);
        };
    }

    /** Glorot normal over the convolution's fans, zero mean, variance {@code 2 / (fanIn + fanOut)} ({@code C·K} and {@code D·K}). */
    static Init glorotNormalFans() {
        return (rng, precision, shape, fanIn, fanOut) -> rng.normal(precision, 0, Math.sqrt(2.0 / (fanIn + fanOut)), shape);
    }
}
