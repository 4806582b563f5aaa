package org.convrelu.tensor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

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
    void oddSidesAndOtherDtypesAreNotTaken() {
        assertThat(DirectPool.takes(Nd4j.zeros(DataType.FLOAT, 2, 3, 5, 4))).isFalse();
        assertThat(DirectPool.takes(Nd4j.zeros(DataType.DOUBLE, 2, 3, 4, 4))).isFalse();
        assertThat(DirectPool.takes(Nd4j.zeros(DataType.FLOAT, 2, 3, 4, 4))).isTrue();
        assertThatThrownBy(() -> DirectPool.avg2x2(Nd4j.zeros(DataType.FLOAT, 2, 3, 5, 4))).hasMessageContaining("[2, 3, 5, 4]");
    }
}
