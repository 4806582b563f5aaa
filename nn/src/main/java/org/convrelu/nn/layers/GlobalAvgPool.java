package org.convrelu.nn.layers;

import org.convrelu.nn.AbstractLayer;
import org.convrelu.nn.Mode;
import org.convrelu.tensor.Axes;
import org.convrelu.tensor.ops.Backends;
import org.convrelu.tensor.ops.Implementation;
import org.convrelu.tensor.ops.cpu.DirectPool;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Mean over every spatial position: {@code [N, C, *S] → [N, C]}; on {@link DirectPool} where it takes the input. */
public final class GlobalAvgPool extends AbstractLayer {
    private long[] xShape; // [N, C, *S]
    private boolean direct; // the last forward ran on DirectPool (float32 on the CPU); its backward does too

    public GlobalAvgPool(String name) {
        super(name);
    }

    @Override
    protected INDArray doForward(INDArray x, Mode mode) {
        if (x.rank() < 3) {
            throw new IllegalArgumentException(name() + ": expected [N, C, *spatial], got shape " + java.util.Arrays.toString(x.shape()));
        }
        xShape = x.shape();
        direct = Backends.globalPool(x) == Implementation.DIRECT;
        return direct ? DirectPool.globalAvg(x) : x.mean(Axes.spatial(x.rank()));
    }

    /** {@link DirectPool}'s backward creates only dx. */
    @Override
    public boolean backwardTemporaries() {
        return !direct;
    }

    @Override
    protected INDArray doBackward(INDArray dy) {
        requireShape(dy, new long[] {xShape[0], xShape[1]});
        if (direct) {
            return DirectPool.globalAvgBackward(dy, xShape);
        }
        long positions = 1;
        long[] laid = new long[xShape.length];
        java.util.Arrays.fill(laid, 1);
        laid[0] = xShape[0];
        laid[1] = xShape[1];
        for (int i = 2; i < xShape.length; i++) {
            positions *= xShape[i];
        }
        return dy.div(positions).reshape(laid).broadcast(xShape);
    }
}
