package org.convrelu.tensor.ops.cpu;

import org.convrelu.tensor.Precision;
import org.convrelu.tensor.RandomStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** In-place host updates against the ND4J ops they replace. */
class HostArraysTest {

    @BeforeAll
    static void withTheFusedKernels() {
        assumeTrue(CpuKernels.available(), CpuKernels.describe());
    }

    @Test
    void addAndZeroMatchNd4jOpsInBothPrecisions() {
        for (Precision precision : new Precision[] {Precision.FLOAT32, Precision.FLOAT64}) {
            RandomStream rng = RandomStream.root(2).child(precision.name());
            INDArray into = rng.child("a").normal(precision, 0, 1, 4, 3, 3);
            INDArray values = rng.child("b").normal(precision, 0, 1, 4, 9); // another shape, same length
            INDArray expected = into.add(values.reshape(4, 3, 3));
            HostArrays.add(into, values);
            assertThat(into.equalsWithEps(expected, 0)).as("add, %s", precision).isTrue();
            HostArrays.zero(into);
            assertThat(into.amaxNumber().doubleValue()).isZero();
        }
    }

    @Test
    void allFiniteFindsEveryNanAndInfinityWhereverItIs() {
        for (DataType dtype : new DataType[] {DataType.FLOAT, DataType.DOUBLE}) {
            INDArray a = Nd4j.ones(dtype, 5, 7);
            assertThat(HostArrays.allFinite(a)).as("%s ones", dtype).isTrue();
            a.putScalar(0, dtype == DataType.FLOAT ? Float.MAX_VALUE : Double.MAX_VALUE); // finite, though every sum of it overflows
            a.putScalar(1, dtype == DataType.FLOAT ? Float.MAX_VALUE : Double.MAX_VALUE);
            assertThat(HostArrays.allFinite(a)).as("%s at the largest finite values", dtype).isTrue();
            for (double bad : new double[] {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY}) {
                for (int at : new int[] {0, 17, 34}) {
                    INDArray b = Nd4j.ones(dtype, 5, 7);
                    b.putScalar(at, bad);
                    assertThat(HostArrays.allFinite(b)).as("%s with %s at %d", dtype, bad, at).isFalse();
                }
            }
        }
        assertThatThrownBy(() -> HostArrays.allFinite(Nd4j.zeros(DataType.FLOAT, 3, 4).getRow(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("on the host");
    }

    @Test
    void mixRoundsAsNd4jsScalarOps() {
        RandomStream rng = RandomStream.root(3);
        INDArray running = rng.child("r").normal(Precision.FLOAT32, 0, 1, 16);
        float[] batch = rng.child("b").normal(Precision.FLOAT32, 0, 1, 16).toFloatVector();
        INDArray expected = running.mul(1 - 0.1).addi(Nd4j.createFromArray(batch).mul(0.1 * 64 / 63.0));
        HostArrays.mix(running, 1 - 0.1, batch, 0.1 * 64 / 63.0);
        assertThat(running.equalsWithEps(expected, 1e-7)).isTrue();
    }

    @Test
    void aOneByOneKernelsWeightsAreTaken() {
        // drawn as the layers draw them: [48, 24, 1, 1] with strides [24, 1, 1, 1], which ND4J's default-strides test rejects
        INDArray w = RandomStream.root(4).normal(Precision.FLOAT32, 0, 1, 48, 24, 1, 1);
        assertThat(HostArrays.covers(w)).isTrue();
        assertThat(HostArrays.covers(w.permute(1, 0, 2, 3))).isFalse();
    }

    @Test
    void viewsAndMismatchedPairsAreNotTaken() {
        INDArray matrix = Nd4j.zeros(DataType.FLOAT, 3, 4);
        assertThat(HostArrays.covers(matrix)).isTrue();
        assertThat(HostArrays.covers(matrix.getRow(1))).isFalse();
        assertThat(HostArrays.covers(matrix.transpose())).isFalse();
        assertThat(HostArrays.covers(Nd4j.zeros(DataType.INT, 3))).isFalse();
        assertThat(HostArrays.covers(matrix, Nd4j.zeros(DataType.DOUBLE, 3, 4))).isFalse();
        assertThat(HostArrays.covers(matrix, Nd4j.zeros(DataType.FLOAT, 11))).isFalse();
        assertThatThrownBy(() -> HostArrays.add(matrix.getRow(1), Nd4j.zeros(DataType.FLOAT, 4)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("FLOAT [4] (a view or another order)");
    }
}
