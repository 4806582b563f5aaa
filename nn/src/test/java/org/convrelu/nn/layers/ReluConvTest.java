package org.convrelu.nn.layers;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.convrelu.nn.Mode;
import org.convrelu.nn.Param;
import org.convrelu.nn.check.GradientChecker;
import org.convrelu.tensor.Precision;
import org.convrelu.tensor.RandomStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** ReLU → conv as one fused layer against the two layers run in turn. */
class ReluConvTest {

    static Stream<Arguments> specs() {
        return Stream.of(
                Arguments.of(ConvSpec.conv2d(5, 7, 3, 1, 1), new long[] {3, 5, 6, 7}),
                Arguments.of(ConvSpec.conv2d(6, 16, 1, 1, 0), new long[] {2, 6, 5, 5}),
                Arguments.of(ConvSpec.conv1d(4, 16, 7, 1, 0).withBias(), new long[] {2, 4, 20}));
    }

    @ParameterizedTest
    @MethodSource("specs")
    void fusedFloat32EqualsReluThenConv(ConvSpec spec, long[] xShape) {
        INDArray x = RandomStream.root(1).normal(Precision.FLOAT32, 0, 1, xShape);
        ReluConv fused = new ReluConv(new ReLU("relu"), new Conv("conv", spec, Precision.FLOAT32, RandomStream.root(2)));
        ReLU relu = new ReLU("relu");
        Conv conv = new Conv("conv", spec, Precision.FLOAT32, RandomStream.root(2));
        INDArray y = fused.forward(x, Mode.TRAIN);
        INDArray yRef = conv.forward(relu.forward(x, Mode.TRAIN), Mode.TRAIN);
        assertThat(y.equalsWithEps(yRef, 1e-4)).isTrue();
        INDArray dy = RandomStream.root(3).normal(Precision.FLOAT32, 0, 1, y.shape());
        INDArray dx = fused.backward(dy);
        INDArray dxRef = relu.backward(conv.backward(dy));
        assertThat(dx.equalsWithEps(dxRef, 1e-4)).isTrue();
        for (int i = 0; i < conv.params().size(); i++) {
            Param p = fused.params().get(i);
            assertThat(p.name()).isEqualTo(conv.params().get(i).name());
            assertThat(p.grad().equalsWithEps(conv.params().get(i).grad(), 1e-3)).as(p.name()).isTrue();
        }
        assertThat(fused.onMask().equalsWithEps(x.gt(0).castTo(DataType.FLOAT), 0)).isTrue();
        assertThat(fused.kind()).isEqualTo("ReLU");
    }

    @ParameterizedTest
    @MethodSource("specs")
    void passesTheGradientCheckInFloat64(ConvSpec spec, long[] xShape) {
        INDArray x = RandomStream.root(1).normal(Precision.FLOAT64, 0, 1, xShape);
        ReluConv layer = new ReluConv(new ReLU("relu"), new Conv("conv", spec, Precision.FLOAT64, RandomStream.root(2)));
        GradientChecker.Result r = GradientChecker.check(layer, x, Mode.TRAIN, GradientChecker.Objective.randomProjection(7),
                GradientChecker.Options.defaults());
        assertThat(r.passed()).as(r.toString()).isTrue();
    }
}
