package org.convrelu.nn;

/**
 * What a parameter is, so that an optimiser can treat each kind on its own (e.g. the L2
 * coefficient on ConvReLU thresholds is set apart from the weight decay of the weights).
 */
public enum ParamRole {
    /** Convolution and linear weights. */
    WEIGHT,
    /** Convolution and linear biases. */
    BIAS,
    /** AdaReLU and ConvReLU thresholds θ. */
    THRESHOLD,
    /** BatchNorm scale γ and shift β. */
    BATCH_NORM,
    /** PReLU slopes. */
    PRELU
}
