package org.convrelu.nn;

import java.util.Arrays;
import org.convrelu.tensor.ops.cpu.HostArrays;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A trainable tensor: hierarchical name (e.g. {@code block1.layer3.conv2.theta}), value, gradient
 * and role. Layers add into {@link #grad()}; the optimiser reads it and {@link #zeroGrad()} clears it.
 * On the CPU both run in one pass over the buffer ({@link HostArrays}), elsewhere as ND4J ops.
 */
public final class Param {
    private final String name;
    private final ParamRole role;
    private final INDArray value;
    private final INDArray grad;

    public Param(String name, ParamRole role, INDArray value) {
        this.name = name;
        this.role = role;
        this.value = value;
        this.grad = value.ulike().assign(0);
    }

    public String name() {
        return name;
    }

    public ParamRole role() {
        return role;
    }

    /** The value; updated in place by optimisers. */
    public INDArray value() {
        return value;
    }

    /** The accumulated gradient, same shape as {@link #value()}. */
    public INDArray grad() {
        return grad;
    }

    public long size() {
        return value.length();
    }

    /** Adds {@code g} (same number of elements; reshaped to the value's shape) into the gradient. */
    public void accumulate(INDArray g) {
        if (g.length() != value.length()) {
            throw new IllegalArgumentException(name + ": gradient of shape " + Arrays.toString(g.shape())
                    + " does not match parameter of shape " + Arrays.toString(value.shape()));
        }
        if (HostArrays.covers(grad, g)) {
            HostArrays.add(grad, g);
        } else {
            grad.addi(g.reshape(value.shape()).castTo(grad.dataType()));
        }
    }

    public void zeroGrad() {
        if (HostArrays.covers(grad)) {
            HostArrays.zero(grad);
        } else {
            grad.assign(0);
        }
    }

    @Override
    public String toString() {
        return name + " " + role + " " + Arrays.toString(value.shape());
    }
}
