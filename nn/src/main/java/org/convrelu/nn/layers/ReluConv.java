package org.convrelu.nn.layers;

import java.util.List;
import org.convrelu.nn.AbstractLayer;
import org.convrelu.nn.ActivationGate;
import org.convrelu.nn.Mode;
import org.convrelu.nn.Param;
import org.convrelu.tensor.DirectConvRelu;
import org.convrelu.tensor.PaddedInput;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A ReLU followed by the convolution it feeds, {@code conv(max(x, 0))}, in one pass where the
 * fused kernel applies: that is ConvReLU (eq. 8 of Gao, Cai, Ji 2020) with every threshold held
 * at 0 (a padded zero stays 0), so the activation costs no pass or array of its own. Elsewhere it
 * runs its two layers in turn. The parameters are the convolution's; the layer is the ReLU site
 * (its name, its on-mask), so models, checkpoints and site statistics read the same either way.
 */
public final class ReluConv extends AbstractLayer implements ActivationGate {
    private final ReLU relu;
    private final Conv conv;
    private INDArray zeroThresholds; // [C·K], the fused path's θ
    private INDArray x; // the fused path's input
    private boolean fused;

    public ReluConv(ReLU relu, Conv conv) {
        super(relu.name());
        this.relu = relu;
        this.conv = conv;
    }

    public Conv conv() {
        return conv;
    }

    @Override
    protected INDArray doForward(INDArray x, Mode mode) {
        ConvSpec spec = conv.spec();
        fused = DirectConvRelu.supports(x, spec.geometry(), PaddedInput.THRESHOLDED) && x.rank() == spec.geometry().dims() + 2
                && x.size(1) == spec.inChannels();
        if (!fused) {
            this.x = null;
            return conv.forward(relu.forward(x, mode), mode);
        }
        this.x = x;
        long thresholds = spec.inChannels() * (long) spec.geometry().kernelVolume();
        if (zeroThresholds == null || zeroThresholds.dataType() != x.dataType()) {
            zeroThresholds = Nd4j.zeros(x.dataType(), thresholds);
        }
        return DirectConvRelu.forward(x, conv.weight().value(), zeroThresholds, spec.bias() ? conv.bias().value() : null, spec.geometry());
    }

    @Override
    protected INDArray doBackward(INDArray dy) {
        if (!fused) {
            return relu.backward(conv.backward(dy));
        }
        DirectConvRelu.Grads g = DirectConvRelu.backward(x, conv.weight().value(), zeroThresholds, dy, conv.spec().geometry());
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
        return fused ? x.gt(0).castTo(x.dataType()) : relu.onMask();
    }

    @Override
    public String kind() {
        return "ReLU";
    }
}
