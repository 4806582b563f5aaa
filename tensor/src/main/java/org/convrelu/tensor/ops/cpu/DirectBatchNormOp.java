package org.convrelu.tensor.ops.cpu;

import java.util.Optional;
import org.convrelu.tensor.ops.BatchNormOp;
import org.convrelu.tensor.ops.Channels;
import org.convrelu.tensor.ops.Implementation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Batch normalisation in the fused per-channel passes of {@link DirectBatchNorm}: float32, rank 2-4, on the CPU. */
public final class DirectBatchNormOp implements BatchNormOp {
    private record State(INDArray x, float[] mean, float[] invStd, INDArray gamma, boolean batchStatistics) implements Saved {}

    @Override
    public Implementation implementation() {
        return Implementation.DIRECT;
    }

    @Override
    public Optional<String> uncovered(DataType dtype, int rank) {
        Optional<String> off = Channels.fusedKernels(dtype);
        if (off.isPresent()) {
            return off;
        }
        return rank < 2 || rank > 4 ? Optional.of("rank " + rank + " (the kernel takes [N, C], [N, C, L] or [N, C, H, W])")
                : Optional.empty();
    }

    @Override
    public Forward forward(INDArray x, INDArray gamma, INDArray beta, RunningStats running, boolean batchStatistics) {
        float[] gammas = HostArrays.floats(gamma);
        float[] betas = HostArrays.floats(beta);
        if (batchStatistics) {
            DirectBatchNorm.Normalized f = DirectBatchNorm.normalize(x, gammas, betas, running.eps());
            running.update(f.mean(), f.variance(), x.length() / x.size(1));
            return new Forward(f.y(), new State(x, f.mean(), f.invStd(), gamma, true));
        }
        float[] mean = HostArrays.floats(running.mean());
        float[] var = HostArrays.floats(running.variance());
        int channels = mean.length;
        float[] invStd = new float[channels];
        float[] scale = new float[channels];
        float[] shift = new float[channels];
        for (int c = 0; c < channels; c++) {
            invStd[c] = (float) (1 / Math.sqrt(var[c] + running.eps()));
            scale[c] = gammas[c] * invStd[c];
            shift[c] = betas[c] - mean[c] * scale[c];
        }
        return new Forward(DirectBatchNorm.affine(x, scale, shift), new State(x, mean, invStd, gamma, false));
    }

    @Override
    public Grads backward(Saved saved, INDArray dy) {
        State s = Channels.saved(saved, State.class, implementation());
        DirectBatchNorm.Grads g = DirectBatchNorm.backward(s.x, dy, s.mean, s.invStd, HostArrays.floats(s.gamma), s.batchStatistics);
        return new Grads(g.dx(), Nd4j.createFromArray(g.dGamma()), Nd4j.createFromArray(g.dBeta()));
    }
}
