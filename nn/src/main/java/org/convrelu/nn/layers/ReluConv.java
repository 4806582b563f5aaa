package org.convrelu.nn.layers;

import java.util.List;
import org.convrelu.nn.AbstractLayer;
import org.convrelu.nn.ActivationGate;
import org.convrelu.nn.Mode;
import org.convrelu.nn.Param;
import org.convrelu.tensor.memory.StepWorkspace;
import org.convrelu.tensor.ops.Backends;
import org.convrelu.tensor.ops.ConvReluArgs;
import org.convrelu.tensor.ops.ConvReluOp;
import org.convrelu.tensor.ops.Implementation;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A ReLU followed by the convolution it feeds, {@code conv(max(x, 0))}, as one op: ConvReLU
 * (eq. 8 of Gao, Cai, Ji 2020) with every threshold held at 0 (a padded zero stays 0), so the
 * activation costs no pass or array of its own where the implementation fuses it. The parameters
 * are the convolution's; the layer is the ReLU site (its name, its on-mask), so models,
 * checkpoints and site statistics read the same as ReLU then Conv.
 */
public final class ReluConv extends AbstractLayer implements ActivationGate {
    private final Conv conv;
    private INDArray zeroThresholds; // [C·K], held at 0
    private ConvReluOp op; // the implementation that ran the last forward pass
    private ConvReluOp.Saved saved; // what its backward needs
    private INDArray x; // [N, C, *S], kept for onMask()

    public ReluConv(ReLU relu, Conv conv) {
        super(relu.name());
        this.conv = conv;
    }

    public Conv conv() {
        return conv;
    }

    /** Its convolution's: the ReLU in front adds no products. */
    @Override
    public long multiplyAdds() {
        return x == null ? 0 : perExample(conv.spec().outputShape(x.shape())) * (conv.weight().value().length() / conv.spec().outChannels());
    }

    @Override
    protected INDArray doForward(INDArray x, Mode mode) {
        ConvSpec spec = conv.spec();
        requireRank(x, spec.geometry().dims() + 2, "[N, C, " + spec.geometry().spatialNames() + "]");
        requireSize(x, 1, spec.inChannels(), "input channels");
        this.x = x;
        long thresholds = spec.inChannels() * (long) spec.geometry().kernelVolume();
        if (zeroThresholds == null || zeroThresholds.dataType() != x.dataType()) {
            try (MemoryWorkspace kept = StepWorkspace.persistent()) { // kept across steps: not in a step's workspace
                zeroThresholds = Nd4j.zeros(x.dataType(), thresholds);
            }
        }
        ConvReluArgs args = ConvReluArgs.reluThenConv(spec.geometry());
        op = Backends.convRelu(x.dataType(), args, x.shape(), spec.outChannels());
        ConvReluOp.Forward f = op.forward(x, conv.weight().value(), zeroThresholds, spec.bias() ? conv.bias().value() : null, args);
        saved = f.saved();
        return f.y();
    }

    /** The fused CPU implementation creates only dx and parameter-sized gradients in its backward. */
    @Override
    public boolean backwardTemporaries() {
        return op == null || op.implementation() != Implementation.DIRECT;
    }

    @Override
    protected INDArray doBackward(INDArray dy) {
        ConvReluOp.Grads g = op.backward(saved, dy);
        conv.weight().accumulate(g.dW());
        if (conv.spec().bias()) {
            conv.bias().accumulate(g.dBias());
        }
        return g.dx(); // gradient reaches x where x > 0, as through ReLU
    }

    @Override
    public List<Param> params() {
        return conv.params();
    }

    /** 1 where the last input was above 0. */
    @Override
    public INDArray onMask() {
        return x.gt(0).castTo(x.dataType());
    }

    @Override
    public String kind() {
        return "ReLU";
    }
}
