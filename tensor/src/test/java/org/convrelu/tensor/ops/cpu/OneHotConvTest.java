package org.convrelu.tensor.ops.cpu;

import org.convrelu.tensor.ConvGeometry;
import org.convrelu.tensor.Precision;
import org.convrelu.tensor.RandomStream;
import org.convrelu.tensor.ops.reference.Reference;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import static org.assertj.core.api.Assertions.assertThat;

/** The one-hot convolution against the float64 reference on the dense one-hot array. */
class OneHotConvTest {

    /** [n, c, length] with one random channel set per position, and every fifth position all zeros (a character outside the alphabet). */
    static INDArray oneHot(RandomStream rng, int n, int c, int length) {
        INDArray x = Nd4j.zeros(DataType.FLOAT, n, c, length);
        INDArray pick = rng.uniform(Precision.FLOAT64, 0, c, n, length);
        for (int s = 0; s < n; s++) {
            for (int l = 0; l < length; l++) {
                if ((s + l) % 5 != 0) {
                    x.putScalar(new long[] {s, (long) pick.getDouble(s, l), l}, 1f);
                }
            }
        }
        return x;
    }

    @Test
    void forwardAndWeightGradientsMatchTheDenseReference() {
        RandomStream rng = RandomStream.root(5);
        // The char-CNN's conv1 (kernel 7, stride 1), and a strided, padded window.
        for (ConvGeometry g : new ConvGeometry[] {ConvGeometry.of(1, 7, 1, 0), ConvGeometry.of(1, 3, 2, 2)}) {
            INDArray x = oneHot(rng.child("x" + g), 3, 11, 30);
            INDArray w = rng.child("w" + g).normal(Precision.FLOAT64, 0, 1, 6, 11, g.kernel(0));
            INDArray bias = rng.child("b" + g).normal(Precision.FLOAT64, 0, 1, 6);
            int[] index = OneHotConv.indices(x);
            assertThat(index).isNotNull();
            INDArray y = OneHotConv.forward(index, x.shape(), w.castTo(DataType.FLOAT), bias.castTo(DataType.FLOAT), g);
            INDArray x64 = x.castTo(DataType.DOUBLE);
            INDArray yRef = Reference.conv(x64, w, bias, g);
            assertThat(y.castTo(DataType.DOUBLE).equalsWithEps(yRef, 1e-4)).as("y %s", g).isTrue();

            INDArray dy = rng.child("dy" + g).normal(Precision.FLOAT64, 0, 1, yRef.shape());
            OneHotConv.Grads grads = OneHotConv.weightGradients(index, x.shape(), w.castTo(DataType.FLOAT), dy.castTo(DataType.FLOAT), g);
            assertThat(grads.dW().castTo(DataType.DOUBLE).equalsWithEps(Reference.convBackward(x64, w, dy, g).dW(), 1e-4)).as("dW %s", g).isTrue();
            assertThat(grads.dBias().castTo(DataType.DOUBLE).equalsWithEps(dy.sum(0, 2), 1e-4)).as("db %s", g).isTrue();
        }
    }

    @Test
    void onlyOneHotFloatArraysHaveIndices() {
        INDArray x = Nd4j.zeros(DataType.FLOAT, 2, 4, 5);
        x.putScalar(new long[] {0, 2, 1}, 1f);
        x.putScalar(new long[] {1, 3, 4}, 1f);
        int[] index = OneHotConv.indices(x);
        assertThat(index).containsExactly(-1, 2, -1, -1, -1, -1, -1, -1, -1, 3);
        assertThat(OneHotConv.indices(x.castTo(DataType.DOUBLE))).isNull();
        INDArray twoAtOnePosition = x.dup();
        twoAtOnePosition.putScalar(new long[] {1, 0, 4}, 1f);
        assertThat(OneHotConv.indices(twoAtOnePosition)).isNull();
        INDArray notOne = x.dup();
        notOne.putScalar(new long[] {0, 2, 1}, 0.5f);
        assertThat(OneHotConv.indices(notOne)).isNull();
        assertThat(OneHotConv.indices(Nd4j.zeros(DataType.FLOAT, 2, 4, 5, 5))).isNull();
    }
}
