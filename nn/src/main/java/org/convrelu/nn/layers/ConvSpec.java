package org.convrelu.nn.layers;

import org.convrelu.tensor.ConvGeometry;

/**
 * Hyperparameters of a convolution: input and output channels, window, and whether it has a bias.
 * Weights are {@code [out, in, *kernel]}.
 */
public record ConvSpec(int inChannels, int outChannels, ConvGeometry geometry, boolean bias) {

    public ConvSpec {
        if (inChannels < 1 || outChannels < 1) {
            throw new IllegalArgumentException("channels must be ≥ 1, got in=" + inChannels + ", out=" + outChannels);
        }
    }

    public static ConvSpec conv1d(int in, int out, int kernel, int stride, int padding) {
        return new ConvSpec(in, out, ConvGeometry.of(1, kernel, stride, padding), false);
    }

    public static ConvSpec conv2d(int in, int out, int kernel, int stride, int padding) {
        return new ConvSpec(in, out, ConvGeometry.of(2, kernel, stride, padding), false);
    }

    public static ConvSpec conv3d(int in, int out, int kernel, int stride, int padding) {
        return new ConvSpec(in, out, ConvGeometry.of(3, kernel, stride, padding), false);
    }

    public ConvSpec withBias() {
        return new ConvSpec(inChannels, outChannels, geometry, true);
    }

    public ConvSpec withDilation(int dilation) {
        ConvGeometry g = geometry;
        int[] d = new int[g.dims()];
        java.util.Arrays.fill(d, dilation);
        return new ConvSpec(inChannels, outChannels, new ConvGeometry(g.kernel(), g.stride(), g.padding(), d), bias);
    }

    /** {@code [out, in, *kernel]}. */
    public long[] weightShape() {
        return geometry.weightShape(outChannels, inChannels);
    }

    /** {@code [in, *kernel]}: one ConvReLU threshold per input channel and kernel position. */
    public long[] thresholdShape() {
        long[] s = new long[1 + geometry.dims()];
        s[0] = inChannels;
        for (int i = 0; i < geometry.dims(); i++) {
            s[1 + i] = geometry.kernel(i);
        }
        return s;
    }

    public long fanIn() {
        return (long) inChannels * geometry.kernelVolume();
    }

    public long fanOut() {
        return (long) outChannels * geometry.kernelVolume();
    }

    /** {@code [N, out, *outSpatial]} for an input of shape {@code [N, in, *spatial]}. */
    public long[] outputShape(long[] inputShape) {
        return geometry.outputShape(inputShape, outChannels);
    }
}
