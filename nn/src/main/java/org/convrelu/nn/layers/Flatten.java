package org.convrelu.nn.layers;

import org.convrelu.nn.AbstractLayer;
import org.convrelu.nn.Mode;
import org.nd4j.linalg.api.ndarray.INDArray;

/** {@code [N, *] → [N, Π *]} in c order. */
public final class Flatten extends AbstractLayer {
    private long[] xShape;

    public Flatten(String name) {
        super(name);
    }

    @Override
    protected INDArray doForward(INDArray x, Mode mode) {
        xShape = x.shape();
        return x.reshape('c', x.size(0), x.length() / x.size(0));
    }

    /** Its backward creates only dx, a reshape of dy. */
    @Override
    public boolean backwardTemporaries() {
        return false;
    }

    @Override
    protected INDArray doBackward(INDArray dy) {
        return dy.reshape('c', xShape);
    }
}
