package org.convrelu.tensor.ops;

import java.util.Optional;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * ConvReLU, eq. 8 of Gao, Cai, Ji (AAAI 2020):
 * <pre>  y[n,d,o] = b[d] + Σ_{c,k} W[d,c,k] · max(x[n,c,o+k], θ[c,k])</pre>
 * and its gradients per eq. 5-6: an input strictly above its threshold passes gradient to
 * {@code x}, every other entry (ties included) to θ, summed over every position using that θ.
 *
 * <p>Layouts: {@code x [N, C, *S]}, {@code W [D, C, *kernel]}, θ {@code C·K} values in
 * {@code [C, *kernel]} order, {@code b [D]} or null, {@code y [N, D, *O]}. Every implementation
 * returns arrays of the input's dtype.
 */
public interface ConvReluOp {
    Implementation implementation();

    /** Empty when this implementation covers such a call; otherwise why it does not. */
    Optional<String> uncovered(DataType dtype, ConvReluArgs args);

    Forward forward(INDArray x, INDArray w, INDArray theta, INDArray bias, ConvReluArgs args);

    /** Gradients of the forward pass that returned {@code saved}, given {@code dy [N, D, *O]}. */
    Grads backward(Saved saved, INDArray dy);

    /** The output and what the backward pass needs, opaque to callers. */
    record Forward(INDArray y, Saved saved) {}

    /** What an implementation keeps between its forward and backward passes. */
    interface Saved {}

    /**
     * {@code dx} like x, {@code dW} like W, {@code dTheta} like θ (null when the thresholds are held
     * at zero), {@code dBias [D]} (null without a bias).
     */
    record Grads(INDArray dx, INDArray dW, INDArray dTheta, INDArray dBias) {}
}
