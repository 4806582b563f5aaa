package org.convrelu.tensor.ops.reference;

import java.util.Optional;
import org.convrelu.tensor.ConvGeometry;
import org.convrelu.tensor.ops.Channels;
import org.convrelu.tensor.ops.ConvOp;
import org.convrelu.tensor.ops.Implementation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Convolution as the float64 loops of {@link Reference}: the spec. */
public final class ReferenceConv implements ConvOp {
    private record State(INDArray x, INDArray w, INDArray bias, ConvGeometry geometry) implements Saved {}

    @Override
    public Implementation implementation() {
        return Implementation.REFERENCE;
    }

    @Override
    public Optional<String> uncovered(DataType dtype, ConvGeometry geometry) {
        return Channels.floating(dtype);
    }

    @Override
    public Forward forward(INDArray x, INDArray w, INDArray bias, ConvGeometry geometry) {
        INDArray y = Reference.conv(x, w, bias, geometry).castTo(x.dataType());
        return new Forward(y, new State(x, w, bias, geometry));
    }

    @Override
    public Grads backward(Saved saved, INDArray dy) {
        State s = Channels.saved(saved, State.class, implementation());
        Reference.ConvReluGrads g = Reference.convBackward(s.x, s.w, dy, s.geometry);
        DataType type = s.x.dataType();
        return new Grads(g.dx().castTo(type), g.dW().castTo(type), Channels.biasGrad(dy, s.bias));
    }
}
