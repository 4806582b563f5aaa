package org.convrelu.nn.layers;

import org.convrelu.nn.AbstractLayer;
import org.convrelu.nn.ActivationGate;
import org.convrelu.nn.Mode;
import org.convrelu.tensor.ops.Backends;
import org.convrelu.tensor.ops.Implementation;
import org.convrelu.tensor.ops.cpu.DirectActivation;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * {@code f(x) = max(αx, x)} with a fixed small slope α (eq. 2; Maas et al. 2013 use 0.01). Float32 on
 * the CPU runs as one pass each way ({@link DirectActivation}); other arrays as ND4J element-wise ops.
 */
public final class LeakyReLU extends AbstractLayer implements ActivationGate {
    private final double alpha;
    private INDArray x; // the last input, [N, C, *S] (direct passes)
    private INDArray slope; // like x: 1 where x > 0, else α (ND4J ops)

    public LeakyReLU(String name, double alpha) {
        super(name);
        if (!(alpha >= 0 && alpha < 1)) {
            throw new IllegalArgumentException(name + ": LeakyReLU slope must be in [0, 1), got " + alpha);
        }
        this.alpha = alpha;
    }

    public double alpha() {
        return alpha;
    }

    @Override
    protected INDArray doForward(INDArray x, Mode mode) {
        if (Backends.activation(x) == Implementation.DIRECT) {
            this.x = x;
            this.slope = null;
            return DirectActivation.forward(x, new float[] {(float) alpha});
        }
        this.x = null;
        this.slope = x.gt(0).castTo(x.dataType()).muli(1 - alpha).addi(alpha);
        return x.mul(slope);
    }

    @Override
    protected INDArray doBackward(INDArray dy) {
        if (x != null) {
            requireShape(dy, x.shape());
            return DirectActivation.backward(x, dy, new float[] {(float) alpha}, false).dx();
        }
        requireShape(dy, slope.shape());
        return dy.mul(slope);
    }

    @Override
    public INDArray onMask() {
        return x != null ? x.gt(0).castTo(x.dataType()) : slope.eq(1.0).castTo(slope.dataType());
    }
}
