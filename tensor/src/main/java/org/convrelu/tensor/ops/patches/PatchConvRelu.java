package org.convrelu.tensor.ops.patches;

import java.util.Optional;
import org.convrelu.tensor.ops.Channels;
import org.convrelu.tensor.ops.ConvReluArgs;
import org.convrelu.tensor.ops.ConvReluOp;
import org.convrelu.tensor.ops.Implementation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * ConvReLU as thresholded patches {@code cols [C·K, N·P] = max(patches, θ)}, extracted in Java
 * loops ({@link Patches}), and a GEMM {@code Y = W · cols} ({@link PatchGemm}); the backward
 * routes {@code Wᵀ·dY} per entry to {@code dx} or {@code dθ}. Any dtype and geometry, on the CPU.
 */
public final class PatchConvRelu implements ConvReluOp {
    private record State(INDArray cols, INDArray w, INDArray theta, INDArray bias, long[] xShape, ConvReluArgs args)
            implements Saved {}

    @Override
    public Implementation implementation() {
        return Implementation.PATCHES;
    }

    @Override
    public Optional<String> uncovered(DataType dtype, ConvReluArgs args) {
        return Channels.floating(dtype);
    }

    @Override
    public Forward forward(INDArray x, INDArray w, INDArray theta, INDArray bias, ConvReluArgs args) {
        INDArray cols = Patches.im2colThresholded(x, args.geometry(), theta, args.effectivePadding()); // [C·K, N·P]
        long[] yShape = args.geometry().outputShape(x.shape(), w.size(0));
        INDArray y = Channels.addBias(PatchGemm.forward(cols, w, yShape), bias);
        return new Forward(y, new State(cols, w, theta, bias, x.shape(), args));
    }

    @Override
    public Grads backward(Saved saved, INDArray dy) {
        State s = Channels.saved(saved, State.class, implementation());
        PatchGemm.Grads g = PatchGemm.backward(dy, s.cols, s.w);
        Patches.ThresholdedGrads t = Patches.col2imThresholded(g.dCols(), s.cols, s.theta, s.args.geometry(), s.xShape,
                s.args.effectivePadding());
        return new Grads(t.dx(), g.dW(), s.args.zeroThresholds() ? null : t.dTheta().reshape(s.theta.shape()), Channels.biasGrad(dy, s.bias));
    }
}
