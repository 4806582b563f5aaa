package org.convrelu.tensor;

import java.lang.ref.Reference;
import java.nio.FloatBuffer;
import java.util.stream.IntStream;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * 2×2 average pooling with stride 2 (DenseNet's transitions, Huang et al. 2017) on the CPU,
 * float32 {@code [N, C, H, W]} with even H and W: one pass per plane, spread over the cores.
 * ND4J's {@code avgpool2d} (oneDNN) took four times as long at DenseNet's sizes (26 against 6.5 ms
 * per step of the narrow DenseNet-BC, batch 128, forward and backward).
 */
public final class DirectPool {
    private DirectPool() {}

    /** Whether {@link #avg2x2} takes {@code x}: float32 {@code [N, C, H, W]}, H and W even, on the CPU. */
    public static boolean takes(INDArray x) {
        return x.dataType() == DataType.FLOAT && x.rank() == 4 && x.size(2) % 2 == 0 && x.size(3) % 2 == 0
                && x.length() <= Integer.MAX_VALUE && CpuKernels.available();
    }

    /** {@code y[n, c, i, j] = (x[2i, 2j] + x[2i, 2j+1] + x[2i+1, 2j] + x[2i+1, 2j+1]) / 4}: {@code [N, C, H/2, W/2]}. */
    public static INDArray avg2x2(INDArray x) {
        require(x);
        int planes = Math.toIntExact(x.size(0) * x.size(1)), h = (int) x.size(2), w = (int) x.size(3);
        INDArray xd = HeapCopy.dense(x);
        INDArray y = Nd4j.createUninitialized(DataType.FLOAT, x.size(0), x.size(1), h / 2, w / 2);
        FloatBuffer xs = xd.data().asNioFloat(), ys = y.data().asNioFloat();
        IntStream.range(0, planes).parallel().forEach(p -> {
            float[] in = Scratch.floats(0, h * w);
            float[] out = Scratch.floats(1, h * w / 4);
            xs.get(p * h * w, in, 0, h * w);
            for (int i = 0; i < h / 2; i++) {
                int top = 2 * i * w, bottom = top + w, o = i * (w / 2);
                for (int j = 0; j < w / 2; j++) {
                    out[o + j] = (in[top + 2 * j] + in[top + 2 * j + 1] + in[bottom + 2 * j] + in[bottom + 2 * j + 1]) * 0.25f;
                }
            }
            ys.put(p * (h * w / 4), out, 0, h * w / 4);
        });
        Reference.reachabilityFence(xd);
        return y;
    }

    /** The gradient of {@link #avg2x2}: each input of a window receives a quarter of its output's gradient. */
    public static INDArray avg2x2Backward(INDArray dy, long[] xShape) {
        if (xShape.length != 4 || dy.rank() != 4 || dy.size(2) * 2 != xShape[2] || dy.size(3) * 2 != xShape[3]
                || dy.size(0) != xShape[0] || dy.size(1) != xShape[1] || dy.dataType() != DataType.FLOAT) {
            throw new IllegalArgumentException("2×2 average pooling of " + java.util.Arrays.toString(xShape) + " has no output gradient "
                    + dy.dataType() + " " + java.util.Arrays.toString(dy.shape()));
        }
        int planes = Math.toIntExact(xShape[0] * xShape[1]), h = (int) xShape[2], w = (int) xShape[3];
        INDArray dyd = HeapCopy.dense(dy);
        INDArray dx = Nd4j.createUninitialized(DataType.FLOAT, xShape);
        FloatBuffer dys = dyd.data().asNioFloat(), dxs = dx.data().asNioFloat();
        IntStream.range(0, planes).parallel().forEach(p -> {
            float[] g = Scratch.floats(0, h * w / 4);
            float[] out = Scratch.floats(1, h * w);
            dys.get(p * (h * w / 4), g, 0, h * w / 4);
            for (int i = 0; i < h / 2; i++) {
                int top = 2 * i * w, bottom = top + w, o = i * (w / 2);
                for (int j = 0; j < w / 2; j++) {
                    float quarter = g[o + j] * 0.25f;
                    out[top + 2 * j] = quarter;
                    out[top + 2 * j + 1] = quarter;
                    out[bottom + 2 * j] = quarter;
                    out[bottom + 2 * j + 1] = quarter;
                }
            }
            dxs.put(p * h * w, out, 0, h * w);
        });
        Reference.reachabilityFence(dyd);
        return dx;
    }

    private static void require(INDArray x) {
        if (!takes(x)) {
            throw new IllegalArgumentException("2×2 average pooling here takes float32 [N, C, H, W] with even H and W on the CPU, got "
                    + x.dataType() + " " + java.util.Arrays.toString(x.shape()));
        }
    }
}
