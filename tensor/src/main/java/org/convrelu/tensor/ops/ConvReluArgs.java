package org.convrelu.tensor.ops;

import org.convrelu.tensor.ConvGeometry;
import org.convrelu.tensor.PaddedInput;

/**
 * The fixed arguments of a ConvReLU call.
 *
 * @param geometry the window (1D, 2D or 3D kernel, stride, padding, dilation)
 * @param padded what a window sees on padding (eq. 8 read literally, or the activated map zero-padded)
 * @param zeroThresholds every threshold is 0 and held there: the call is ReLU followed by the
 *        convolution. Both padding readings then agree, and no threshold gradient is computed.
 */
public record ConvReluArgs(ConvGeometry geometry, PaddedInput padded, boolean zeroThresholds) {

    /** ConvReLU with trainable thresholds. */
    public static ConvReluArgs of(ConvGeometry geometry, PaddedInput padded) {
        return new ConvReluArgs(geometry, padded, false);
    }

    /** {@code conv(max(x, 0))}: ConvReLU with every threshold held at 0. */
    public static ConvReluArgs reluThenConv(ConvGeometry geometry) {
        return new ConvReluArgs(geometry, PaddedInput.THRESHOLDED, true);
    }

    /** The padding reading that applies: with θ = 0 a thresholded padded zero is 0 as well. */
    public PaddedInput effectivePadding() {
        return zeroThresholds ? PaddedInput.THRESHOLDED : padded;
    }

    public boolean hasPadding() {
        for (int p : geometry.padding()) {
            if (p != 0) {
                return true;
            }
        }
        return false;
    }

    public boolean unitStride() {
        for (int s : geometry.stride()) {
            if (s != 1) {
                return false;
            }
        }
        return true;
    }
}
