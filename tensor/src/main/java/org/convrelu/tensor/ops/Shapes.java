package org.convrelu.tensor.ops;

import org.convrelu.tensor.ConvGeometry;

/** Output shapes of windowed ops. */
final class Shapes {
    private Shapes() {}

    /** {@code [N, D, *O]} of a window over {@code x [N, C, *S]} with {@code d} output channels. */
    static long[] output(long[] xShape, long d, ConvGeometry g) {
        long[] out = g.outputSize(g.spatialOf(xShape));
        long[] shape = new long[2 + out.length];
        shape[0] = xShape[0];
        shape[1] = d;
        System.arraycopy(out, 0, shape, 2, out.length);
        return shape;
    }
}
