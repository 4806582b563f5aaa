package org.convrelu.nn.layers;

import org.convrelu.nn.AbstractLayer;
import org.convrelu.nn.ActivationGate;
import org.convrelu.nn.Mode;
import org.convrelu.tensor.ops.Backends;
import org.convrelu.tensor.ops.Implementation;
import org.convrelu.tensor.ops.cpu.DirectActivation;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * {@code f(x) = max(0, x)}, eq. 1; gradient 1 where {@code x > 0}, else 0. Float32 on the CPU runs
 * as one pass each way ({@link DirectActivation} with slope 0: {@code 0·x} where {@code x ≤ 0}, as
 * {@code x·[x > 0]} gives); other arrays as ND4J element-wise ops (three calls forward, where the
 * reduced MR char-CNN's three ReLUs took 1.3 ms of its step).
 */
public final class ReLU extends AbstractLayer implements ActivationGate {
    private static final float[] ZERO_SLOPE = {0f};
    private INDArray x; // the last input, [N, C, *S] (direct passes)
    private INDArray pass; // like x: 1 where x > 0 (ND4J ops)

    public ReLU(String name) {
        super(name);
    }

    @Override
    protected INDArray doForward(INDArray x, Mode mode) {
        if (Backends.activation(x) == Implementation.DIRECT) {
            this.x = x;
            this.pass = null;
            return DirectActivation.forward(x, ZERO_SLOPE);
        }
        this.x = null;
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
        if (x != null) {
            requireShape(dy, x.shape());
            return DirectActivation.backward(x, dy, ZERO_SLOPE, false).dx();
        }
        requireShape(dy, pass.shape());
        return dy.mul(pass);
    }

    @Override
    public INDArray onMask() {
        return x != null ? x.gt(0).castTo(x.dataType()) : pass;
    }
}
