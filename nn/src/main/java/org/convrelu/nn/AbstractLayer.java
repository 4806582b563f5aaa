package org.convrelu.nn;

import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Names a layer, enforces forward-before-backward, and formats shape errors. */
public abstract class AbstractLayer implements Layer {
    private final String name;
    private boolean forwarded;

    protected AbstractLayer(String name) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("a layer needs a name");
        }
        this.name = name;
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final INDArray forward(INDArray x, Mode mode) {
        INDArray y = doForward(x, mode);
        forwarded = true;
        return y;
    }

    @Override
    public final INDArray backward(INDArray dy) {
        if (!forwarded) {
            throw new IllegalStateException(name + ": backward called before forward (" + getClass().getSimpleName()
                    + " caches its input in forward)");
        }
        return doBackward(dy);
    }

    protected abstract INDArray doForward(INDArray x, Mode mode);

    protected abstract INDArray doBackward(INDArray dy);

    /** Fails with the layer's name and both shapes unless {@code actual} has rank {@code rank}. */
    /** Values per example of an array of this shape: the product of every axis but the first. */
    protected static long perExample(long[] shape) {
        long n = 1;
        for (int i = 1; i < shape.length; i++) {
            n *= shape[i];
        }
        return n;
    }

    protected void requireRank(INDArray actual, int rank, String layout) {
        if (actual.rank() != rank) {
            throw new IllegalArgumentException(name + ": expected input " + layout + " of rank " + rank + ", got shape "
                    + Arrays.toString(actual.shape()));
        }
    }

    /** Fails with the layer's name unless {@code actual.size(axis) == expected}. */
    protected void requireSize(INDArray actual, int axis, long expected, String what) {
        if (actual.rank() <= axis || actual.size(axis) != expected) {
            throw new IllegalArgumentException(name + ": expected " + what + " = " + expected + " at axis " + axis
                    + ", got shape " + Arrays.toString(actual.shape()));
        }
    }

    /** Fails unless {@code dy} has the shape of the last output. */
    protected void requireShape(INDArray dy, long[] expected) {
        if (!Arrays.equals(dy.shape(), expected)) {
            throw new IllegalArgumentException(name + ": gradient has shape " + Arrays.toString(dy.shape())
                    + ", the last output had " + Arrays.toString(expected));
        }
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "(" + name + ")";
    }
}
