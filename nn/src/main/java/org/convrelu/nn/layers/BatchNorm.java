package org.convrelu.nn.layers;

import java.util.List;
import org.convrelu.nn.AbstractLayer;
import org.convrelu.nn.Mode;
import org.convrelu.nn.Param;
import org.convrelu.nn.ParamRole;
import org.convrelu.tensor.Precision;
import org.convrelu.tensor.ops.Backends;
import org.convrelu.tensor.ops.BatchNormOp;
import org.convrelu.tensor.ops.Implementation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Batch normalisation (Ioffe and Szegedy 2015) over {@code [N, C]}, {@code [N, C, L]} or
 * {@code [N, C, H, W]}: statistics per channel over every other axis.
 *
 * <p>Training normalises with the batch mean and biased variance and updates running estimates
 * ({@code running ← (1 − momentum)·running + momentum·batch}, unbiased variance); evaluation
 * normalises with the running estimates. γ and β are parameters; the running statistics are state.
 * The arithmetic runs on the implementation {@link Backends} chooses for each call.
 */
public final class BatchNorm extends AbstractLayer {
    private final int channels;
    private final double eps;
    private final double momentum;
    private final Param gamma; // [C]
    private final Param beta; // [C]
    private final INDArray runningMean; // [C]
    private final INDArray runningVar; // [C]
    private BatchNormOp op; // the implementation that ran the last forward pass
    private BatchNormOp.Saved saved; // what its backward needs
    private long[] xShape; // [N, C, *S]

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
        xShape = x.shape();
        op = Backends.batchNorm(x.dataType(), x.rank());
        BatchNormOp.Forward f = op.forward(x, gamma.value(), beta.value(),
                new BatchNormOp.RunningStats(runningMean, runningVar, eps, momentum), mode == Mode.TRAIN);
        saved = f.saved();
        return f.y();
    }

    /** The fused CPU implementation creates only dx and parameter-sized gradients in its backward. */
    @Override
    public boolean backwardTemporaries() {
        return op == null || op.implementation() != Implementation.DIRECT;
    }

    @Override
    protected INDArray doBackward(INDArray dy) {
        requireShape(dy, xShape);
        BatchNormOp.Grads g = op.backward(saved, dy);
        gamma.accumulate(g.dGamma());
        beta.accumulate(g.dBeta());
        return g.dx();
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
