package org.convrelu.nn.layers;

import java.util.List;
import org.convrelu.nn.AbstractLayer;
import org.convrelu.nn.Mode;
import org.convrelu.nn.Param;
import org.convrelu.nn.ParamRole;
import org.convrelu.tensor.DirectBatchNorm;
import org.convrelu.tensor.Precision;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Batch normalisation (Ioffe and Szegedy 2015) over {@code [N, C]}, {@code [N, C, L]} or
 * {@code [N, C, H, W]}: statistics per channel over every other axis.
 *
 * <p>Training normalises with the batch mean and biased variance and updates running estimates
 * ({@code running ← (1 − momentum)·running + momentum·batch}, unbiased variance); evaluation
 * normalises with the running estimates. γ and β are parameters; the running statistics are state.
 */
public final class BatchNorm extends AbstractLayer {
    private final int channels;
    private final double eps;
    private final double momentum;
    private final Param gamma; // [C]
    private final Param beta; // [C]
    private final INDArray runningMean; // [C]
    private final INDArray runningVar; // [C]
    private INDArray xHat; // like x (ND4J path)
    private INDArray invStd; // [C] (ND4J path)
    private Mode lastMode;
    private INDArray x; // the fused path's input, with its per-channel mean and 1/σ
    private float[] fusedMean;
    private float[] fusedInvStd;

    public BatchNorm(String name, int channels, double eps, double momentum, Precision precision) {
        super(name);
        this.channels = channels;
        this.eps = eps;
        this.momentum = momentum;
        this.gamma = new Param(name + ".gamma", ParamRole.BATCH_NORM, Nd4j.ones(precision.dataType(), channels));
        this.beta = new Param(name + ".beta", ParamRole.BATCH_NORM, Nd4j.zeros(precision.dataType(), channels));
        this.runningMean = Nd4j.zeros(precision.dataType(), channels);
        this.runningVar = Nd4j.ones(precision.dataType(), channels);
    }

    /** ε = 1e-5, momentum 0.1, as in common DenseNet/ResNet code. */
    public BatchNorm(String name, int channels, Precision precision) {
        this(name, channels, 1e-5, 0.1, precision);
    }

    @Override
    protected INDArray doForward(INDArray x, Mode mode) {
        if (x.rank() < 2 || x.rank() > 4) {
            throw new IllegalArgumentException(name() + ": expected [N, C], [N, C, L] or [N, C, H, W], got shape "
                    + java.util.Arrays.toString(x.shape()));
        }
        requireSize(x, 1, channels, "channels");
        if (mode == Mode.TRAIN && x.length() / channels < 2) {
            throw new IllegalArgumentException(name() + ": batch statistics need more than one value per channel, got shape "
                    + java.util.Arrays.toString(x.shape()));
        }
        lastMode = mode;
        if (DirectBatchNorm.supports(x)) {
            return fusedForward(x, mode);
        }
        this.x = null;
        int[] axes = Axes.allButChannels(x.rank());
        long[] laid = Axes.channelShape(x.rank(), channels);
        INDArray mean;
        INDArray var;
        if (mode == Mode.TRAIN) {
            long m = x.length() / channels;
            mean = x.mean(axes);
            var = x.var(false, axes);
            runningMean.muli(1 - momentum).addi(mean.mul(momentum));
            runningVar.muli(1 - momentum).addi(var.mul(momentum * m / (m - 1.0)));
        } else {
            mean = runningMean;
            var = runningVar;
        }
        invStd = Transforms.pow(var.add(eps), -0.5, false);
        xHat = x.sub(mean.reshape(laid)).muli(invStd.reshape(laid));
        return xHat.mul(gamma.value().reshape(laid)).addi(beta.value().reshape(laid));
    }

    /** The same normalisation in fused per-channel passes ({@link DirectBatchNorm}), float32 on the CPU. */
    private INDArray fusedForward(INDArray x, Mode mode) {
        float[] mean;
        float[] var;
        if (mode == Mode.TRAIN) {
            DirectBatchNorm.Moments moments = DirectBatchNorm.moments(x);
            long m = x.length() / channels;
            mean = toFloats(moments.mean());
            var = toFloats(moments.variance());
            runningMean.muli(1 - momentum).addi(Nd4j.createFromArray(mean).muli(momentum));
            runningVar.muli(1 - momentum).addi(Nd4j.createFromArray(var).muli(momentum * m / (m - 1.0)));
        } else {
            mean = runningMean.toFloatVector();
            var = runningVar.toFloatVector();
        }
        float[] gammas = gamma.value().toFloatVector();
        float[] betas = beta.value().toFloatVector();
        float[] invStds = new float[channels];
        float[] scale = new float[channels];
        float[] shift = new float[channels];
        for (int c = 0; c < channels; c++) {
            invStds[c] = (float) (1 / Math.sqrt(var[c] + eps));
            scale[c] = gammas[c] * invStds[c];
            shift[c] = betas[c] - mean[c] * scale[c];
        }
        this.x = x;
        this.fusedMean = mean;
        this.fusedInvStd = invStds;
        this.xHat = null;
        return DirectBatchNorm.affine(x, scale, shift);
    }

    private static float[] toFloats(double[] values) {
        float[] f = new float[values.length];
        for (int i = 0; i < f.length; i++) {
            f[i] = (float) values[i];
        }
        return f;
    }

    @Override
    protected INDArray doBackward(INDArray dy) {
        if (x != null) {
            requireShape(dy, x.shape());
            DirectBatchNorm.Grads g = DirectBatchNorm.backward(x, dy, fusedMean, fusedInvStd, gamma.value().toFloatVector(),
                    lastMode == Mode.TRAIN);
            gamma.accumulate(Nd4j.createFromArray(g.dGamma()));
            beta.accumulate(Nd4j.createFromArray(g.dBeta()));
            return g.dx();
        }
        requireShape(dy, xHat.shape());
        int[] axes = Axes.allButChannels(dy.rank());
        long[] laid = Axes.channelShape(dy.rank(), channels);
        INDArray dBeta = dy.sum(axes);
        INDArray dGamma = dy.mul(xHat).sum(axes);
        gamma.accumulate(dGamma);
        beta.accumulate(dBeta);
        INDArray scale = gamma.value().mul(invStd).reshape(laid); // γ / σ
        if (lastMode == Mode.EVAL) {
            return dy.mul(scale);
        }
        // dx = γ/σ · (dy − mean(dy) − x̂ · mean(dy · x̂)), means per channel
        double m = (double) dy.length() / channels;
        INDArray centred = dy.sub(dBeta.div(m).reshape(laid)).subi(xHat.mul(dGamma.div(m).reshape(laid)));
        return centred.muli(scale);
    }

    @Override
    public List<Param> params() {
        return List.of(gamma, beta);
    }

    public INDArray runningMean() {
        return runningMean;
    }

    public INDArray runningVar() {
        return runningVar;
    }
}
