package org.convrelu.nn.layers;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.convrelu.nn.Mode;
import org.convrelu.nn.Param;
import org.convrelu.tensor.Precision;
import org.convrelu.tensor.RandomStream;
import org.convrelu.tensor.ops.Backends;
import org.convrelu.tensor.ops.Implementation;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** A convolution told that nobody reads its input gradient: null dx, the same parameter gradients. */
class ConvInputGradientTest {
    // The char-CNN's conv1 in small: 70 characters, kernel 7, with a bias; ND4J's conv runs it when dx is asked for.
    private static final ConvSpec SPEC = ConvSpec.conv1d(70, 32, 7, 1, 0).withBias();

    @Test
    void withoutAnInputGradientBackwardReturnsNullAndTheSameParameterGradients() {
        INDArray x = RandomStream.root(1).normal(Precision.FLOAT32, 0, 1, 3, 70, 40);
        Conv full = new Conv("conv1", SPEC, Precision.FLOAT32, RandomStream.root(2));
        Conv first = new Conv("conv1", SPEC, Precision.FLOAT32, RandomStream.root(2));
        first.inputGradient(false);

        INDArray y = full.forward(x, Mode.TRAIN);
        Map<String, Map<String, Long>> before = Backends.usage();
        INDArray yFirst = first.forward(x, Mode.TRAIN);
        assertThat(Backends.usedSince(before)).containsEntry("conv", List.of("direct"));
        assertThat(yFirst.equalsWithEps(y, 1e-4)).isTrue();

        INDArray dy = RandomStream.root(3).normal(Precision.FLOAT32, 0, 1, y.shape());
        assertThat(full.backward(dy)).isNotNull();
        assertThat(first.backward(dy)).isNull();
        for (int i = 0; i < full.params().size(); i++) {
            Param p = first.params().get(i);
            Param q = full.params().get(i);
            double scale = q.grad().norm2Number().doubleValue();
            assertThat(p.grad().sub(q.grad()).norm2Number().doubleValue()).as(p.name()).isLessThan(1e-5 * scale);
        }
    }

    @Test
    void aOneHotInputGivesWhatTheDenseConvolutionGives() {
        // Quantised characters: one channel of 70 set per position, some positions (characters outside the alphabet) all zeros.
        INDArray x = Nd4j.zeros(DataType.FLOAT, 3, 70, 40);
        INDArray pick = RandomStream.root(7).uniform(Precision.FLOAT64, 0, 70, 3, 40);
        for (int n = 0; n < 3; n++) {
            for (int l = 0; l < 40; l++) {
                if (l % 6 != 0) {
                    x.putScalar(new long[] {n, (long) pick.getDouble(n, l), l}, 1f);
                }
            }
        }
        Conv dense = new Conv("conv1", SPEC, Precision.FLOAT32, RandomStream.root(2));
        Conv direct = new Conv("conv1", SPEC, Precision.FLOAT32, RandomStream.root(2));
        Conv first = new Conv("conv1", SPEC, Precision.FLOAT32, RandomStream.root(2));
        first.inputGradient(false);
        INDArray y = dense.forward(x, Mode.TRAIN);
        INDArray dy = RandomStream.root(3).normal(Precision.FLOAT32, 0, 1, y.shape());
        INDArray dx = dense.backward(dy);
        try (Backends.Forcing forced = Backends.force(Implementation.DIRECT)) {
            assertThat(direct.forward(x, Mode.TRAIN).equalsWithEps(y, 1e-4)).isTrue();
            assertThat(direct.backward(dy).equalsWithEps(dx, 1e-4)).as("dx, where it is asked for").isTrue();
        }
        assertThat(first.forward(x, Mode.TRAIN).equalsWithEps(y, 1e-4)).isTrue();
        assertThat(first.backward(dy)).isNull();
        for (Conv c : List.of(direct, first)) {
            for (int i = 0; i < dense.params().size(); i++) {
                INDArray expected = dense.params().get(i).grad();
                double error = c.params().get(i).grad().sub(expected).norm2Number().doubleValue();
                assertThat(error).as(c.params().get(i).name()).isLessThan(1e-5 * expected.norm2Number().doubleValue());
            }
        }
    }

    @Test
    void aSequentialPassesTheWordToItsFirstChildOnly() {
        INDArray x = RandomStream.root(1).normal(Precision.FLOAT32, 0, 1, 2, 70, 30);
        Conv conv1 = new Conv("conv1", SPEC, Precision.FLOAT32, RandomStream.root(2));
        Conv conv2 = new Conv("conv2", ConvSpec.conv1d(32, 8, 3, 1, 0), Precision.FLOAT32, RandomStream.root(3));
        Sequential net = new Sequential("net", List.of(conv1, conv2));
        net.inputGradient(false);
        INDArray y = net.forward(x, Mode.TRAIN);
        INDArray dy = RandomStream.root(4).normal(Precision.FLOAT32, 0, 1, y.shape());
        assertThat(conv2.backward(dy)).as("the second conv still hands its dx to the first").isNotNull();
        net.forward(x, Mode.TRAIN);
        assertThat(net.backward(dy)).isNull();
        assertThat(conv1.weight().grad().norm2Number().doubleValue()).isPositive();
    }
}
