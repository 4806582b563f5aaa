package org.convrelu.tensor;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import static org.assertj.core.api.Assertions.assertThat;

class BatchTest {

    @Test
    void releaseFreesAnArrayOfItsOwnAndLeavesAViewAlone() {
        INDArray own = Nd4j.ones(DataType.FLOAT, 2, 3);
        new Batch(own, new int[] {0, 1}, new int[] {0, 1}).release();
        assertThat(own.wasClosed()).isTrue();

        INDArray whole = Nd4j.ones(DataType.FLOAT, 4, 3);
        INDArray rows = whole.get(NDArrayIndex.interval(0, 2), NDArrayIndex.all());
        new Batch(rows, new int[] {0, 1}, new int[] {0, 1}).release();
        assertThat(rows.wasClosed()).isFalse();
        assertThat(whole.wasClosed()).isFalse();
        assertThat(whole.sumNumber().doubleValue()).isEqualTo(12.0);
    }
}
