package org.convrelu.tensor.ops.cpu;

import org.convrelu.tensor.Precision;
import org.convrelu.tensor.RandomStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The heap linear layer against the same products in float64 with ND4J. */
class DirectLinearTest {

    @BeforeAll
    static void withTheFusedKernels() {
        assumeTrue(CpuKernels.available(), CpuKernels.describe());
    }

    @Test
    void forwardAndBackwardMatchFloat64Products() {
        RandomStream rng = RandomStream.root(11);
        INDArray x = rng.child("x").normal(Precision.FLOAT64, 0, 1, 7, 33);
        INDArray w = rng.child("w").normal(Precision.FLOAT64, 0, 1, 5, 33);
        INDArray b = rng.child("b").normal(Precision.FLOAT64, 0, 1, 5);
        INDArray dy = rng.child("dy").normal(Precision.FLOAT64, 0, 1, 7, 5);
        INDArray x32 = x.castTo(DataType.FLOAT), w32 = w.castTo(DataType.FLOAT), dy32 = dy.castTo(DataType.FLOAT);

        INDArray y = DirectLinear.forward(x32, w32, b.castTo(DataType.FLOAT));
        assertClose(y, x.mmul(w.transpose()).addRowVector(b), "y");
        assertClose(DirectLinear.forward(x32, w32, null), x.mmul(w.transpose()), "y without bias");

        DirectLinear.Grads g = DirectLinear.backward(x32, w32, dy32, true);
        assertClose(g.dx(), dy.mmul(w), "dx");
        assertClose(g.dW(), dy.transpose().mmul(x), "dW");
        assertClose(g.dBias(), dy.sum(0), "db");
        DirectLinear.Grads weightsOnly = DirectLinear.backward(x32, w32, dy32, false);
        assertThat(weightsOnly.dx()).isNull();
        assertClose(weightsOnly.dW(), dy.transpose().mmul(x), "dW without dx");
    }

    @Test
    void takesOnlySmallFloat32LayersAndSaysWhyNot() {
        INDArray x = RandomStream.root(1).normal(Precision.FLOAT32, 0, 1, 64, 1024);
        INDArray large = RandomStream.root(2).normal(Precision.FLOAT32, 0, 1, 1024, 1024);
        assertThat(DirectLinear.covers(x, large)).isFalse(); // 2²⁶ multiply-adds: ND4J's BLAS
        assertThat(DirectLinear.covers(x.castTo(DataType.DOUBLE), large.getRows(0, 1).castTo(DataType.DOUBLE))).isFalse();
        assertThat(DirectLinear.covers(x, large.getRows(0, 1, 2))).isTrue();
        assertThatThrownBy(() -> DirectLinear.forward(x, large, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("[64, 1024]")
                .hasMessageContaining("[1024, 1024]");
        assertThatThrownBy(() -> DirectLinear.backward(x, large.getRows(0, 1, 2), x, true))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("does not fit [64, 3]");
    }

    private static void assertClose(INDArray actual, INDArray expected, String what) {
        INDArray a = actual.castTo(DataType.DOUBLE);
        double scale = Math.max(1, expected.amaxNumber().doubleValue());
        double error = a.sub(expected.reshape(a.shape())).amaxNumber().doubleValue();
        assertThat(error).as("%s: max error %s against max magnitude %s", what, error, scale).isLessThan(1e-4 * scale);
    }
}
