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
import org.convrelu.tensor.ops.Implementation;
import org.convrelu.tensor.ops.cpu.DirectLinear;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Fully connected layer: {@code y[N, out] = x[N, in] · Wᵀ + b}, {@code W [out, in]}. */
public final class Linear extends AbstractLayer {
    private final int in;
    private final int out;
    private final Param weight; // [out, in]
    private final Param bias; // [out] or null
    private INDArray x; // [N, in]
    private boolean direct; // the last forward ran on DirectLinear (a small float32 layer on the CPU); its backward does too
    private boolean inputGradient = true;

    public Linear(String name, int in, int out, boolean withBias, Init weightInit, Precision precision, RandomStream rng) {
        super(name);
        this.in = in;
        this.out = out;
        this.weight = new Param(name + ".weight", ParamRole.WEIGHT, weightInit.create(rng, precision, new long[] {out, in}, in, out));
        this.bias = withBias ? new Param(name + ".bias", ParamRole.BIAS, Init.zero().create(rng, precision, new long[] {out}, 0, 0)) : null;
    }

    /** Every output is a dot product over the input features: the weights' count. */
    @Override
    public long multiplyAdds() {
        return weight.value().length();
    }

    @Override
    protected INDArray doForward(INDArray x, Mode mode) {
        requireRank(x, 2, "[N, features]");
        requireSize(x, 1, in, "input features");
        this.x = x;
        direct = Backends.linear(x, weight.value()) == Implementation.DIRECT;
        if (direct) {
            return DirectLinear.forward(x, weight.value(), bias == null ? null : bias.value());
        }
        INDArray y = x.mmul(weight.value().transpose());
        return bias == null ? y : y.addiRowVector(bias.value());
    }

    /**
     * A small layer's backward ({@link DirectLinear}) creates only dx and small gradients; a large
     * one's weight gradient may take megabytes, dropped in a nested workspace.
     */
    @Override
    public boolean backwardTemporaries() {
        return !direct;
    }

    @Override
    protected INDArray doBackward(INDArray dy) {
        requireShape(dy, new long[] {x.size(0), out});
        if (direct) {
            DirectLinear.Grads g = DirectLinear.backward(x, weight.value(), dy, inputGradient);
            weight.accumulate(g.dW());
            if (bias != null) {
                bias.accumulate(g.dBias());
            }
            return g.dx();
        }
        weight.accumulate(dy.transpose().mmul(x));
        if (bias != null) {
            bias.accumulate(dy.sum(0));
        }
        return dy.mmul(weight.value());
    }

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
}
