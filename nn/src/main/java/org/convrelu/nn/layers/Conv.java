package org.convrelu.nn.layers;

import java.util.ArrayList;
import java.util.List;
import org.convrelu.nn.AbstractLayer;
import org.convrelu.nn.Mode;
import org.convrelu.nn.Param;
import org.convrelu.nn.ParamRole;
import org.convrelu.nn.init.Init;
import org.convrelu.tensor.Precision;
import org.convrelu.tensor.RandomStream;
import org.convrelu.tensor.ops.Backends;
import org.convrelu.tensor.ops.ConvOp;
import org.convrelu.tensor.ops.Implementation;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * 1D, 2D or 3D convolution with zero padding: {@code y[n,d,o] = b[d] + Σ_{c,k} W[d,c,k] · x[n,c,o+k]}.
 *
 * <p>The arithmetic runs on the implementation {@link Backends} chooses for each call (ND4J's
 * native conv in 1D/2D, patches and a GEMM in 3D; the direct kernel for few input channels, or
 * where no input gradient is asked for).
 */
public final class Conv extends AbstractLayer {
    private final ConvSpec spec;
    private final Param weight; // [D, C, *k]
    private final Param bias; // [D] or null
    private ConvOp op; // the implementation that ran the last forward pass
    private ConvOp.Saved saved; // what its backward needs
    private long[] yShape; // [N, D, *O]
    private boolean inputGradient = true; // whether backward computes dx (a network's first conv: no)

    public Conv(String name, ConvSpec spec, Init weightInit, Precision precision, RandomStream rng) {
        super(name);
        this.spec = spec;
        this.weight = new Param(name + ".weight", ParamRole.WEIGHT,
                weightInit.create(rng, precision, spec.weightShape(), spec.fanIn(), spec.fanOut()));
        this.bias = spec.bias()
                ? new Param(name + ".bias", ParamRole.BIAS, Init.zero().create(rng, precision, new long[] {spec.outChannels()}, 0, 0))
                : null;
    }

    /** He-initialised convolution, as for the image networks. */
    public Conv(String name, ConvSpec spec, Precision precision, RandomStream rng) {
        this(name, spec, Init.he(), precision, rng);
    }

    public ConvSpec spec() {
        return spec;
    }

    /** Every output value is the dot product of one output channel's weights with a window. */
    @Override
    public long multiplyAdds() {
        return yShape == null ? 0 : perExample(yShape) * (weight.value().length() / spec.outChannels());
    }

    @Override
    protected INDArray doForward(INDArray x, Mode mode) {
        requireRank(x, spec.geometry().dims() + 2, "[N, C, " + spec.geometry().spatialNames() + "]");
        requireSize(x, 1, spec.inChannels(), "input channels");
        yShape = spec.outputShape(x.shape());
        op = Backends.conv(x.dataType(), spec.geometry(), spec.inChannels(), inputGradient);
        ConvOp.Forward f = op.forward(x, weight.value(), bias == null ? null : bias.value(), spec.geometry());
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
        requireShape(dy, yShape);
        ConvOp.Grads g = inputGradient ? op.backward(saved, dy) : op.weightGradients(saved, dy);
        weight.accumulate(g.dW());
        if (bias != null) {
            bias.accumulate(g.dBias());
        }
        return g.dx();
    }

    /** Without an input gradient, backward returns null and skips dx where the implementation can. */
    @Override
    public void inputGradient(boolean needed) {
        inputGradient = needed;
    }

    @Override
    public List<Param> params() {
        List<Param> ps = new ArrayList<>(List.of(weight));
        if (bias != null) {
            ps.add(bias);
        }
        return ps;
    }

    public Param weight() {
        return weight;
    }

    /** The bias, or null without one. */
    public Param bias() {
        return bias;
    }
}
