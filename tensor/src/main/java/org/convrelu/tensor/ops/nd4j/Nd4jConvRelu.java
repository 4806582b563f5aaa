package org.convrelu.tensor.ops.nd4j;

import java.util.Optional;
import org.convrelu.tensor.Axes;
import org.convrelu.tensor.ConvGeometry;
import org.convrelu.tensor.PaddedInput;
import org.convrelu.tensor.ops.Channels;
import org.convrelu.tensor.ops.ConvReluArgs;
import org.convrelu.tensor.ops.ConvReluOp;
import org.convrelu.tensor.ops.Implementation;
import org.convrelu.tensor.ops.patches.PatchGemm;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastMax;
import org.nd4j.linalg.api.ops.impl.broadcast.bool.BroadcastEqualTo;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * ConvReLU in ND4J ops only, so on ND4J's CUDA backend every array stays on the device. 1D runs
 * as 2D with a height of 1.
 *
 * <ul>
 *   <li>Where a threshold depends on the channel only (a 1×1 window without padding, or thresholds
 *       held at 0, i.e. ReLU → conv): {@code max(x, θ[c])} as one broadcast op, then ND4J's native
 *       convolution (oneDNN on the CPU, cuDNN on a GPU).</li>
 *   <li>Otherwise eq. 8 as the paper computes it: ND4J's {@code im2col} op gives the patches
 *       {@code [N, C, kH, kW, oH, oW]}, laid out as {@code [C·K, N·P]}; a broadcast max with θ per row
 *       ({@link ThresholdMax}); a GEMM with {@code W [D, C·K]} ({@link PatchGemm}). The backward routes
 *       {@code Wᵀ·dY} by the mask {@code max(x, θ) > θ} to the patches' gradient, which ND4J's
 *       {@code col2im} op sums back into {@code dx}, or to {@code dθ}.</li>
 * </ul>
 */
public final class Nd4jConvRelu implements ConvReluOp {
    /** The channel-wise form: {@code thresholded = max(x, θ[c])} fed to the native convolution. */
    private record ChannelState(INDArray thresholded, INDArray w, INDArray theta, INDArray bias, ConvReluArgs args)
            implements Saved {}

    /**
     * The patch form: {@code cols [C·K, N·P] = max(patches, θ)}, zeroed on padding under
     * {@link PaddedInput#ZERO} ({@code valid [K, P]}, else null).
     */
    private record PatchState(INDArray cols, INDArray valid, INDArray w, INDArray theta, INDArray bias, long[] xShape,
            ConvReluArgs args) implements Saved {}

    @Override
    public Implementation implementation() {
        return Implementation.ND4J;
    }

    @Override
    public Optional<String> uncovered(DataType dtype, ConvReluArgs args) {
        if (args.geometry().dims() > 2) {
            return Optional.of("a 3D window (ND4J's im2col and col2im ops are 2D)");
        }
        return Channels.floating(dtype);
    }

    @Override
    public Forward forward(INDArray x, INDArray w, INDArray theta, INDArray bias, ConvReluArgs args) {
        if (channelWise(x.dataType(), args)) {
            INDArray thresholded;
            if (args.zeroThresholds()) {
                thresholded = Transforms.relu(x, true);
            } else {
                thresholded = Nd4j.createUninitialized(x.dataType(), x.shape());
                Nd4j.exec(new BroadcastMax(x, theta.reshape(theta.length()), thresholded, 1));
            }
            INDArray y = Nd4jConv.conv(thresholded, w, bias, args.geometry());
            return new Forward(y, new ChannelState(thresholded, w, theta, bias, args));
        }
        Window win = Window.of(x.shape(), args.geometry());
        INDArray patches = Nd4j.createUninitialized(x.dataType(), win.patchShape()); // [N, C, kH, kW, oH, oW]
        Nd4j.exec(DynamicCustomOp.builder("im2col").addInputs(x.reshape(win.x4())).addOutputs(patches)
                .addIntegerArguments(win.im2colArgs()).addFloatingPointArguments(0.0).build());
        INDArray cols = patches.permute(1, 2, 3, 0, 4, 5).dup('c').reshape(win.rows(), win.columns()); // [C·K, N·P]
        INDArray thresholded = ThresholdMax.forward(cols, theta);
        INDArray valid = null;
        if (args.effectivePadding() == PaddedInput.ZERO && args.hasPadding()) {
            valid = validPositions(win, x.dataType()); // padded entries contribute 0
            win.byKernelAndPosition(thresholded).muli(valid.reshape(1, win.k(), 1, win.p()));
        }
        long[] yShape = args.geometry().outputShape(x.shape(), w.size(0));
        INDArray y = Channels.addBias(PatchGemm.forward(thresholded, w, yShape), bias);
        return new Forward(y, new PatchState(thresholded, valid, w, theta, bias, x.shape(), args));
    }

    @Override
    public Grads backward(Saved saved, INDArray dy) {
        if (saved instanceof ChannelState s) {
            Nd4jConv.ConvGrads g = Nd4jConv.convBackward(s.thresholded, s.w, s.bias, dy, s.args.geometry());
            INDArray dThresholded = g.dx();
            if (s.args.zeroThresholds()) {
                return new Grads(dThresholded.muli(s.thresholded.gt(0).castTo(dy.dataType())), g.dW(), null, g.db());
            }
            INDArray atTheta = Nd4j.createUninitialized(DataType.BOOL, s.thresholded.shape()); // max(x, θ) = θ ⟺ x ≤ θ
            Nd4j.exec(new BroadcastEqualTo(s.thresholded, s.theta.reshape(s.theta.length()), atTheta, 1));
            INDArray toTheta = dThresholded.mul(atTheta.castTo(dy.dataType()));
            INDArray dTheta = toTheta.sum(Axes.allButChannels(toTheta.rank())).reshape(s.theta.shape());
            return new Grads(dThresholded.subi(toTheta), g.dW(), dTheta, g.db());
        }
        PatchState s = Channels.saved(saved, PatchState.class, implementation());
        Window win = Window.of(s.xShape, s.args.geometry());
        PatchGemm.Grads g = PatchGemm.backward(dy, s.cols, s.w);
        INDArray pass = ThresholdMax.passMask(s.cols, s.theta).castTo(dy.dataType()); // x > θ (padding: 0 > θ)
        INDArray toX = g.dCols().mul(pass);
        INDArray dTheta = null;
        if (!s.args.zeroThresholds()) {
            INDArray toTheta = g.dCols().subi(toX);
            if (s.valid != null) {
                win.byKernelAndPosition(toTheta).muli(s.valid.reshape(1, win.k(), 1, win.p()));
            }
            dTheta = toTheta.sum(1).reshape(s.theta.shape());
        }
        INDArray dPatches = toX.reshape(win.c(), win.kh(), win.kw(), win.n(), win.oh(), win.ow()).permute(3, 0, 1, 2, 4, 5)
                .dup('c'); // [N, C, kH, kW, oH, oW]
        INDArray dx = Nd4j.create(dy.dataType(), win.x4());
        Nd4j.exec(DynamicCustomOp.builder("col2im").addInputs(dPatches).addOutputs(dx).addIntegerArguments(win.col2imArgs())
                .build());
        return new Grads(dx.reshape(s.xShape), g.dW(), dTheta, Channels.biasGrad(dy, s.bias));
    }

    /**
     * Thresholds that depend on the channel only, so the threshold-max commutes with the window,
     * and a window ND4J's native conv runs.
     */
    public static boolean channelWise(DataType type, ConvReluArgs args) {
        boolean perChannel = args.zeroThresholds() || args.geometry().kernelVolume() == 1 && !args.hasPadding();
        return perChannel && Nd4jConv.convUnsupported(type, args.geometry()) == null;
    }

    /** {@code [K, P]}: 1 where a window entry lies on the input, 0 on padding. */
    private static INDArray validPositions(Window win, DataType type) {
        INDArray ones = Nd4j.ones(type, 1, 1, win.h(), win.w());
        INDArray v = Nd4j.createUninitialized(type, 1, 1, win.kh(), win.kw(), win.oh(), win.ow());
        Nd4j.exec(DynamicCustomOp.builder("im2col").addInputs(ones).addOutputs(v).addIntegerArguments(win.im2colArgs())
                .addFloatingPointArguments(0.0).build());
        return v.reshape(win.k(), win.p());
    }

    /** A 1D or 2D window lifted to 2D: input {@code [n, c, h, w]}, kernel {@code kh × kw}, output {@code oh × ow}. */
    private record Window(int n, int c, int h, int w, int kh, int kw, int oh, int ow, int[] stride, int[] pad, int[] dilation) {
        static Window of(long[] xShape, ConvGeometry g) {
            boolean oneD = g.dims() == 1;
            long[] out = g.outputSize(g.spatialOf(xShape));
            int[] s = oneD ? new int[] {1, g.stride(0)} : g.stride();
            int[] p = oneD ? new int[] {0, g.padding(0)} : g.padding();
            int[] d = oneD ? new int[] {1, g.dilation(0)} : g.dilation();
            return new Window(Math.toIntExact(xShape[0]), Math.toIntExact(xShape[1]), oneD ? 1 : Math.toIntExact(xShape[2]),
                    Math.toIntExact(xShape[xShape.length - 1]), oneD ? 1 : g.kernel(0), g.kernel(g.dims() - 1),
                    oneD ? 1 : Math.toIntExact(out[0]), Math.toIntExact(out[out.length - 1]), s, p, d);
        }

        int k() {
            return kh * kw;
        }

        int p() {
            return oh * ow;
        }

        long rows() {
            return (long) c * k();
        }

        long columns() {
            return (long) n * p();
        }

        long[] x4() {
            return new long[] {n, c, h, w};
        }

        long[] patchShape() {
            return new long[] {n, c, kh, kw, oh, ow};
        }

        /** {@code [C·K, N·P]} viewed as {@code [C, K, N, P]}. */
        INDArray byKernelAndPosition(INDArray cols) {
            return cols.reshape(c, k(), n, p());
        }

        int[] im2colArgs() {
            return new int[] {kh, kw, stride[0], stride[1], pad[0], pad[1], dilation[0], dilation[1], 0};
        }

        int[] col2imArgs() {
            return new int[] {stride[0], stride[1], pad[0], pad[1], h, w, dilation[0], dilation[1], 0};
        }
    }
}
