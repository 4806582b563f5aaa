package org.convrelu.nn.layers;

import java.util.List;
import org.convrelu.nn.AbstractLayer;
import org.convrelu.nn.ActivationGate;
import org.convrelu.nn.Mode;
import org.convrelu.nn.Param;
import org.convrelu.nn.ParamRole;
import org.convrelu.tensor.Axes;
import org.convrelu.tensor.Precision;
import org.convrelu.tensor.ops.Backends;
import org.convrelu.tensor.ops.Implementation;
import org.convrelu.tensor.ops.cpu.DirectActivation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Parametric ReLU (He et al. 2015): {@code f(x) = x} for {@code x > 0}, else {@code β·x}, with a
 * trainable slope β, one for the whole layer or one per channel, initialised to 0.25. Float32 on the
 * CPU runs as one pass each way ({@link DirectActivation}); other arrays as ND4J element-wise ops.
 */
public final class PReLU extends AbstractLayer implements ActivationGate {
    /** One slope for the layer, or one per channel. */
    public enum Sharing { LAYER, CHANNEL }

    private final Sharing sharing;
    private final Param slope; // [1] or [C]
    private INDArray x; // [N, C, ...]
    private INDArray pass; // like x: 1 where x > 0 (ND4J ops; null on the direct passes)

    public PReLU(String name, Sharing sharing, int channels, Precision precision) {
        super(name);
        this.sharing = sharing;
        long n = sharing == Sharing.LAYER ? 1 : channels;
        this.slope = new Param(name + ".slope", ParamRole.PRELU, Nd4j.valueArrayOf(new long[] {n}, 0.25, precision.dataType()));
    }

    public Sharing sharing() {
        return sharing;
    }

    @Override
    protected INDArray doForward(INDArray x, Mode mode) {
        if (sharing == Sharing.CHANNEL) {
            requireSize(x, 1, slope.size(), "channels");
        }
        this.x = x;
        if (Backends.activation(x) == Implementation.DIRECT) {
            this.pass = null;
            return DirectActivation.forward(x, slope.value().toFloatVector());
        }
        this.pass = x.gt(0).castTo(x.dataType());
        INDArray negative = x.mul(pass.rsub(1)).muli(broadcastSlope(x.rank()));
        return x.mul(pass).addi(negative);
    }

    @Override
    protected INDArray doBackward(INDArray dy) {
        requireShape(dy, x.shape());
        if (pass == null) {
            DirectActivation.Grads g = DirectActivation.backward(x, dy, slope.value().toFloatVector(), true);
            slope.accumulate(Nd4j.createFromArray(g.dSlopes()));
            return g.dx();
        }
        INDArray negativeGrad = dy.mul(x).muli(pass.rsub(1)); // ∂f/∂β = x where x ≤ 0
        slope.accumulate(sharing == Sharing.LAYER ? negativeGrad.sum() : negativeGrad.sum(Axes.allButChannels(x.rank())));
        INDArray localSlope = pass.rsub(1).muli(broadcastSlope(x.rank())).addi(pass);
        return dy.mul(localSlope);
    }

    private INDArray broadcastSlope(int rank) {
        return sharing == Sharing.LAYER ? slope.value().reshape(Axes.channelShape(rank, 1))
                : slope.value().reshape(Axes.channelShape(rank, slope.size()));
    }

    @Override
    public List<Param> params() {
        return List.of(slope);
    }

    @Override
    public INDArray onMask() {
        return pass != null ? pass : x.gt(0).castTo(x.dataType());
    }
}
