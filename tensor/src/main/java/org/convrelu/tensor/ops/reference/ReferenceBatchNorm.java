package org.convrelu.tensor.ops.reference;

import java.util.Optional;
import org.convrelu.tensor.ops.BatchNormOp;
import org.convrelu.tensor.ops.Channels;
import org.convrelu.tensor.ops.Implementation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Batch normalisation as the float64 loops of {@link Reference}: the spec. */
public final class ReferenceBatchNorm implements BatchNormOp {
    private record State(INDArray x, INDArray mean, INDArray variance, INDArray gamma, double eps, boolean batchStatistics)
            implements Saved {}

    @Override
    public Implementation implementation() {
        return Implementation.REFERENCE;
    }

    @Override
    public Optional<String> uncovered(DataType dtype, int rank) {
        return Channels.floating(dtype);
    }

    @Override
    public Forward forward(INDArray x, INDArray gamma, INDArray beta, RunningStats running, boolean batchStatistics) {
        INDArray mean;
        INDArray variance;
        if (batchStatistics) {
            Reference.Moments m = Reference.moments(x);
            mean = m.mean();
            variance = m.variance();
            long count = x.length() / x.size(1);
            double momentum = running.momentum();
            running.mean().assign(running.mean().castTo(DataType.DOUBLE).mul(1 - momentum).add(mean.mul(momentum)));
            running.variance().assign(running.variance().castTo(DataType.DOUBLE).mul(1 - momentum)
                    .add(variance.mul(momentum * count / (count - 1.0))));
        } else {
            mean = running.mean().castTo(DataType.DOUBLE);
            variance = running.variance().castTo(DataType.DOUBLE);
        }
        INDArray y = Reference.batchNorm(x, mean, variance, gamma, beta, running.eps()).castTo(x.dataType());
        return new Forward(y, new State(x, mean, variance, gamma, running.eps(), batchStatistics));
    }

    @Override
    public Grads backward(Saved saved, INDArray dy) {
        State s = Channels.saved(saved, State.class, implementation());
        Reference.BatchNormGrads g = Reference.batchNormBackward(s.x, dy, s.mean, s.variance, s.gamma, s.eps, s.batchStatistics);
        DataType type = s.x.dataType();
        return new Grads(g.dx().castTo(type), g.dGamma().castTo(type), g.dBeta().castTo(type));
    }
}
