package org.convrelu.tensor.ops.nd4j;

import java.util.Optional;
import org.convrelu.tensor.ConvGeometry;
import org.convrelu.tensor.ops.Channels;
import org.convrelu.tensor.ops.ConvOp;
import org.convrelu.tensor.ops.Implementation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Convolution on ND4J's native {@code conv2d} op (oneDNN on the CPU, cuDNN on a GPU); 1D runs as 2D. */
public final class Nd4jConvOp implements ConvOp {
    private record State(INDArray x, INDArray w, INDArray bias, ConvGeometry geometry) implements Saved {}

    @Override
    public Implementation implementation() {
        return Implementation.ND4J;
    }

    @Override
    public Optional<String> uncovered(DataType dtype, ConvGeometry geometry) {
        String why = Nd4jConv.convUnsupported(dtype, geometry);
        return why != null ? Optional.of(why) : Channels.floating(dtype);
    }

    @Override
    public Forward forward(INDArray x, INDArray w, INDArray bias, ConvGeometry geometry) {
        return new Forward(Nd4jConv.conv(x, w, bias, geometry), new State(x, w, bias, geometry));
    }

    @Override
    public Grads backward(Saved saved, INDArray dy) {
        State s = Channels.saved(saved, State.class, implementation());
        Nd4jConv.ConvGrads g = Nd4jConv.convBackward(s.x, s.w, s.bias, dy, s.geometry);
        return new Grads(g.dx(), g.dW(), g.db());
    }
}
