package org.convrelu.tensor.ops.patches;

import java.util.Optional;
import org.convrelu.tensor.ConvGeometry;
import org.convrelu.tensor.ops.Channels;
import org.convrelu.tensor.ops.ConvOp;
import org.convrelu.tensor.ops.Implementation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Convolution as patches ({@link Patches}, Java loops) and a GEMM ({@link PatchGemm}): any dimension, on the CPU. */
public final class PatchConv implements ConvOp {
    private record State(INDArray cols, INDArray w, INDArray bias, long[] xShape, ConvGeometry geometry) implements Saved {}

    @Override
    public Implementation implementation() {
        return Implementation.PATCHES;
    }

    @Override
    public Optional<String> uncovered(DataType dtype, ConvGeometry geometry) {
        return Channels.floating(dtype);
    }

    @Override
    public Forward forward(INDArray x, INDArray w, INDArray bias, ConvGeometry geometry) {
        INDArray cols = Patches.im2col(x, geometry); // [C·K, N·P]
        INDArray y = Channels.addBias(PatchGemm.forward(cols, w, geometry.outputShape(x.shape(), w.size(0))), bias);
        return new Forward(y, new State(cols, w, bias, x.shape(), geometry));
    }

    @Override
    public Grads backward(Saved saved, INDArray dy) {
        State s = Channels.saved(saved, State.class, implementation());
        PatchGemm.Grads g = PatchGemm.backward(dy, s.cols, s.w);
        return new Grads(Patches.col2im(g.dCols(), s.geometry, s.xShape), g.dW(), Channels.biasGrad(dy, s.bias));
    }
}
