package org.convrelu.nn.models;

import org.convrelu.nn.init.Init;
import org.convrelu.nn.layers.AdaReLU;
import org.convrelu.nn.layers.PReLU;
import org.convrelu.tensor.PaddedInput;

/**
 * Which activation replaces a ReLU site: ReLU, LeakyReLU(α), PReLU (one slope per site or per
 * channel), AdaReLU (per channel or per layer), ConvReLU (merged into the convolution the site
 * feeds, eq. 8 of Gao, Cai, Ji 2020), with the threshold initialisation of Table 4, or FReLU
 * (Ma et al. 2020) as an extra baseline.
 */
public record ActivationSpec(Kind kind, double alpha, PReLU.Sharing preluSharing, AdaReLU.Sharing adaSharing,
        ThresholdInit thresholdInit, PaddedInput padded) {

    /** The activation families. */
    public enum Kind { RELU, LEAKY_RELU, PRELU, ADARELU, CONVRELU, FRELU }

    /** Threshold initialisation (Table 4): zero (the paper's choice), random normal, Glorot. */
    public enum ThresholdInit {
        ZERO,
        /** N(0, 0.01²): the paper gives no σ; 0.01 keeps thresholds near zero as its argument asks. */
        RANDOM,
        /** Glorot as the paper states it: uniform, variance 2 / (input channels + output channels). */
        GLOROT_UNIFORM,
        /** A Glorot variant: normal, variance 2 / (C·K + D·K) over the convolution's fans (not the paper's). */
        GLOROT_NORMAL_FANS;

        public Init init() {
            return switch (this) {
                case ZERO -> Init.zero();
                case RANDOM -> Init.normal(0.01);
                case GLOROT_UNIFORM -> Init.glorotUniformChannels();
                case GLOROT_NORMAL_FANS -> Init.glorotNormalFans();
            };
        }
    }

    public static ActivationSpec relu() {
        return new ActivationSpec(Kind.RELU, 0, null, null, null, null);
    }

    /** LeakyReLU with α = 0.01 (Maas et al. 2013). */
    public static ActivationSpec leakyRelu() {
        return leakyRelu(0.01);
    }

    public static ActivationSpec leakyRelu(double alpha) {
        return new ActivationSpec(Kind.LEAKY_RELU, alpha, null, null, null, null);
    }

    /** PReLU with one slope per replaced ReLU, as the parameter counts of Table 6 imply. */
    public static ActivationSpec prelu() {
        return prelu(PReLU.Sharing.LAYER);
    }

    public static ActivationSpec prelu(PReLU.Sharing sharing) {
        return new ActivationSpec(Kind.PRELU, 0, sharing, null, null, null);
    }

    public static ActivationSpec adaRelu(AdaReLU.Sharing sharing, ThresholdInit init) {
        if (sharing == AdaReLU.Sharing.ELEMENT) {
            throw new IllegalArgumentException("per-element AdaReLU needs the feature map size; use CHANNEL or LAYER in models");
        }
        return new ActivationSpec(Kind.ADARELU, 0, null, sharing, init, null);
    }

    /** ConvReLU with zero-initialised thresholds and padding thresholded as in eq. 8. */
    public static ActivationSpec convRelu() {
        return convRelu(ThresholdInit.ZERO);
    }

    public static ActivationSpec convRelu(ThresholdInit init) {
        return new ActivationSpec(Kind.CONVRELU, 0, null, null, init, PaddedInput.THRESHOLDED);
    }

    /** FReLU (Ma et al. 2020), an extra baseline: max(x, BN(depthwise 3×3 conv(x))). */
    public static ActivationSpec frelu() {
        return new ActivationSpec(Kind.FRELU, 0, null, null, null, null);
    }

    /** A short label, e.g. {@code ConvReLU(init=ZERO, padding=THRESHOLDED)}. */
    public String describe() {
        return switch (kind) {
            case RELU -> "ReLU";
            case LEAKY_RELU -> "LeakyReLU(alpha=" + alpha + ")";
            case PRELU -> "PReLU(" + preluSharing + ")";
            case ADARELU -> "AdaReLU(" + adaSharing + ", init=" + thresholdInit + ")";
            case CONVRELU -> "ConvReLU(init=" + thresholdInit + ", padding=" + padded + ")";
            case FRELU -> "FReLU";
        };
    }
}
