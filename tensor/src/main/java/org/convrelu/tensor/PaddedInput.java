package org.convrelu.tensor;

/**
 * What a ConvReLU window sees where it lies on zero padding.
 *
 * <p>Eq. 8 of the paper applies {@code max(·, θ)} to every input of the window. Taken literally,
 * a padded zero is an input too and becomes {@code max(0, θ)} ({@link #THRESHOLDED}, the default);
 * the threshold then also receives gradient from padded positions where {@code 0 ≤ θ}. The
 * alternative reading pads the <em>activated</em> map, as a separate activation followed by a
 * zero-padded convolution would: padded positions contribute exactly zero ({@link #ZERO}).
 * Both coincide when {@code θ ≤ 0} in the forward pass.
 */
public enum PaddedInput {
    /** A padded zero is thresholded like any input: {@code max(0, θ)} (eq. 8 taken literally). */
    THRESHOLDED,
    /** Padding is applied after the threshold: padded positions contribute zero. */
    ZERO
}
