package org.convrelu.tensor.ops;

import java.util.Optional;
import org.convrelu.tensor.ConvGeometry;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Convolution with zero padding, {@code y[n,d,o] = b[d] + Σ_{c,k} W[d,c,k] · x[n,c,o·s − p + k·dil]},
 * and its gradients. Layouts as {@link ConvReluOp}.
 */
public interface ConvOp {
    Implementation implementation();

    /** Empty when this implementation covers such a call; otherwise why it does not. */
    Optional<String> uncovered(DataType dtype, ConvGeometry geometry);

    Forward forward(INDArray x, INDArray w, INDArray bias, ConvGeometry geometry);

    Grads backward(Saved saved, INDArray dy);

    /**
     * {@code dW} and {@code dBias} alone ({@code dx} null), for a convolution whose input gradient
     * nobody reads (a network's first layer). Implementations that cannot skip dx compute and drop it.
     */
    default Grads weightGradients(Saved saved, INDArray dy) {
        Grads g = backward(saved, dy);
        return new Grads(null, g.dW(), g.dBias());
    }

    record Forward(INDArray y, Saved saved) {}

    /** What an implementation keeps between its forward and backward passes. */
    interface Saved {}

    /** {@code dx} like x, {@code dW} like W, {@code dBias [D]} (null without a bias). */
    record Grads(INDArray dx, INDArray dW, INDArray dBias) {}
}
