package org.convrelu.tensor.ops.cpu;

import java.util.Optional;
import org.convrelu.tensor.ConvGeometry;
import org.convrelu.tensor.PaddedInput;
import org.convrelu.tensor.ops.Backends;
import org.convrelu.tensor.ops.Channels;
import org.convrelu.tensor.ops.ConvOp;
import org.convrelu.tensor.ops.ConvReluArgs;
import org.convrelu.tensor.ops.Implementation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Convolution on the fused direct kernel ({@link DirectConvRelu}) as ConvReLU with every threshold
 * at −∞: {@code max(x, −∞) = x}, a padded zero stays 0, and every gradient reaches {@code dx}.
 * Float32, 1D/2D, stride 1. {@link Backends} chooses it for convolutions of few input channels
 * (an image stem), where it measured faster than ND4J's oneDNN conv, and for those whose input
 * gradient nobody reads ({@link #weightGradients}: a network's first layer).
 *
 * <p>A one-hot input (the char-CNN's quantised characters) runs on {@link OneHotConv} instead:
 * the same convolution as a sum of the weights its characters pick, about {@code C} times fewer
 * operations; its backward is the dense kernel's where dx is asked for.
 */
public final class DirectConvOp implements ConvOp {
    /** {@code oneHot}: the input's channel indices where it is one-hot ({@link OneHotConv#indices}), else null. */
    private record State(INDArray x, int[] oneHot, INDArray w, INDArray thresholds, boolean bias, ConvGeometry geometry) implements Saved {}

    @Override
    public Implementation implementation() {
        return Implementation.DIRECT;
    }

    /** Whatever the direct ConvReLU kernel takes with padding thresholded (max(0, −∞) = 0: zero padding). */
    @Override
    public Optional<String> uncovered(DataType dtype, ConvGeometry geometry) {
        return CONV_RELU.uncovered(dtype, ConvReluArgs.of(geometry, PaddedInput.THRESHOLDED));
    }

    private static final DirectConvReluOp CONV_RELU = new DirectConvReluOp();

    @Override
    public Forward forward(INDArray x, INDArray w, INDArray bias, ConvGeometry geometry) {
        INDArray open = Nd4j.valueArrayOf(new long[] {x.size(1) * geometry.kernelVolume()}, Float.NEGATIVE_INFINITY, DataType.FLOAT);
        int[] oneHot = geometry.dims() == 1 ? OneHotConv.indices(x) : null;
        INDArray y = oneHot != null ? OneHotConv.forward(oneHot, x.shape(), w, bias, geometry) : DirectConvRelu.forward(x, w, open, bias, geometry);
        return new Forward(y, new State(x, oneHot, w, open, bias != null, geometry));
    }

    @Override
    public Grads backward(Saved saved, INDArray dy) {
        State s = Channels.saved(saved, State.class, implementation());
        DirectConvRelu.Grads g = DirectConvRelu.backward(s.x, s.w, s.thresholds, dy, s.geometry, DirectConvRelu.Gradients.INPUT);
        return new Grads(g.dx(), g.dW(), s.bias ? g.dBias() : null);
    }

    /** Skips the input gradient's GEMM and routing: the backward pass costs about half as much (a one-hot input's, C times less). */
    @Override
    public Grads weightGradients(Saved saved, INDArray dy) {
        State s = Channels.saved(saved, State.class, implementation());
        if (s.oneHot != null) {
            OneHotConv.Grads g = OneHotConv.weightGradients(s.oneHot, s.x.shape(), s.w, dy, s.geometry);
            return new Grads(null, g.dW(), s.bias ? g.dBias() : null);
        }
        DirectConvRelu.Grads g = DirectConvRelu.backward(s.x, s.w, s.thresholds, dy, s.geometry, DirectConvRelu.Gradients.WEIGHTS);
        return new Grads(null, g.dW(), s.bias ? g.dBias() : null);
    }
}
