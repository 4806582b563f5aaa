package org.convrelu.nn.layers;

import java.util.ArrayList;
import java.util.List;
import org.convrelu.nn.AbstractLayer;
import org.convrelu.nn.ActivationGate;
import org.convrelu.nn.Mode;
import org.convrelu.nn.Param;
import org.convrelu.nn.ParamRole;
import org.convrelu.nn.init.Init;
import org.convrelu.tensor.ConvGeometry;
import org.convrelu.tensor.DirectConvRelu;
import org.convrelu.tensor.Nd4jConv;
import org.convrelu.tensor.PaddedInput;
import org.convrelu.tensor.PatchGemm;
import org.convrelu.tensor.Patches;
import org.convrelu.tensor.Precision;
import org.convrelu.tensor.RandomStream;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastMax;
import org.nd4j.linalg.api.ops.impl.broadcast.bool.BroadcastEqualTo;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Adaptive convolutional ReLU, eq. 8 of Gao, Cai, Ji (AAAI 2020): an activation merged into the
 * convolution that follows it,
 * <pre>  y[n,d,o] = Σ_{c,k} W[d,c,k] · max(x[n,c,o+k], θ[c,k])</pre>
 * with one trainable threshold per input channel and kernel position, shared across output
 * channels and positions ({@code C·K} thresholds: {@code C·k} in 1D, {@code C·k²} in 2D,
 * {@code C·k³} in 3D). With θ = 0 and non-negative input it equals a plain convolution of the
 * input; with θ = 0 it equals ReLU followed by the convolution (up to padding, see {@link PaddedInput}).
 *
 * <p>Gradients follow eq. 5-6: an input above its threshold passes gradient to {@code x}, every
 * other (ties included) to θ, summed over every position that uses that threshold.
 */
public final class ConvReLU extends AbstractLayer implements ActivationGate {
    private final ConvSpec spec;
    private final PaddedInput padded;
    private final Param weight; // [D, C, *k]
    private final Param theta; // [C, *k]
    private final Param bias; // [D] or null
    private boolean direct; // the last forward ran the fused direct kernel
    private INDArray cols; // [C·K, N·P]: max(patches, θ), the patch path
    private INDArray thresholded; // [N, C, *S]: max(x, θ), the pointwise path
    private INDArray x; // [N, C, *S], kept for onMask()
    private long[] xShape; // [N, C, *S]
    private long[] yShape; // [N, D, *O]

    public ConvReLU(String name, ConvSpec spec, Init weightInit, Init thresholdInit, PaddedInput padded,
            Precision precision, RandomStream rng) {
        super(name);
        this.spec = spec;
        this.padded = padded;
        this.weight = new Param(name + ".weight", ParamRole.WEIGHT,
                weightInit.create(rng, precision, spec.weightShape(), spec.fanIn(), spec.fanOut()));
        this.theta = new Param(name + ".theta", ParamRole.THRESHOLD,
                thresholdInit.create(rng, precision, spec.thresholdShape(), spec.fanIn(), spec.fanOut()));
        this.bias = spec.bias()
                ? new Param(name + ".bias", ParamRole.BIAS, Init.zero().create(rng, precision, new long[] {spec.outChannels()}, 0, 0))
                : null;
    }

    /** He-initialised weights, zero thresholds, padding thresholded as in eq. 8. */
    public ConvReLU(String name, ConvSpec spec, Precision precision, RandomStream rng) {
        this(name, spec, Init.he(), Init.zero(), PaddedInput.THRESHOLDED, precision, rng);
    }

    public ConvSpec spec() {
        return spec;
    }

    public PaddedInput paddedInput() {
        return padded;
    }

    public Param weight() {
        return weight;
    }

    public Param theta() {
        return theta;
    }

    @Override
    protected INDArray doForward(INDArray x, Mode mode) {
        requireRank(x, spec.geometry().dims() + 2, "[N, C, " + spec.geometry().spatialNames() + "]");
        requireSize(x, 1, spec.inChannels(), "input channels");
        this.x = x;
        xShape = x.shape();
        yShape = spec.outputShape(xShape);
        direct = DirectConvRelu.supports(x, spec.geometry(), padded);
        if (direct) {
            return DirectConvRelu.forward(x, weight.value(), theta.value(), bias == null ? null : bias.value(), spec.geometry());
        }
        if (pointwise()) {
            // A 1×1 ConvReLU is a per-channel max followed by a 1×1 convolution (ND4J's native conv).
            thresholded = Nd4j.createUninitialized(x.dataType(), xShape);
            Nd4j.exec(new BroadcastMax(x, theta.value().reshape(spec.inChannels()), thresholded, 1));
            return Nd4jConv.conv(thresholded, weight.value(), bias == null ? null : bias.value(), spec.geometry());
        }
        cols = Patches.im2colThresholded(x, spec.geometry(), theta.value(), padded);
        INDArray y = PatchGemm.forward(cols, weight.value(), yShape);
        return bias == null ? y : Conv.addBias(y, bias.value());
    }

    @Override
    protected INDArray doBackward(INDArray dy) {
        requireShape(dy, yShape);
        if (direct) {
            DirectConvRelu.Grads g = DirectConvRelu.backward(x, weight.value(), theta.value(), dy, spec.geometry());
            weight.accumulate(g.dW());
            theta.accumulate(g.dTheta());
            if (bias != null) {
                bias.accumulate(g.dBias());
            }
            return g.dx();
        }
        if (pointwise()) {
            Nd4jConv.ConvGrads g = Nd4jConv.convBackward(thresholded, weight.value(), bias == null ? null : bias.value(), dy,
                    spec.geometry());
            INDArray atTheta = Nd4j.createUninitialized(DataType.BOOL, xShape); // x ≤ θ ⟺ max(x, θ) = θ
            Nd4j.exec(new BroadcastEqualTo(thresholded, theta.value().reshape(spec.inChannels()), atTheta, 1));
            INDArray toTheta = g.dx().mul(atTheta.castTo(g.dx().dataType()));
            weight.accumulate(g.dW());
            theta.accumulate(toTheta.sum(Axes.allButChannels(toTheta.rank())));
            if (bias != null) {
                bias.accumulate(g.db());
            }
            return g.dx().subi(toTheta);
        }
        PatchGemm.Grads g = PatchGemm.backward(dy, cols, weight.value());
        Patches.ThresholdedGrads t = Patches.col2imThresholded(g.dCols(), cols, theta.value(), spec.geometry(), xShape, padded);
        weight.accumulate(g.dW());
        theta.accumulate(t.dTheta());
        if (bias != null) {
            bias.accumulate(Conv.sumAllButChannels(dy));
        }
        return t.dx();
    }

    /** A 1×1 window without padding, in 1D or 2D: the threshold-max needs no patches. */
    private boolean pointwise() {
        ConvGeometry g = spec.geometry();
        return g.kernelVolume() == 1 && java.util.Arrays.stream(g.padding()).allMatch(p -> p == 0) && Nd4jConv.supports(g);
    }

    @Override
    public List<Param> params() {
        List<Param> ps = new ArrayList<>(List.of(weight, theta));
        if (bias != null) {
            ps.add(bias);
        }
        return ps;
    }

    /** 1 where the input exceeded the smallest of its channel's thresholds (it passed gradient at some kernel position). */
    @Override
    public INDArray onMask() {
        long channels = spec.inChannels();
        INDArray minTheta = theta.value().reshape(channels, theta.size() / channels).min(1); // [C]
        long[] laid = new long[x.rank()];
        java.util.Arrays.fill(laid, 1);
        laid[1] = channels;
        return x.gt(minTheta.reshape(laid).broadcast(x.shape())).castTo(x.dataType());
    }
}
