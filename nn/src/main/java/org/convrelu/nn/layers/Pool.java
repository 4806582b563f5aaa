package org.convrelu.nn.layers;

import org.convrelu.nn.AbstractLayer;
import org.convrelu.nn.Mode;
import org.convrelu.tensor.ConvGeometry;
import org.convrelu.tensor.ops.Backends;
import org.convrelu.tensor.ops.Implementation;
import org.convrelu.tensor.ops.cpu.DirectPool;
import org.convrelu.tensor.ops.nd4j.Nd4jConv;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Max or average pooling over 1D {@code [N, C, L]} or 2D {@code [N, C, H, W]} windows. Average
 * pooling divides by the full window (padded zeros count), as PyTorch's default.
 */
public final class Pool extends AbstractLayer {
    /** The reduction over a window. */
    public enum Kind { MAX, AVG }

    private final Kind kind;
    private final ConvGeometry geometry;
    private INDArray x; // [N, C, *S]
    private boolean direct; // the last forward ran on DirectPool; its backward does too
    private long[] yShape; // [N, C, *O]

    public Pool(String name, Kind kind, ConvGeometry geometry) {
        super(name);
        if (!Nd4jConv.covers(geometry)) {
            throw new IllegalArgumentException(name + ": pooling takes 1D or 2D windows, got " + geometry);
        }
        this.kind = kind;
        this.geometry = geometry;
    }

    public Kind kind() {
        return kind;
    }

    public static Pool max1d(String name, int kernel, int stride) {
        return new Pool(name, Kind.MAX, ConvGeometry.of(1, kernel, stride, 0));
    }

    public static Pool max2d(String name, int kernel, int stride, int padding) {
        return new Pool(name, Kind.MAX, ConvGeometry.of(2, kernel, stride, padding));
    }

    public static Pool avg2d(String name, int kernel, int stride) {
        return new Pool(name, Kind.AVG, ConvGeometry.of(2, kernel, stride, 0));
    }

    @Override
    protected INDArray doForward(INDArray x, Mode mode) {
        requireRank(x, geometry.dims() + 2, "[N, C, " + geometry.spatialNames() + "]");
        this.x = x;
        direct = Backends.pool(x, geometry, kind == Kind.AVG) == Implementation.DIRECT;
        INDArray y = kind == Kind.MAX ? (direct ? DirectPool.max1d(x, geometry) : Nd4jConv.maxPool(x, geometry))
                : direct ? DirectPool.avg2x2(x) : Nd4jConv.avgPool(x, geometry);
        yShape = y.shape();
        return y;
    }

    /** {@link DirectPool}'s backward creates only dx. */
    @Override
    public boolean backwardTemporaries() {
        return !direct;
    }

    @Override
    protected INDArray doBackward(INDArray dy) {
        requireShape(dy, yShape);
        if (kind == Kind.MAX) {
            return direct ? DirectPool.max1dBackward(x, dy, geometry) : Nd4jConv.maxPoolBackward(x, dy, geometry);
        }
        return direct ? DirectPool.avg2x2Backward(dy, x.shape()) : Nd4jConv.avgPoolBackward(x, dy, geometry);
    }
}
