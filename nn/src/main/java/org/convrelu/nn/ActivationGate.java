package org.convrelu.nn;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * An activation that can say, after a forward pass, which of its input units were in the "on"
 * (linear) regime: above the threshold, so that gradient reaches the input.
 */
public interface ActivationGate {
    /** 1 where the last forward's input was above its threshold, else 0; shaped like that input. */
    INDArray onMask();

    /** A short name of the activation, e.g. {@code ReLU}. */
    default String kind() {
        return getClass().getSimpleName();
    }
}
