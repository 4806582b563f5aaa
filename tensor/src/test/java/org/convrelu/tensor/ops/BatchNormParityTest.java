package org.convrelu.tensor.ops;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.convrelu.tensor.Precision;
import org.convrelu.tensor.RandomStream;
import org.convrelu.tensor.ops.reference.Reference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import static org.assertj.core.api.Assertions.assertThat;
import static org.convrelu.tensor.ops.Close.assertClose;

/** Every batch-normalisation implementation against the float64 reference: output, running statistics, dx, dγ, dβ. */
class BatchNormParityTest {
    static final double EPS = 1e-5;
    static final double MOMENTUM = 0.1;

    static Stream<Arguments> calls() {
        List<Arguments> out = new ArrayList<>();
        for (Implementation impl : Backends.implementationsOf(OpKind.BATCH_NORM)) {
            for (long[] shape : List.of(new long[] {6, 3}, new long[] {4, 3, 7}, new long[] {3, 4, 5, 6})) {
                for (Precision p : Precision.values()) {
                    for (boolean batchStatistics : new boolean[] {true, false}) {
                        out.add(Arguments.of(impl, shape, p, batchStatistics));
                    }
                }
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} {1} {2} batch statistics {3}")
    @MethodSource("calls")
    void matchesTheReference(Implementation impl, long[] shape, Precision precision, boolean batchStatistics) {
        BatchNormOp op = Backends.batchNorm(impl);
        DataType type = precision.dataType();
        if (op.uncovered(type, shape.length).isPresent()) {
            assertThat(impl).isEqualTo(Implementation.DIRECT);
            assertThat(type).isEqualTo(DataType.DOUBLE);
            return;
        }
        RandomStream rng = RandomStream.root(21);
        int channels = (int) shape[1];
        INDArray x = rng.normal(Precision.FLOAT64, 1.5, 2, shape);
        INDArray gamma = rng.normal(Precision.FLOAT64, 1, 0.3, channels);
        INDArray beta = rng.normal(Precision.FLOAT64, 0, 0.3, channels);
        INDArray runningMean = rng.normal(Precision.FLOAT64, 0, 1, channels);
        INDArray runningVar = rng.uniform(Precision.FLOAT64, 0.5, 2, channels);

        BatchNormOp.RunningStats running = new BatchNormOp.RunningStats(runningMean.castTo(type).dup(), runningVar.castTo(type).dup(), EPS,
                MOMENTUM);
        BatchNormOp.Forward f = op.forward(x.castTo(type), gamma.castTo(type), beta.castTo(type), running, batchStatistics);

        INDArray mean = runningMean;
        INDArray var = runningVar;
        if (batchStatistics) {
            Reference.Moments m = Reference.moments(x);
            mean = m.mean();
            var = m.variance();
            long count = x.length() / channels;
            assertClose(running.mean(), runningMean.mul(1 - MOMENTUM).add(mean.mul(MOMENTUM)), impl + " running mean");
            assertClose(running.variance(), runningVar.mul(1 - MOMENTUM).add(var.mul(MOMENTUM * count / (count - 1.0))),
                    impl + " running variance");
        } else {
            assertClose(running.mean(), runningMean, impl + " running mean unchanged");
            assertClose(running.variance(), runningVar, impl + " running variance unchanged");
        }
        assertThat(f.y().dataType()).isEqualTo(type);
        assertClose(f.y(), Reference.batchNorm(x, mean, var, gamma, beta, EPS), impl + " y");
        INDArray dy = rng.child("dy").normal(Precision.FLOAT64, 0, 1, shape);
        BatchNormOp.Grads g = op.backward(f.saved(), dy.castTo(type));
        Reference.BatchNormGrads ref = Reference.batchNormBackward(x, dy, mean, var, gamma, EPS, batchStatistics);
        assertClose(g.dx(), ref.dx(), impl + " dx");
        assertClose(g.dGamma(), ref.dGamma(), impl + " dγ");
        assertClose(g.dBeta(), ref.dBeta(), impl + " dβ");
    }

    /** The reference's backward is itself checked against central differences of its forward. */
    @Test
    void referenceBackwardMatchesCentralDifferences() {
        RandomStream rng = RandomStream.root(8);
        INDArray x = rng.normal(Precision.FLOAT64, 0.5, 1.5, 3, 2, 4);
        INDArray gamma = rng.normal(Precision.FLOAT64, 1, 0.3, 2);
        INDArray beta = rng.normal(Precision.FLOAT64, 0, 0.3, 2);
        INDArray r = rng.normal(Precision.FLOAT64, 0, 1, 3, 2, 4); // loss = Σ r · y
        Reference.Moments m = Reference.moments(x);
        Reference.BatchNormGrads g = Reference.batchNormBackward(x, r, m.mean(), m.variance(), gamma, EPS, true);
        double h = 1e-6;
        for (int i = 0; i < x.length(); i++) {
            double v = x.getDouble(i);
            x.putScalar(i, v + h);
            double up = loss(x, gamma, beta, r);
            x.putScalar(i, v - h);
            double down = loss(x, gamma, beta, r);
            x.putScalar(i, v);
            assertThat(g.dx().getDouble(i)).as("dx[%d]", i).isCloseTo((up - down) / (2 * h), org.assertj.core.data.Offset.offset(1e-6));
        }
        for (int c = 0; c < 2; c++) {
            double v = gamma.getDouble(c);
            gamma.putScalar(c, v + h);
            double up = loss(x, gamma, beta, r);
            gamma.putScalar(c, v - h);
            double down = loss(x, gamma, beta, r);
            gamma.putScalar(c, v);
            assertThat(g.dGamma().getDouble(c)).as("dγ[%d]", c).isCloseTo((up - down) / (2 * h), org.assertj.core.data.Offset.offset(1e-6));
        }
    }

    private static double loss(INDArray x, INDArray gamma, INDArray beta, INDArray r) {
        Reference.Moments m = Reference.moments(x);
        return Reference.batchNorm(x, m.mean(), m.variance(), gamma, beta, EPS).mul(r).sumNumber().doubleValue();
    }

    @Test
    void directRunsFloat32Only() {
        assertThat(Backends.batchNorm(Implementation.DIRECT).uncovered(DataType.FLOAT, 4)).isEmpty();
        assertThat(Backends.batchNorm(Implementation.DIRECT).uncovered(DataType.DOUBLE, 4)).isPresent();
        assertThat(Backends.batchNorm(Implementation.ND4J).uncovered(DataType.DOUBLE, 4)).isEmpty();
    }
}
