package org.convrelu.tensor.ops.nd4j;

import org.convrelu.tensor.ops.patches.PatchesTest;
import java.util.stream.Stream;
import org.convrelu.tensor.ConvGeometry;
import org.convrelu.tensor.Precision;
import org.convrelu.tensor.RandomStream;
import org.convrelu.tensor.ops.patches.PatchGemm;
import org.convrelu.tensor.ops.patches.Patches;
import org.convrelu.tensor.ops.reference.Reference;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import static org.assertj.core.api.Assertions.assertThat;

class Nd4jConvTest {

    static Stream<Arguments> geometries() {
        return Stream.of(
                Arguments.of(new long[] {2, 3, 11}, ConvGeometry.of(1, 3, 1, 0)),
                Arguments.of(new long[] {2, 3, 11}, ConvGeometry.of(1, 3, 3, 0)),
                Arguments.of(new long[] {2, 3, 6, 5}, ConvGeometry.of(2, 3, 1, 1)),
                Arguments.of(new long[] {2, 2, 8, 8}, ConvGeometry.of(2, 2, 2, 0)),
                Arguments.of(new long[] {2, 2, 7, 6}, ConvGeometry.of(2, 3, 2, 1, 2)));
    }

    @ParameterizedTest
    @MethodSource("geometries")
    void convMatchesTheReference(long[] xShape, ConvGeometry g) {
        RandomStream rng = RandomStream.root(1);
        INDArray x = rng.normal(Precision.FLOAT64, 0, 1, xShape);
        INDArray w = rng.normal(Precision.FLOAT64, 0, 1, PatchesTest.weightShape(4, xShape[1], g));
        INDArray b = rng.normal(Precision.FLOAT64, 0, 1, 4);
        assertThat(Nd4jConv.conv(x, w, b, g).equalsWithEps(Reference.conv(x, w, b, g), 1e-10)).isTrue();
        assertThat(Nd4jConv.conv(x, w, null, g).equalsWithEps(Reference.conv(x, w, null, g), 1e-10)).isTrue();
    }

    @ParameterizedTest
    @MethodSource("geometries")
    void convBackwardMatchesThePatchPath(long[] xShape, ConvGeometry g) {
        RandomStream rng = RandomStream.root(2);
        INDArray x = rng.normal(Precision.FLOAT64, 0, 1, xShape);
        INDArray w = rng.normal(Precision.FLOAT64, 0, 1, PatchesTest.weightShape(4, xShape[1], g));
        INDArray b = rng.normal(Precision.FLOAT64, 0, 1, 4);
        INDArray dy = rng.normal(Precision.FLOAT64, 0, 1, Nd4jConv.conv(x, w, b, g).shape());
        Nd4jConv.ConvGrads grads = Nd4jConv.convBackward(x, w, b, dy, g);
        INDArray cols = Patches.im2col(x, g);
        PatchGemm.Grads viaPatches = PatchGemm.backward(dy, cols, w);
        assertThat(grads.dW().equalsWithEps(viaPatches.dW(), 1e-10)).isTrue();
        assertThat(grads.dx().equalsWithEps(Patches.col2im(viaPatches.dCols(), g, xShape), 1e-10)).isTrue();
        int[] notChannel = new int[xShape.length - 1];
        notChannel[0] = 0;
        for (int i = 1; i < notChannel.length; i++) {
            notChannel[i] = i + 1;
        }
        assertThat(grads.db().equalsWithEps(dy.sum(notChannel), 1e-10)).isTrue();
    }

    @ParameterizedTest
    @MethodSource("geometries")
    void poolingMatchesTheReference(long[] xShape, ConvGeometry g) {
        RandomStream rng = RandomStream.root(3);
        INDArray x = rng.normal(Precision.FLOAT64, 0, 1, xShape);
        assertThat(Nd4jConv.maxPool(x, g).equalsWithEps(Reference.maxPool(x, g), 1e-12)).isTrue();
        assertThat(Nd4jConv.avgPool(x, g).equalsWithEps(Reference.avgPool(x, g), 1e-12)).isTrue();
    }
}
