package org.convrelu.tensor.ops.cpu;

import org.convrelu.tensor.Precision;
import org.convrelu.tensor.RandomStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Channel concatenation and slices against ND4J's concat and views, bit for bit. */
class DirectChannelsTest {

    @ParameterizedTest
    @ValueSource(ints = {2, 3, 4})
    void concatSliceAndAddMatchNd4j(int rank) {
        RandomStream rng = RandomStream.root(5);
        long[] a = switch (rank) {
            case 2 -> new long[] {70_000, 3};
            case 3 -> new long[] {4, 3, 11};
            default -> new long[] {300, 3, 16, 16}; // above the parallel threshold
        };
        long[] b = a.clone();
        b[1] = 5;
        INDArray x = rng.child("x").normal(Precision.FLOAT32, 0, 1, a);
        INDArray branch = rng.child("b").normal(Precision.FLOAT32, 0, 1, b);

        INDArray y = DirectChannels.concat(x, branch);
        assertThat(y).isEqualTo(Nd4j.concat(1, x, branch));

        INDArray tail = DirectChannels.slice(y, 3, 8);
        assertThat(tail).isEqualTo(branch);
        assertThat(DirectChannels.slice(y, 1, 4)).isEqualTo(y.get(channels(rank, 1, 4)).dup('c'));

        INDArray into = rng.child("into").normal(Precision.FLOAT32, 0, 1, a);
        INDArray expected = into.add(y.get(channels(rank, 0, 3)));
        INDArray sum = DirectChannels.addSlice(into, y, 0);
        assertThat(sum).isEqualTo(expected);
        assertThat(sum).isSameAs(into); // summed in place

        INDArray view = y.get(channels(rank, 0, 3)); // not dense: a new array, the view untouched
        INDArray before = view.dup('c');
        assertThat(DirectChannels.addSlice(view, y, 3).equals(before.add(y.get(channels(rank, 3, 6))))).isTrue();
        assertThat(y.get(channels(rank, 0, 3))).isEqualTo(before);
    }

    @ParameterizedTest
    @ValueSource(strings = {"DOUBLE", "FLOAT"})
    void doublesAndStridedInputsTakeNd4jsPathWithTheSameValues(String dtype) {
        DataType type = DataType.valueOf(dtype);
        INDArray wide = RandomStream.root(6).normal(type == DataType.DOUBLE ? Precision.FLOAT64 : Precision.FLOAT32, 0, 1, 2, 6, 3, 3);
        INDArray x = wide.get(channels(4, 1, 3)); // a view
        INDArray b = wide.get(channels(4, 3, 6)).dup('c');
        assertThat(DirectChannels.concat(x, b)).isEqualTo(Nd4j.concat(1, x, b));
    }

    @org.junit.jupiter.api.Test
    void mismatchedShapesAreRefusedWithBothShapes() {
        INDArray x = Nd4j.zeros(DataType.FLOAT, 2, 3, 4, 4);
        INDArray b = Nd4j.zeros(DataType.FLOAT, 2, 3, 5, 4);
        assertThatThrownBy(() -> DirectChannels.concat(x, b)).hasMessageContaining("[2, 3, 4, 4]").hasMessageContaining("[2, 3, 5, 4]");
        assertThatThrownBy(() -> DirectChannels.slice(x, 2, 5)).hasMessageContaining("[2, 5)");
    }

    private static org.nd4j.linalg.indexing.INDArrayIndex[] channels(int rank, long from, long to) {
        org.nd4j.linalg.indexing.INDArrayIndex[] idx = new org.nd4j.linalg.indexing.INDArrayIndex[rank];
        for (int i = 0; i < rank; i++) {
            idx[i] = NDArrayIndex.all();
        }
        idx[1] = NDArrayIndex.interval(from, to);
        return idx;
    }
}
