package org.convrelu.nn.layers;

import static org.assertj.core.api.Assertions.assertThat;

import org.convrelu.nn.Mode;
import org.convrelu.tensor.Precision;
import org.convrelu.tensor.RandomStream;
import org.convrelu.tensor.ops.Backends;
import org.convrelu.tensor.ops.Implementation;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** BatchNorm in float32 (the fused CPU passes) against float64 (ND4J ops): outputs, gradients, running statistics. */
class BatchNormPathsTest {

    @Test
    void fusedFloat32AgreesWithTheNd4jPath() {
        INDArray x = RandomStream.root(3).normal(Precision.FLOAT64, 1, 2, 8, 4, 5, 5);
        INDArray dy = RandomStream.root(4).normal(Precision.FLOAT64, 0, 1, 8, 4, 5, 5);
        assertThat(Backends.batchNorm(DataType.FLOAT, 4).implementation()).isEqualTo(Implementation.DIRECT);
        assertThat(Backends.batchNorm(DataType.DOUBLE, 4).implementation()).isEqualTo(Implementation.ND4J);
        BatchNorm fused = new BatchNorm("bn", 4, Precision.FLOAT32);
        BatchNorm nd4j = new BatchNorm("bn", 4, Precision.FLOAT64);
        for (Mode mode : new Mode[] {Mode.TRAIN, Mode.TRAIN, Mode.EVAL}) {
            INDArray y32 = fused.forward(x.castTo(DataType.FLOAT), mode);
            INDArray y64 = nd4j.forward(x, mode);
            assertThat(y32.castTo(DataType.DOUBLE).equalsWithEps(y64, 1e-4)).as("y, %s", mode).isTrue();
            fused.params().forEach(p -> p.zeroGrad());
            nd4j.params().forEach(p -> p.zeroGrad());
            INDArray dx32 = fused.backward(dy.castTo(DataType.FLOAT));
            INDArray dx64 = nd4j.backward(dy);
            assertThat(dx32.castTo(DataType.DOUBLE).equalsWithEps(dx64, 1e-4)).as("dx, %s", mode).isTrue();
            for (int i = 0; i < 2; i++) {
                assertThat(fused.params().get(i).grad().castTo(DataType.DOUBLE).equalsWithEps(nd4j.params().get(i).grad(), 1e-3))
                        .as("%s, %s", fused.params().get(i).name(), mode).isTrue();
            }
        }
        assertThat(fused.runningMean().castTo(DataType.DOUBLE).equalsWithEps(nd4j.runningMean(), 1e-5)).isTrue();
        assertThat(fused.runningVar().castTo(DataType.DOUBLE).equalsWithEps(nd4j.runningVar(), 1e-4)).isTrue();
    }
}
