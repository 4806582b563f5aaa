package org.convrelu.nn.layers;

import java.util.ArrayList;
import java.util.List;
import org.convrelu.nn.AbstractLayer;
import org.convrelu.nn.ActivationGate;
import org.convrelu.nn.Mode;
import org.convrelu.nn.Param;
import org.convrelu.nn.ParamRole;
import org.convrelu.nn.init.Init;
import org.convrelu.tensor.PaddedInput;
import org.convrelu.tensor.Precision;
import org.convrelu.tensor.RandomStream;
import org.convrelu.tensor.ops.Backends;
import org.convrelu.tensor.ops.ConvReluArgs;
import org.convrelu.tensor.ops.ConvReluOp;
import org.nd4j.linalg.api.ndarray.INDArray;

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
 *
 * <p>The arithmetic runs on the implementation {@link Backends} chooses for each call.
 */
public final class ConvReLU extends AbstractLayer implements ActivationGate {
    private final ConvSpec spec;
    private final PaddedInput padded;
    private final Param weight; // [D, C, *k]
    private final Param theta; // [C, *k]
    private final Param bias; // [D] or null
    private ConvReluOp op; // the implementation that ran the last forward pass
    private ConvReluOp.Saved saved; // what its backward needs
    private INDArray x; // [N, C, *S], kept for onMask()
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

    /** Every output value is the dot product of one output channel's weights with a window. */
    @Override
    public long multiplyAdds() {
        return yShape == null ? 0 : perExample(yShape) * (weight.value().length() / spec.outChannels());
    }

    @Override
    protected INDArray doForward(INDArray x, Mode mode) {
        requireRank(x, spec.geometry().dims() + 2, "[N, C, " + spec.geometry().spatialNames() + "]");
        requireSize(x, 1, spec.inChannels(), "input channels");
        this.x = x;
        yShape = spec.outputShape(x.shape());
        ConvReluArgs args = ConvReluArgs.of(spec.geometry(), padded);
        op = Backends.convRelu(x.dataType(), args);
        ConvReluOp.Forward f = op.forward(x, weight.value(), theta.value(), bias == null ? null : bias.value(), args);
        saved = f.saved();
        return f.y();
    }

    @Override
    protected INDArray doBackward(INDArray dy) {
        requireShape(dy, yShape);
        ConvReluOp.Grads g = op.backward(saved, dy);
        weight.accumulate(g.dW());
        theta.accumulate(g.dTheta());
        if (bias != null) {
            bias.accumulate(g.dBias());
        }
        return g.dx();
    }

    @Override
    public List<Param> params() {
        List<Param> ps = new ArrayList<>(List.of(weight, theta));
        if (bias != null) {
            ps.add(bias);
        }
        return ps;
    }

    /**
     * {@code [C·K, N·P]}: the thresholded patch matrix of the last forward pass, the array a
     * patch-based implementation (eq. 8 computed as im2col → max → GEMM) materialises and keeps
     * until the backward pass.
     */
    public long[] patchMatrixShape() {
        if (x == null) {
            throw new IllegalStateException(name() + ": no forward pass yet");
        }
        long positions = 1;
        for (int i = 2; i < yShape.length; i++) {
            positions *= yShape[i];
        }
        return new long[] {spec.inChannels() * (long) spec.geometry().kernelVolume(), x.size(0) * positions};
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
