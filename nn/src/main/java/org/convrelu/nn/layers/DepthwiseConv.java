package org.convrelu.nn.layers;

import java.util.List;
import org.convrelu.nn.AbstractLayer;
import org.convrelu.nn.Mode;
import org.convrelu.nn.Param;
import org.convrelu.nn.ParamRole;
import org.convrelu.nn.init.Init;
import org.convrelu.tensor.ConvGeometry;
import org.convrelu.tensor.ops.patches.Patches;
import org.convrelu.tensor.Precision;
import org.convrelu.tensor.RandomStream;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Depthwise convolution, 1D/2D/3D, no bias: each channel convolved with its own kernel,
 * {@code y[n,c,o] = Σ_k W[c,k] · x[n,c,o+k]}. Runs as patches and a per-channel weighted sum.
 */
public final class DepthwiseConv extends AbstractLayer {
    private final int channels;
    private final ConvGeometry geometry;
    private final Param weight; // [C, *k]
    private INDArray cols; // [C·K, N·P]
    private long[] xShape; // [N, C, *S]
    private long[] yShape; // [N, C, *O]

    public DepthwiseConv(String name, int channels, ConvGeometry geometry, Precision precision, RandomStream rng) {
        super(name);
        this.channels = channels;
        this.geometry = geometry;
        long[] shape = new long[1 + geometry.dims()];
        shape[0] = channels;
        for (int i = 0; i < geometry.dims(); i++) {
            shape[1 + i] = geometry.kernel(i);
        }
        int k = geometry.kernelVolume();
        this.weight = new Param(name + ".weight", ParamRole.WEIGHT, Init.he().create(rng, precision, shape, k, k));
    }

    /** Every output value is one channel's window times its weights. */
    @Override
    public long multiplyAdds() {
        return yShape == null ? 0 : perExample(yShape) * (weight.value().length() / yShape[1]);
    }

    @Override
    protected INDArray doForward(INDArray x, Mode mode) {
        requireRank(x, geometry.dims() + 2, "[N, C, " + geometry.spatialNames() + "]");
        requireSize(x, 1, channels, "channels");
        xShape = x.shape();
        long[] out = geometry.outputSize(geometry.spatialOf(xShape));
        yShape = new long[xShape.length];
        yShape[0] = xShape[0];
        yShape[1] = channels;
        System.arraycopy(out, 0, yShape, 2, out.length);
        cols = Patches.im2col(x, geometry);
        long k = geometry.kernelVolume();
        long np = cols.size(1);
        INDArray y = cols.reshape(channels, k, np).mul(weight.value().reshape(channels, k, 1)).sum(1); // [C, N·P]
        return y.reshape(channels, xShape[0], np / xShape[0]).permute(1, 0, 2).dup('c').reshape(yShape);
    }

    @Override
    protected INDArray doBackward(INDArray dy) {
        requireShape(dy, yShape);
        long k = geometry.kernelVolume();
        long np = cols.size(1);
        INDArray g = dy.reshape(xShape[0], channels, np / xShape[0]).permute(1, 0, 2).dup('c').reshape(channels, 1, np);
        weight.accumulate(cols.reshape(channels, k, np).mul(g).sum(2)); // [C, K]
        INDArray dCols = weight.value().reshape(channels, k, 1).mul(g).reshape(channels * k, np); // [C·K, N·P]
        return Patches.col2im(dCols, geometry, xShape);
    }

    @Override
    public List<Param> params() {
        return List.of(weight);
    }
}
