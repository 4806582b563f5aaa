package org.convrelu.tensor.ops.nd4j;

import java.util.Optional;
import org.convrelu.tensor.Axes;
import org.convrelu.tensor.ops.BatchNormOp;
import org.convrelu.tensor.ops.Channels;
import org.convrelu.tensor.ops.Implementation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/** Batch normalisation composed of ND4J's reductions and broadcast ops: any rank, float32 or float64, any backend. */
public final class Nd4jBatchNorm implements BatchNormOp {
    /** {@code xHat} like x, {@code invStd = 1/√(var + ε)} and γ {@code [C]}. */
    private record State(INDArray xHat, INDArray invStd, INDArray gamma, boolean batchStatistics) implements Saved {}

    @Override
    public Implementation implementation() {
        return Implementation.ND4J;
    }

    @Override
    public Optional<String> uncovered(DataType dtype, int rank) {
        return Channels.floating(dtype);
    }

    @Override
    public Forward forward(INDArray x, INDArray gamma, INDArray beta, RunningStats running, boolean batchStatistics) {
        long channels = x.size(1);
        int[] axes = Axes.allButChannels(x.rank());
        long[] laid = Axes.channelShape(x.rank(), channels);
        INDArray mean;
        INDArray var;
        if (batchStatistics) {
            long m = x.length() / channels;
            mean = x.mean(axes);
            var = x.var(false, axes);
            running.update(mean, var, m);
        } else {
            mean = running.mean();
            var = running.variance();
        }
        INDArray invStd = Transforms.pow(var.add(running.eps()), -0.5, false);
        INDArray xHat = x.sub(mean.reshape(laid)).muli(invStd.reshape(laid));
        INDArray y = xHat.mul(gamma.reshape(laid)).addi(beta.reshape(laid));
        return new Forward(y, new State(xHat, invStd, gamma, batchStatistics));
    }

    @Override
    public Grads backward(Saved saved, INDArray dy) {
        State s = Channels.saved(saved, State.class, implementation());
        long channels = dy.size(1);
        int[] axes = Axes.allButChannels(dy.rank());
        long[] laid = Axes.channelShape(dy.rank(), channels);
        INDArray dBeta = dy.sum(axes);
        INDArray dGamma = dy.mul(s.xHat).sum(axes);
        INDArray scale = s.gamma.mul(s.invStd).reshape(laid); // γ / σ
        if (!s.batchStatistics) {
            return new Grads(dy.mul(scale), dGamma, dBeta);
        }
        // dx = γ/σ · (dy − mean(dy) − x̂ · mean(dy · x̂)), means per channel
        double m = (double) dy.length() / channels;
        INDArray centred = dy.sub(dBeta.div(m).reshape(laid)).subi(s.xHat.mul(dGamma.div(m).reshape(laid)));
        return new Grads(centred.muli(scale), dGamma, dBeta);
    }
}
