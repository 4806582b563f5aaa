package org.convrelu.tensor.ops.cpu;

import org.convrelu.tensor.ConvGeometry;
import org.convrelu.tensor.Precision;
import org.convrelu.tensor.RandomStream;
import org.convrelu.tensor.ops.nd4j.Nd4jConv;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** 2×2 average pooling against ND4J's avgpool2d and its backward. */
class DirectPoolTest {

    @Test
    void forwardAndBackwardMatchNd4jsOp() {
        RandomStream rng = RandomStream.root(3);
        INDArray x = rng.child("x").normal(Precision.FLOAT32, 0, 1, 5, 3, 8, 6);
        ConvGeometry halving = ConvGeometry.of(2, 2, 2, 0);
        INDArray y = DirectPool.avg2x2(x);
        assertThat(y.shape()).containsExactly(5, 3, 4, 3);
        assertThat(y.equalsWithEps(Nd4jConv.avgPool(x, halving), 1e-6)).isTrue();
        assertThat(y.getFloat(1, 2, 3, 1)).isCloseTo((x.getFloat(1, 2, 6, 2) + x.getFloat(1, 2, 6, 3) + x.getFloat(1, 2, 7, 2)
                + x.getFloat(1, 2, 7, 3)) / 4, org.assertj.core.data.Offset.offset(1e-6f));

        INDArray dy = rng.child("dy").normal(Precision.FLOAT32, 0, 1, 5, 3, 4, 3);
        INDArray dx = DirectPool.avg2x2Backward(dy, x.shape());
        assertThat(dx.equalsWithEps(Nd4jConv.avgPoolBackward(x, dy, halving), 1e-6)).isTrue();
    }

    @Test
    void maxPooling1dMatchesNd4jsOpForwardAndBackward() {
        RandomStream rng = RandomStream.root(4);
        // The char-CNN's pool (window 3, stride 3, a remainder left over), overlapping windows, and a max over all positions.
        for (ConvGeometry g : new ConvGeometry[] {ConvGeometry.of(1, 3, 3, 0), ConvGeometry.of(1, 3, 2, 0), ConvGeometry.of(1, 17, 17, 0)}) {
            INDArray x = rng.child("x" + g).normal(Precision.FLOAT32, 0, 1, 4, 5, 17);
            INDArray y = DirectPool.max1d(x, g);
            assertThat(y.shape()).containsExactly(Nd4jConv.maxPool(x, g).shape());
            assertThat(y.equalsWithEps(Nd4jConv.maxPool(x, g), 0)).as("forward %s", g).isTrue();
            INDArray dy = rng.child("dy" + g).normal(Precision.FLOAT32, 0, 1, y.shape());
            assertThat(DirectPool.max1dBackward(x, dy, g).equalsWithEps(Nd4jConv.maxPoolBackward(x, dy, g), 1e-6)).as("backward %s", g).isTrue();
        }
    }

    @Test
    void maxPooling1dSendsATiedWindowsGradientToItsFirstMaximum() {
        INDArray x = Nd4j.createFromArray(new float[] {1, 3, 3, -2, -2, -2, 0}).reshape(1, 1, 7);
        ConvGeometry g = ConvGeometry.of(1, 3, 3, 0);
        INDArray dy = Nd4j.createFromArray(new float[] {10, 20}).reshape(1, 1, 2);
        assertThat(DirectPool.max1d(x, g).data().asFloat()).containsExactly(3, -2);
        assertThat(DirectPool.max1dBackward(x, dy, g).data().asFloat()).containsExactly(0, 10, 0, 20, 0, 0, 0);
        assertThat(DirectPool.max1dBackward(x, dy, g).equalsWithEps(Nd4jConv.maxPoolBackward(x, dy, g), 0)).isTrue();
    }

    @Test
    void maxPooling1dPassesANaNOnAndSendsItsWindowsGradientToIt() {
        float nan = Float.NaN;
        INDArray x = Nd4j.createFromArray(new float[] {5, nan, 7, nan, 1, nan, 2, 9, 4, 6}).reshape(1, 1, 10);
        INDArray dy = Nd4j.createFromArray(new float[] {10, 20, 30}).reshape(1, 1, 3);
        ConvGeometry g = ConvGeometry.of(1, 3, 3, 0); // windows [5, NaN, 7], [NaN, 1, NaN], [2, 9, 4]; the 6 is left over
        float[] y = DirectPool.max1d(x, g).data().asFloat();
        assertThat(Float.isNaN(y[0]) && Float.isNaN(y[1])).as("%s", java.util.Arrays.toString(y)).isTrue();
        assertThat(y[2]).isEqualTo(9);
        assertThat(DirectPool.max1dBackward(x, dy, g).data().asFloat()).containsExactly(0, 10, 0, 20, 0, 0, 0, 30, 0, 0);
    }

    @Test
    void globalAveragePoolingMatchesTheMeanAndSpreadsItsGradient() {
        RandomStream rng = RandomStream.root(6);
        for (long[] shape : new long[][] {{5, 3, 4, 4}, {2, 7, 9}, {3, 2, 2, 3, 4}}) {
            INDArray x = rng.child("x" + shape.length).normal(Precision.FLOAT32, 1, 2, shape);
            int[] positions = java.util.stream.IntStream.range(2, shape.length).toArray();
            INDArray y = DirectPool.globalAvg(x);
            assertThat(y.shape()).containsExactly(shape[0], shape[1]);
            assertThat(y.equalsWithEps(x.castTo(DataType.DOUBLE).mean(positions).castTo(DataType.FLOAT), 1e-6)).as("mean of %s",
                    java.util.Arrays.toString(shape)).isTrue();
            INDArray dy = rng.child("dy" + shape.length).normal(Precision.FLOAT32, 0, 1, shape[0], shape[1]);
            INDArray dx = DirectPool.globalAvgBackward(dy, shape);
            long count = x.length() / (shape[0] * shape[1]);
            for (int i = 0; i < 3; i++) {
                long[] at = new long[shape.length];
                at[0] = i % shape[0];
                at[1] = (i + 1) % shape[1];
                at[shape.length - 1] = i % shape[shape.length - 1];
                assertThat(dx.getFloat(at)).isEqualTo(dy.getFloat(at[0], at[1]) / count);
            }
            assertThat(dx.sum(positions).equalsWithEps(dy, 1e-5)).as("gradient of %s sums back", java.util.Arrays.toString(shape)).isTrue();
        }
        assertThat(DirectPool.coversGlobalAvg(Nd4j.zeros(DataType.DOUBLE, 2, 3, 4))).isFalse();
        assertThatThrownBy(() -> DirectPool.globalAvgBackward(Nd4j.zeros(DataType.FLOAT, 2, 4), new long[] {2, 3, 4, 4}))
                .hasMessageContaining("[2, 3, 4, 4]");
    }

    @Test
    void oddSidesAndOtherDtypesAreNotTaken() {
        assertThat(DirectPool.covers(Nd4j.zeros(DataType.FLOAT, 2, 3, 5, 4))).isFalse();
        assertThat(DirectPool.covers(Nd4j.zeros(DataType.DOUBLE, 2, 3, 4, 4))).isFalse();
        assertThat(DirectPool.covers(Nd4j.zeros(DataType.FLOAT, 2, 3, 4, 4))).isTrue();
        assertThatThrownBy(() -> DirectPool.avg2x2(Nd4j.zeros(DataType.FLOAT, 2, 3, 5, 4))).hasMessageContaining("[2, 3, 5, 4]");
        ConvGeometry window3 = ConvGeometry.of(1, 3, 3, 0);
        assertThat(DirectPool.coversMax1d(Nd4j.zeros(DataType.FLOAT, 2, 3, 7), window3)).isTrue();
        assertThat(DirectPool.coversMax1d(Nd4j.zeros(DataType.DOUBLE, 2, 3, 7), window3)).isFalse();
        assertThat(DirectPool.coversMax1d(Nd4j.zeros(DataType.FLOAT, 2, 3, 7), ConvGeometry.of(1, 3, 3, 1))).isFalse();
        assertThat(DirectPool.coversMax1d(Nd4j.zeros(DataType.FLOAT, 2, 3, 2), window3)).isFalse();
        assertThatThrownBy(() -> DirectPool.max1d(Nd4j.zeros(DataType.FLOAT, 2, 3, 2), window3)).hasMessageContaining("[2, 3, 2]");
    }
}
