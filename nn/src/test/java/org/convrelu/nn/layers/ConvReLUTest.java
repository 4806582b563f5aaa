package org.convrelu.nn.layers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.Stream;
import org.convrelu.nn.Mode;
import org.convrelu.nn.init.Init;
import org.convrelu.tensor.PaddedInput;
import org.convrelu.tensor.Precision;
import org.convrelu.tensor.RandomStream;
import org.convrelu.tensor.ops.reference.Reference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** ConvReLU (eq. 8) against the slow reference, the paper's example, and its reductions to ReLU and Conv. */
class ConvReLUTest {

    static Stream<Arguments> specs() {
        return Stream.of(
                Arguments.of(ConvSpec.conv1d(3, 4, 3, 1, 0), new long[] {2, 3, 11}),
                Arguments.of(ConvSpec.conv1d(4, 5, 7, 1, 0), new long[] {2, 4, 20}),
                Arguments.of(ConvSpec.conv1d(2, 3, 3, 2, 1), new long[] {3, 2, 9}),
                Arguments.of(ConvSpec.conv2d(3, 4, 3, 1, 1), new long[] {2, 3, 6, 5}),
                Arguments.of(ConvSpec.conv2d(6, 2, 1, 1, 0), new long[] {2, 6, 4, 4}),
                Arguments.of(ConvSpec.conv2d(5, 3, 1, 2, 0).withBias(), new long[] {2, 5, 5, 5}),
                Arguments.of(ConvSpec.conv1d(4, 3, 1, 1, 0), new long[] {3, 4, 7}),
                Arguments.of(ConvSpec.conv2d(2, 3, 3, 2, 1).withDilation(2), new long[] {2, 2, 7, 7}),
                Arguments.of(ConvSpec.conv3d(2, 3, 3, 1, 1), new long[] {1, 2, 4, 3, 4}));
    }

    private static ConvReLU layer(ConvSpec spec, PaddedInput padded, Precision precision) {
        return new ConvReLU("cr", spec, Init.he(), Init.normal(0.5), padded, precision, RandomStream.root(9));
    }

    @ParameterizedTest
    @MethodSource("specs")
    void forwardAndBackwardMatchTheReferenceInFloat64AndFloat32(ConvSpec spec, long[] xShape) {
        for (PaddedInput padded : PaddedInput.values()) {
            for (Precision precision : Precision.values()) {
                ConvReLU cr = layer(spec, padded, precision);
                RandomStream rng = RandomStream.root(5);
                INDArray x = rng.normal(precision, 0, 1, xShape);
                INDArray y = cr.forward(x, Mode.TRAIN);
                INDArray dy = rng.normal(precision, 0, 1, y.shape());
                INDArray dx = cr.backward(dy);

                INDArray w = cr.weight().value().castTo(DataType.DOUBLE);
                INDArray theta = cr.theta().value().castTo(DataType.DOUBLE);
                INDArray x64 = x.castTo(DataType.DOUBLE);
                INDArray yRef = Reference.convRelu(x64, w, theta, spec.geometry(), padded);
                Reference.ConvReluGrads ref = Reference.convReluBackward(x64, w, theta, dy.castTo(DataType.DOUBLE),
                        spec.geometry(), padded);
                double eps = precision == Precision.FLOAT64 ? 1e-10 : 2e-4;
                String what = padded + " " + precision;
                assertThat(y.castTo(DataType.DOUBLE).equalsWithEps(yRef, eps)).as("y " + what).isTrue();
                assertThat(dx.castTo(DataType.DOUBLE).equalsWithEps(ref.dx(), eps)).as("dx " + what).isTrue();
                assertThat(cr.weight().grad().castTo(DataType.DOUBLE).equalsWithEps(ref.dW(), eps * 10)).as("dW " + what).isTrue();
                assertThat(cr.theta().grad().castTo(DataType.DOUBLE).equalsWithEps(ref.dTheta(), eps * 10)).as("dθ " + what).isTrue();
            }
        }
    }

    @ParameterizedTest
    @MethodSource("specs")
    void inputsExactlyAtTheThresholdSendTheirGradientToTheThreshold(ConvSpec spec, long[] shape) {
        // θ = 0.5 everywhere and every input exactly 0.5: every window entry is a tie, so by eq. 6
        // (∂f/∂θ = 1 where x ≤ θ) all gradient goes to θ and none to x.
        ConvReLU cr = new ConvReLU("cr", spec, Init.he(), Init.constant(0.5), PaddedInput.THRESHOLDED,
                Precision.FLOAT64, RandomStream.root(1));
        INDArray x = Nd4j.valueArrayOf(shape, 0.5, DataType.DOUBLE);
        INDArray y = cr.forward(x, Mode.TRAIN);
        INDArray dy = RandomStream.root(2).normal(Precision.FLOAT64, 0, 1, y.shape());
        INDArray dx = cr.backward(dy);
        assertThat(dx.amaxNumber().doubleValue()).isZero();
        Reference.ConvReluGrads ref = Reference.convReluBackward(x, cr.weight().value(), cr.theta().value(), dy,
                spec.geometry(), PaddedInput.THRESHOLDED);
        assertThat(cr.theta().grad().equalsWithEps(ref.dTheta(), 1e-10)).isTrue();
        assertThat(cr.theta().grad().amaxNumber().doubleValue()).isGreaterThan(0);

        // Inputs nudged just above θ pass again.
        INDArray above = x.add(1e-12);
        cr.theta().zeroGrad();
        cr.forward(above, Mode.TRAIN);
        assertThat(cr.backward(dy).amaxNumber().doubleValue()).isGreaterThan(0);
    }

    @Test
    void thePapersWorkedExample() {
        // x = [2, 3, 4], W = [1, -1], θ = [0, 3.5], 1D ConvReLU without padding → y = [-1.5, -1].
        ConvReLU cr = new ConvReLU("cr", ConvSpec.conv1d(1, 1, 2, 1, 0), Precision.FLOAT64, RandomStream.root(1));
        cr.weight().value().assign(Nd4j.createFromArray(1.0, -1.0).reshape(1, 1, 2));
        cr.theta().value().assign(Nd4j.createFromArray(0.0, 3.5).reshape(1, 2));
        INDArray y = cr.forward(Nd4j.createFromArray(2.0, 3.0, 4.0).reshape(1, 1, 3), Mode.TRAIN);
        assertThat(y.reshape(2).toDoubleVector()).containsExactly(-1.5, -1.0);
    }

    @ParameterizedTest
    @MethodSource("specs")
    void withZeroThresholdsOnNonNegativeInputItIsAPlainConvolution(ConvSpec spec, long[] xShape) {
        ConvReLU cr = new ConvReLU("cr", spec, Init.he(), Init.zero(), PaddedInput.THRESHOLDED, Precision.FLOAT64, RandomStream.root(3));
        Conv conv = new Conv("c", spec, Precision.FLOAT64, RandomStream.root(4));
        conv.weight().value().assign(cr.weight().value());
        INDArray x = Nd4j.math().abs(RandomStream.root(6).normal(Precision.FLOAT64, 0, 1, xShape));
        assertThat(cr.forward(x, Mode.TRAIN).equalsWithEps(conv.forward(x, Mode.TRAIN), 1e-10)).isTrue();
    }

    @ParameterizedTest
    @MethodSource("specs")
    void withZeroThresholdsItIsReluThenConvolution(ConvSpec spec, long[] xShape) {
        // Padding applied after the activation, as a ReLU followed by a zero-padded conv does.
        ConvReLU cr = new ConvReLU("cr", spec, Init.he(), Init.zero(), PaddedInput.ZERO, Precision.FLOAT64, RandomStream.root(3));
        Conv conv = new Conv("c", spec, Precision.FLOAT64, RandomStream.root(4));
        conv.weight().value().assign(cr.weight().value());
        ReLU relu = new ReLU("r");
        INDArray x = RandomStream.root(6).normal(Precision.FLOAT64, 0, 1, xShape);
        INDArray y = cr.forward(x, Mode.TRAIN);
        assertThat(y.equalsWithEps(conv.forward(relu.forward(x, Mode.TRAIN), Mode.TRAIN), 1e-10)).isTrue();
        INDArray dy = RandomStream.root(7).normal(Precision.FLOAT64, 0, 1, y.shape());
        assertThat(cr.backward(dy).equalsWithEps(relu.backward(conv.backward(dy)), 1e-10)).isTrue();
    }

    @Test
    void hasOneThresholdPerInputChannelAndKernelPosition() {
        assertThat(layer(ConvSpec.conv1d(70, 256, 7, 1, 0), PaddedInput.THRESHOLDED, Precision.FLOAT32).theta().size()).isEqualTo(70 * 7);
        assertThat(layer(ConvSpec.conv2d(48, 12, 3, 1, 1), PaddedInput.THRESHOLDED, Precision.FLOAT32).theta().size()).isEqualTo(48 * 9);
        assertThat(layer(ConvSpec.conv3d(4, 8, 3, 1, 1), PaddedInput.THRESHOLDED, Precision.FLOAT32).theta().size()).isEqualTo(4 * 27);
    }

    @Test
    void rejectsInputsOfTheWrongShapeNamingTheLayer() {
        ConvReLU cr = layer(ConvSpec.conv2d(3, 4, 3, 1, 1), PaddedInput.THRESHOLDED, Precision.FLOAT64);
        assertThatThrownBy(() -> cr.forward(Nd4j.zeros(DataType.DOUBLE, 2, 5, 6, 6), Mode.TRAIN))
                .hasMessageContaining("cr").hasMessageContaining("input channels = 3").hasMessageContaining("[2, 5, 6, 6]");
        assertThatThrownBy(() -> cr.forward(Nd4j.zeros(DataType.DOUBLE, 2, 3, 6), Mode.TRAIN))
                .hasMessageContaining("rank 4");
    }
}
