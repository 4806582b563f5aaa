package org.convrelu.tensor.ops.nd4j;

import java.util.Arrays;
import org.convrelu.tensor.ConvGeometry;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.factory.Nd4j;

/**
 * 1D and 2D convolution and pooling through ND4J's native ops ({@code conv2d}, {@code conv2d_bp},
 * {@code maxpool2d}, {@code avgpool2d} and their {@code _bp}), which run on oneDNN on the CPU and on
 * cuDNN with the CUDA backend. A 1D input {@code [N, C, L]} runs as {@code [N, C, 1, L]}.
 *
 * <p>Layouts: input {@code [N, C, *S]}, weights {@code [D, C, *kernel]}, output {@code [N, D, *out]}.
 */
public final class Nd4jConv {
    private static final int NCHW = 0;
    private static final int WEIGHTS_OIHW = 1;
    private static final int AVG_DIVIDE_BY_KERNEL = 1;

    private Nd4jConv() {}

    /** Whether these ops handle the geometry (1D or 2D). */
    public static boolean covers(ConvGeometry g) {
        return g.dims() <= 2;
    }

    /**
     * Why ND4J's {@code conv2d} cannot run a convolution of this dtype and window, or null when it
     * can: it takes 1D/2D windows, and on the CPU backend ND4J 1.0.0-M2.1's oneDNN path fails to
     * create a dilated float32 convolution.
     */
    public static String convUnsupported(DataType type, ConvGeometry g) {
        if (!covers(g)) {
            return "a " + g.dims() + "D window (ND4J's conv2d is 1D/2D)";
        }
        boolean dilated = Arrays.stream(g.dilation()).anyMatch(d -> d != 1);
        if (dilated && type == DataType.FLOAT && Nd4j.getEnvironment().isCPU()) {
            return "a dilated float32 window (ND4J's oneDNN conv2d on the CPU cannot create it)";
        }
        return null;
    }

    /** {@code y = conv(x, w) + b}; {@code bias} may be null. */
    public static INDArray conv(INDArray x, INDArray w, INDArray bias, ConvGeometry g) {
        long[] yShape = outShape(x.shape(), w.size(0), g);
        INDArray y = Nd4j.createUninitialized(x.dataType(), to2d(yShape));
        DynamicCustomOp.DynamicCustomOpsBuilder op = DynamicCustomOp.builder("conv2d")
                .addInputs(inputs(to2d(x), to2d(w), bias))
                .addOutputs(y)
                .addIntegerArguments(convArgs(g));
        Nd4j.exec(op.build());
        return y.reshape(yShape);
    }

    /** Gradients of {@link #conv}: {@code dx}, {@code dW} and {@code db} (null without bias). */
    public record ConvGrads(INDArray dx, INDArray dW, INDArray db) {}

    public static ConvGrads convBackward(INDArray x, INDArray w, INDArray bias, INDArray dy, ConvGeometry g) {
        INDArray dx = Nd4j.createUninitialized(x.dataType(), to2d(x.shape()));
        INDArray dW = Nd4j.createUninitialized(w.dataType(), to2d(w.shape()));
        INDArray db = bias == null ? null : Nd4j.createUninitialized(bias.dataType(), bias.shape());
        INDArray[] outputs = bias == null ? new INDArray[] {dx, dW} : new INDArray[] {dx, dW, db};
        INDArray[] ins = bias == null ? new INDArray[] {to2d(x), to2d(w), to2d(dy)}
                : new INDArray[] {to2d(x), to2d(w), bias, to2d(dy)};
        Nd4j.exec(DynamicCustomOp.builder("conv2d_bp").addInputs(ins).addOutputs(outputs)
                .addIntegerArguments(convArgs(g)).build());
        return new ConvGrads(dx.reshape(x.shape()), dW.reshape(w.shape()), db);
    }

    /** Max over each window. */
    public static INDArray maxPool(INDArray x, ConvGeometry g) {
        return pool("maxpool2d", x, g);
    }

    /** Mean over each window, dividing by the full kernel volume. */
    public static INDArray avgPool(INDArray x, ConvGeometry g) {
        return pool("avgpool2d", x, g);
    }

    public static INDArray maxPoolBackward(INDArray x, INDArray dy, ConvGeometry g) {
        return poolBackward("maxpool2d_bp", x, dy, g);
    }

    public static INDArray avgPoolBackward(INDArray x, INDArray dy, ConvGeometry g) {
        return poolBackward("avgpool2d_bp", x, dy, g);
    }

    private static INDArray pool(String op, INDArray x, ConvGeometry g) {
        long[] yShape = outShape(x.shape(), x.size(1), g);
        INDArray y = Nd4j.createUninitialized(x.dataType(), to2d(yShape));
        Nd4j.exec(DynamicCustomOp.builder(op).addInputs(to2d(x)).addOutputs(y).addIntegerArguments(poolArgs(g)).build());
        return y.reshape(yShape);
    }

    private static INDArray poolBackward(String op, INDArray x, INDArray dy, ConvGeometry g) {
        INDArray dx = Nd4j.createUninitialized(x.dataType(), to2d(x.shape()));
        Nd4j.exec(DynamicCustomOp.builder(op).addInputs(to2d(x), to2d(dy)).addOutputs(dx)
                .addIntegerArguments(poolArgs(g)).build());
        return dx.reshape(x.shape());
    }

    private static long[] outShape(long[] xShape, long channels, ConvGeometry g) {
        if (!covers(g)) {
            throw new IllegalArgumentException("ND4J conv/pool ops here take 1D or 2D windows, got " + g);
        }
        return g.outputShape(xShape, channels);
    }

    /** [kH, kW, sH, sW, pH, pW, dH, dW] with 1D lifted to H = 1. */
    private static int[] window(ConvGeometry g) {
        if (g.dims() == 1) {
            return new int[] {1, g.kernel(0), 1, g.stride(0), 0, g.padding(0), 1, g.dilation(0)};
        }
        return new int[] {g.kernel(0), g.kernel(1), g.stride(0), g.stride(1), g.padding(0), g.padding(1),
                g.dilation(0), g.dilation(1)};
    }

    private static int[] convArgs(ConvGeometry g) {
        int[] w = window(g);
        int[] args = Arrays.copyOf(w, 11);
        args[8] = 0; // explicit padding, not "same"
        args[9] = NCHW;
        args[10] = WEIGHTS_OIHW;
        return args;
    }

    private static int[] poolArgs(ConvGeometry g) {
        int[] w = window(g);
        int[] args = Arrays.copyOf(w, 11);
        args[8] = 0;
        args[9] = AVG_DIVIDE_BY_KERNEL; // ignored by max pooling
        args[10] = NCHW;
        return args;
    }

    private static INDArray[] inputs(INDArray x, INDArray w, INDArray bias) {
        return bias == null ? new INDArray[] {x, w} : new INDArray[] {x, w, bias};
    }

    private static INDArray to2d(INDArray a) {
        return a.rank() == 3 ? a.reshape(a.size(0), a.size(1), 1, a.size(2)) : a;
    }

    private static long[] to2d(long[] shape) {
        return shape.length == 3 ? new long[] {shape[0], shape[1], 1, shape[2]} : shape;
    }
}
