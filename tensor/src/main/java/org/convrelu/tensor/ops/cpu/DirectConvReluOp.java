package org.convrelu.tensor.ops.cpu;

import java.util.Optional;
import org.convrelu.tensor.PaddedInput;
import org.convrelu.tensor.ops.Channels;
import org.convrelu.tensor.ops.ConvReluArgs;
import org.convrelu.tensor.ops.ConvReluOp;
import org.convrelu.tensor.ops.Implementation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** ConvReLU on the fused direct kernel ({@link DirectConvRelu}): float32, 1D/2D, stride 1, padding thresholded. */
public final class DirectConvReluOp implements ConvReluOp {
    private record State(INDArray x, INDArray w, INDArray theta, boolean bias, ConvReluArgs args) implements Saved {}

    @Override
    public Implementation implementation() {
        return Implementation.DIRECT;
    }

    @Override
    public Optional<String> uncovered(DataType dtype, ConvReluArgs args) {
        Optional<String> off = Channels.fusedKernels(dtype);
        if (off.isPresent()) {
            return off;
        }
        if (args.geometry().dims() > 2) {
            return Optional.of("a " + args.geometry().dims() + "D window (the kernel is 1D/2D)");
        }
        if (!args.unitStride()) {
            return Optional.of("stride " + java.util.Arrays.toString(args.geometry().stride()) + " (the kernel takes stride 1)");
        }
        if (args.effectivePadding() == PaddedInput.ZERO && args.hasPadding()) {
            return Optional.of("padding read as PaddedInput.ZERO (the kernel thresholds padded zeros, eq. 8)");
        }
        return Optional.empty();
    }

    @Override
    public Forward forward(INDArray x, INDArray w, INDArray theta, INDArray bias, ConvReluArgs args) {
        INDArray y = DirectConvRelu.forward(x, w, theta, bias, args.geometry());
        return new Forward(y, new State(x, w, theta, bias != null, args));
    }

    @Override
    public Grads backward(Saved saved, INDArray dy) {
        State s = Channels.saved(saved, State.class, implementation());
        DirectConvRelu.Grads g = DirectConvRelu.backward(s.x, s.w, s.theta, dy, s.args.geometry(),
                s.args.zeroThresholds() ? DirectConvRelu.Gradients.INPUT : DirectConvRelu.Gradients.INPUT_AND_THRESHOLDS);
        return new Grads(g.dx(), g.dW(), g.dTheta() == null ? null : g.dTheta().reshape(s.theta.shape()), s.bias ? g.dBias() : null);
    }
}
