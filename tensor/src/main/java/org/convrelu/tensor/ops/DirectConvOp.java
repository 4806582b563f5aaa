package org.convrelu.tensor.ops;

import java.util.Optional;
import org.convrelu.tensor.ConvGeometry;
import org.convrelu.tensor.DirectConvRelu;
import org.convrelu.tensor.PaddedInput;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Convolution on the fused direct kernel ({@link DirectConvRelu}) as ConvReLU with every threshold
 * at −∞: {@code max(x, −∞) = x}, a padded zero stays 0, and every gradient reaches {@code dx}.
 * Float32, 1D/2D, stride 1. {@link Backends} chooses it for convolutions of few input channels
 * (an image stem), where it measured faster than ND4J's oneDNN conv, and for those whose input
 * gradient nobody reads ({@link #weightGradients}: a network's first layer).
 */
final class DirectConvOp implements ConvOp {
    private record State(INDArray x, INDArray w, INDArray thresholds, boolean bias, ConvGeometry geometry) implements Saved {}

    @Override
    public Implementation implementation() {
        return Implementation.DIRECT;
    }

    /** Whatever the direct ConvReLU kernel takes with padding thresholded (max(0, −∞) = 0: zero padding). */
    @Override
    public Optional<String> unsupported(DataType dtype, ConvGeometry geometry) {
        return CONV_RELU.unsupported(dtype, ConvReluArgs.of(geometry, PaddedInput.THRESHOLDED));
    }

    private static final DirectConvReluOp CONV_RELU = new DirectConvReluOp();

    @Override
    public Forward forward(INDArray x, INDArray w, INDArray bias, ConvGeometry geometry) {
        INDArray open = Nd4j.valueArrayOf(new long[] {x.size(1) * geometry.kernelVolume()}, Float.NEGATIVE_INFINITY, DataType.FLOAT);
        INDArray y = DirectConvRelu.forward(x, w, open, bias, geometry);
        return new Forward(y, new State(x, w, open, bias != null, geometry));
    }

    @Override
    public Grads backward(Saved saved, INDArray dy) {
        State s = Channels.saved(saved, State.class, implementation());
        DirectConvRelu.Grads g = DirectConvRelu.backward(s.x, s.w, s.thresholds, dy, s.geometry);
        return new Grads(g.dx(), g.dW(), s.bias ? g.dBias() : null);
    }

    /** Skips the input gradient's GEMM and routing: the backward pass costs about half as much. */
    @Override
    public Grads weightGradients(Saved saved, INDArray dy) {
        State s = Channels.saved(saved, State.class, implementation());
        DirectConvRelu.Grads g = DirectConvRelu.backward(s.x, s.w, s.thresholds, dy, s.geometry, false);
        return new Grads(null, g.dW(), s.bias ? g.dBias() : null);
    }
}
