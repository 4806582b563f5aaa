package org.convrelu.tensor.ops.patches;

import org.convrelu.tensor.ConvGeometry;

/**
 * Where each kernel position of each output position reads its input, within one [spatial] plane.
 *
 * <p>{@code at(k, p)} is the flat offset into one (sample, channel) plane of the input that kernel
 * position {@code k} reads for output position {@code p}, or {@code -1} where the window lies on
 * zero padding. One table serves every sample and channel, and 1D, 2D and 3D alike (lower ranks
 * are 3D with leading extents of 1), so patch extraction and its adjoint are a single gather loop.
 */
final class PatchIndex {
    final int kernelVolume; // K
    final int positions; // P = Π output extents
    final int planeSize; // Π input extents
    final int[] offsets; // [K, P]

    private PatchIndex(int kernelVolume, int positions, int planeSize, int[] offsets) {
        this.kernelVolume = kernelVolume;
        this.positions = positions;
        this.planeSize = planeSize;
        this.offsets = offsets;
    }

    static PatchIndex of(ConvGeometry g, long[] inSpatial) {
        long[] outSpatial = g.outputSize(inSpatial);
        int[] in = lift(inSpatial);
        int[] out = lift(outSpatial);
        int[] k = lift(g.kernel()), s = lift(g.stride()), pad = new int[3], dil = lift(g.dilation());
        int shift = 3 - g.dims();
        for (int a = 0; a < g.dims(); a++) {
            pad[a + shift] = g.padding(a);
        }
        int kernelVolume = k[0] * k[1] * k[2];
        long positions = (long) out[0] * out[1] * out[2];
        long plane = (long) in[0] * in[1] * in[2];
        if ((long) kernelVolume * positions > Integer.MAX_VALUE || plane > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("patch table too large for input " + java.util.Arrays.toString(inSpatial)
                    + " and " + g);
        }
        int[] offsets = new int[(int) (kernelVolume * positions)];
        int i = 0;
        for (int kd = 0; kd < k[0]; kd++) {
            for (int kh = 0; kh < k[1]; kh++) {
                for (int kw = 0; kw < k[2]; kw++) {
                    for (int od = 0; od < out[0]; od++) {
                        int id = od * s[0] - pad[0] + kd * dil[0];
                        for (int oh = 0; oh < out[1]; oh++) {
                            int ih = oh * s[1] - pad[1] + kh * dil[1];
                            for (int ow = 0; ow < out[2]; ow++) {
                                int iw = ow * s[2] - pad[2] + kw * dil[2];
                                boolean inside = id >= 0 && id < in[0] && ih >= 0 && ih < in[1] && iw >= 0 && iw < in[2];
                                offsets[i++] = inside ? (id * in[1] + ih) * in[2] + iw : -1;
                            }
                        }
                    }
                }
            }
        }
        return new PatchIndex(kernelVolume, (int) positions, (int) plane, offsets);
    }

    /** Right-aligns 1..3 extents into 3, filling leading axes with 1. */
    private static int[] lift(long[] extents) {
        int[] r = {1, 1, 1};
        for (int i = 0; i < extents.length; i++) {
            r[3 - extents.length + i] = Math.toIntExact(extents[i]);
        }
        return r;
    }

    private static int[] lift(int[] extents) {
        int[] r = {1, 1, 1};
        System.arraycopy(extents, 0, r, 3 - extents.length, extents.length);
        return r;
    }
}
