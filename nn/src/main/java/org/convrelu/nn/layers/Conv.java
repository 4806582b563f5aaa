package org.convrelu.nn.layers;

import java.util.ArrayList;
import java.util.List;
import org.convrelu.nn.AbstractLayer;
import org.convrelu.nn.Mode;
import org.convrelu.nn.Param;
import org.convrelu.nn.ParamRole;
import org.convrelu.nn.init.Init;
import org.convrelu.tensor.Nd4jConv;
import org.convrelu.tensor.PatchGemm;
import org.convrelu.tensor.Patches;
import org.convrelu.tensor.Precision;
import org.convrelu.tensor.RandomStream;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * 1D, 2D or 3D convolution with zero padding: {@code y[n,d,o] = b[d] + Σ_{c,k} W[d,c,k] · x[n,c,o+k]}.
 *
 * <p>1D and 2D run on ND4J's native conv ops (oneDNN on the CPU); 3D runs as patches and a GEMM.
 */
public final class Conv extends AbstractLayer {
    private final ConvSpec spec;
    private final Param weight; // [D, C, *k]
    private final Param bias; // [D] or null
    private INDArray x; // [N, C, *S]
    private INDArray cols; // [C·K, N·P], 3D only
    private long[] yShape; // [N, D, *O]

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

    @Override
    protected INDArray doForward(INDArray x, Mode mode) {
        requireRank(x, spec.geometry().dims() + 2, "[N, C, " + spec.geometry().spatialNames() + "]");
        requireSize(x, 1, spec.inChannels(), "input channels");
        this.x = x;
        this.yShape = spec.outputShape(x.shape());
        if (Nd4jConv.supports(spec.geometry())) {
            return Nd4jConv.conv(x, weight.value(), bias == null ? null : bias.value(), spec.geometry());
        }
        cols = Patches.im2col(x, spec.geometry());
        INDArray y = PatchGemm.forward(cols, weight.value(), yShape);
        return bias == null ? y : addBias(y, bias.value());
    }

    @Override
    protected INDArray doBackward(INDArray dy) {
        requireShape(dy, yShape);
        if (Nd4jConv.supports(spec.geometry())) {
            Nd4jConv.ConvGrads g = Nd4jConv.convBackward(x, weight.value(), bias == null ? null : bias.value(), dy,
                    spec.geometry());
            weight.accumulate(g.dW());
            if (bias != null) {
                bias.accumulate(g.db());
            }
            return g.dx();
        }
        PatchGemm.Grads g = PatchGemm.backward(dy, cols, weight.value());
        weight.accumulate(g.dW());
        if (bias != null) {
            bias.accumulate(sumAllButChannels(dy));
        }
        return Patches.col2im(g.dCols(), spec.geometry(), x.shape());
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

    /** {@code y + b} with {@code b [D]} broadcast over samples and positions. */
    static INDArray addBias(INDArray y, INDArray b) {
        long[] s = new long[y.rank()];
        java.util.Arrays.fill(s, 1);
        s[1] = b.length();
        return y.add(b.reshape(s));
    }

    /** Σ over every axis but 1: the bias gradient. */
    static INDArray sumAllButChannels(INDArray dy) {
        int[] axes = new int[dy.rank() - 1];
        axes[0] = 0;
        for (int i = 1; i < axes.length; i++) {
            axes[i] = i + 1;
        }
        return dy.sum(axes);
    }
}
