package org.convrelu.nn.layers;

import java.util.ArrayList;
import java.util.List;
import org.convrelu.nn.AbstractLayer;
import org.convrelu.nn.ActivationGate;
import org.convrelu.nn.Layer;
import org.convrelu.nn.Mode;
import org.convrelu.nn.Param;
import org.convrelu.tensor.ConvGeometry;
import org.convrelu.tensor.Precision;
import org.convrelu.tensor.RandomStream;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Funnel activation (Ma, Zhang and Sun, ECCV 2020), an extra baseline: {@code y = max(x, T(x))}
 * with a spatial threshold {@code T = BN(depthwise 3×3 conv(x))} (3 in 1D). Like ConvReLU it
 * makes the threshold depend on the neighbourhood; unlike it, the threshold is computed from the
 * input rather than learned per kernel position.
 */
public final class FReLU extends AbstractLayer implements ActivationGate {
    private final DepthwiseConv funnel;
    private final BatchNorm norm;
    private INDArray pass; // like x: 1 where x > T(x)

    public FReLU(String name, int channels, int dims, Precision precision, RandomStream rng) {
        super(name);
        this.funnel = new DepthwiseConv(name + ".funnel", channels, ConvGeometry.of(dims, 3, 1, 1), precision, rng);
        this.norm = new BatchNorm(name + ".bn", channels, precision);
    }

    @Override
    protected INDArray doForward(INDArray x, Mode mode) {
        INDArray t = norm.forward(funnel.forward(x, mode), mode);
        pass = x.gt(t).castTo(x.dataType());
        return Transforms.max(x, t, true);
    }

    @Override
    protected INDArray doBackward(INDArray dy) {
        requireShape(dy, pass.shape());
        INDArray dT = dy.mul(pass.rsub(1));
        return dy.mul(pass).addi(funnel.backward(norm.backward(dT)));
    }

    @Override
    public INDArray onMask() {
        return pass;
    }

    @Override
    public List<Param> params() {
        List<Param> ps = new ArrayList<>(funnel.params());
        ps.addAll(norm.params());
        return ps;
    }

    @Override
    public List<Layer> layers() {
        return List.of(this, funnel, norm);
    }
}
