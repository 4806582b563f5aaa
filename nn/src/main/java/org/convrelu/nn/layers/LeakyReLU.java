package org.convrelu.nn.layers;

import org.convrelu.nn.AbstractLayer;
import org.convrelu.nn.ActivationGate;
import org.convrelu.nn.Mode;
import org.nd4j.linalg.api.ndarray.INDArray;

/** {@code f(x) = max(αx, x)} with a fixed small slope α (eq. 2; Maas et al. 2013 use 0.01). */
public final class LeakyReLU extends AbstractLayer implements ActivationGate {
    private final double alpha;
    private INDArray slope; // like x: 1 where x > 0, else α

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
        slope = x.gt(0).castTo(x.dataType()).muli(1 - alpha).addi(alpha);
        return x.mul(slope);
    }

    @Override
    protected INDArray doBackward(INDArray dy) {
        requireShape(dy, slope.shape());
        return dy.mul(slope);
    }

    @Override
    public INDArray onMask() {
        return slope.eq(1.0).castTo(slope.dataType());
    }
}
