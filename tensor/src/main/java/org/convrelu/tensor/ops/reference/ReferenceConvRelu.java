package org.convrelu.tensor.ops.reference;

import java.util.Optional;
import org.convrelu.tensor.ops.Channels;
import org.convrelu.tensor.ops.ConvReluArgs;
import org.convrelu.tensor.ops.ConvReluOp;
import org.convrelu.tensor.ops.Implementation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** ConvReLU as the float64 loops of {@link Reference}: the spec the other implementations are tested against. */
public final class ReferenceConvRelu implements ConvReluOp {
    private record State(INDArray x, INDArray w, INDArray theta, INDArray bias, ConvReluArgs args) implements Saved {}

    @Override
    public Implementation implementation() {
        return Implementation.REFERENCE;
    }

    @Override
    public Optional<String> uncovered(DataType dtype, ConvReluArgs args) {
        return Channels.floating(dtype);
    }

    @Override
    public Forward forward(INDArray x, INDArray w, INDArray theta, INDArray bias, ConvReluArgs args) {
        INDArray y = Reference.convRelu(x, w, theta, args.geometry(), args.effectivePadding());
        y = Channels.addBias(y, bias == null ? null : bias.castTo(DataType.DOUBLE)).castTo(x.dataType());
        return new Forward(y, new State(x, w, theta, bias, args));
    }

    @Override
    public Grads backward(Saved saved, INDArray dy) {
        State s = Channels.saved(saved, State.class, implementation());
        Reference.ConvReluGrads g = Reference.convReluBackward(s.x, s.w, s.theta, dy, s.args.geometry(), s.args.effectivePadding());
        DataType type = s.x.dataType();
        return new Grads(g.dx().castTo(type), g.dW().castTo(type), s.args.zeroThresholds() ? null : g.dTheta().castTo(type),
                Channels.biasGrad(dy, s.bias));
    }
}
