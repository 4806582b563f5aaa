package org.convrelu.nn.layers;

import org.convrelu.nn.AbstractLayer;
import org.convrelu.nn.ActivationGate;
import org.convrelu.nn.Mode;
import org.nd4j.linalg.api.ndarray.INDArray;

/** {@code f(x) = max(0, x)}, eq. 1; gradient 1 where {@code x > 0}, else 0. */
public final class ReLU extends AbstractLayer implements ActivationGate {
    private INDArray pass; // like x: 1 where x > 0

    public ReLU(String name) {
        super(name);
    }

    @Override
    protected INDArray doForward(INDArray x, Mode mode) {
        pass = x.gt(0).castTo(x.dataType());
        return x.mul(pass);
    }

    /** Its backward creates only dx. */
    @Override
    public boolean backwardTemporaries() {
        return false;
    }

    @Override
    protected INDArray doBackward(INDArray dy) {
        requireShape(dy, pass.shape());
        return dy.mul(pass);
    }

    @Override
    public INDArray onMask() {
        return pass;
    }
}
