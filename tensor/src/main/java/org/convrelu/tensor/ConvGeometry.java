package org.convrelu.tensor;

import java.util.Arrays;

/**
 * Kernel, stride, zero padding and dilation of a 1D, 2D or 3D convolution or pooling window.
 *
 * <p>Arrays are indexed by spatial axis: {@code [L]} in 1D, {@code [H, W]} in 2D,
 * {@code [D, H, W]} in 3D. Output size per axis:
 * {@code out = floor((in + 2·pad − dilation·(k − 1) − 1) / stride) + 1}.
 */
public record ConvGeometry(int[] kernel, int[] stride, int[] padding, int[] dilation) {

    public ConvGeometry {
        kernel = kernel.clone();
        stride = stride.clone();
        padding = padding.clone();
        dilation = dilation.clone();
        int dims = kernel.length;
        if (dims < 1 || dims > 3) {
            throw new IllegalArgumentException("only 1D, 2D and 3D windows are supported, got kernel " + Arrays.toString(kernel));
        }
        if (stride.length != dims || padding.length != dims || dilation.length != dims) {
            throw new IllegalArgumentException("kernel " + Arrays.toString(kernel) + ", stride " + Arrays.toString(stride)
                    + ", padding " + Arrays.toString(padding) + " and dilation " + Arrays.toString(dilation)
                    + " must have one entry per spatial axis");
        }
        for (int i = 0; i < dims; i++) {
            if (kernel[i] < 1 || stride[i] < 1 || dilation[i] < 1 || padding[i] < 0) {
                throw new IllegalArgumentException("kernel, stride and dilation must be ≥ 1 and padding ≥ 0, got kernel "
                        + Arrays.toString(kernel) + ", stride " + Arrays.toString(stride) + ", padding "
                        + Arrays.toString(padding) + ", dilation " + Arrays.toString(dilation));
            }
        }
    }

    /** A cubic window: the same kernel, stride, padding and dilation along every axis. */
    public static ConvGeometry of(int dims, int kernel, int stride, int padding, int dilation) {
        return new ConvGeometry(fill(dims, kernel), fill(dims, stride), fill(dims, padding), fill(dims, dilation));
    }

    /** A cubic window without dilation. */
    public static ConvGeometry of(int dims, int kernel, int stride, int padding) {
        return of(dims, kernel, stride, padding, 1);
    }

    /** Number of spatial axes (1, 2 or 3). */
    public int dims() {
        return kernel.length;
    }

    /** Number of kernel positions: k in 1D, k_h·k_w in 2D, k_d·k_h·k_w in 3D. */
    public int kernelVolume() {
        int v = 1;
        for (int k : kernel) {
            v *= k;
        }
        return v;
    }

    /** Output extent along every spatial axis for an input of extent {@code in}; fails if the window does not fit. */
    public long[] outputSize(long[] in) {
        if (in.length != dims()) {
            throw new IllegalArgumentException("input has " + in.length + " spatial axes " + Arrays.toString(in)
                    + ", window has " + dims());
        }
        long[] out = new long[dims()];
        for (int i = 0; i < dims(); i++) {
            long span = (long) dilation[i] * (kernel[i] - 1) + 1;
            long padded = in[i] + 2L * padding[i];
            if (padded < span) {
                throw new IllegalArgumentException("window of span " + span + " (kernel " + kernel[i] + ", dilation "
                        + dilation[i] + ") does not fit input extent " + in[i] + " with padding " + padding[i]
                        + " on spatial axis " + i);
            }
            out[i] = (padded - span) / stride[i] + 1;
        }
        return out;
    }

    /** {@code [N, channels, *out]}: the output of this window over an input {@code [N, C, *spatial]}. */
    public long[] outputShape(long[] inputShape, long channels) {
        long[] out = outputSize(spatialOf(inputShape));
        long[] shape = new long[2 + out.length];
        shape[0] = inputShape[0];
        shape[1] = channels;
        System.arraycopy(out, 0, shape, 2, out.length);
        return shape;
    }

    /** {@code [out, in, *kernel]}: the weights of a convolution with this window. */
    public long[] weightShape(long out, long in) {
        long[] shape = new long[2 + dims()];
        shape[0] = out;
        shape[1] = in;
        for (int i = 0; i < dims(); i++) {
            shape[2 + i] = kernel[i];
        }
        return shape;
    }

    /** The spatial extent of an [N, C, *spatial] shape, checking its rank. */
    public long[] spatialOf(long[] shape) {
        if (shape.length != dims() + 2) {
            throw new IllegalArgumentException("expected rank " + (dims() + 2) + " [N, C, " + spatialNames()
                    + "], got shape " + Arrays.toString(shape));
        }
        return Arrays.copyOfRange(shape, 2, shape.length);
    }

    /** "L", "H, W" or "D, H, W". */
    public String spatialNames() {
        return switch (dims()) {
            case 1 -> "L";
            case 2 -> "H, W";
            default -> "D, H, W";
        };
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ConvGeometry g && Arrays.equals(kernel, g.kernel) && Arrays.equals(stride, g.stride)
                && Arrays.equals(padding, g.padding) && Arrays.equals(dilation, g.dilation);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * (31 * Arrays.hashCode(kernel) + Arrays.hashCode(stride)) + Arrays.hashCode(padding))
                + Arrays.hashCode(dilation);
    }

    @Override
    public String toString() {
        return "ConvGeometry[kernel=" + Arrays.toString(kernel) + ", stride=" + Arrays.toString(stride) + ", padding="
                + Arrays.toString(padding) + ", dilation=" + Arrays.toString(dilation) + "]";
    }

    @Override
    public int[] kernel() {
        return kernel.clone();
    }

    @Override
    public int[] stride() {
        return stride.clone();
    }

    @Override
    public int[] padding() {
        return padding.clone();
    }

    @Override
    public int[] dilation() {
        return dilation.clone();
    }

    /** Kernel extent along spatial axis {@code axis}. */
    public int kernel(int axis) {
        return kernel[axis];
    }

    /** Stride along spatial axis {@code axis}. */
    public int stride(int axis) {
        return stride[axis];
    }

    /** Padding along spatial axis {@code axis}. */
    public int padding(int axis) {
        return padding[axis];
    }

    /** Dilation along spatial axis {@code axis}. */
    public int dilation(int axis) {
        return dilation[axis];
    }

    private static int[] fill(int dims, int value) {
        int[] a = new int[dims];
        Arrays.fill(a, value);
        return a;
    }
}
