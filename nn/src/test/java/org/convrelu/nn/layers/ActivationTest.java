package org.convrelu.nn.layers;

import static org.assertj.core.api.Assertions.assertThat;

import org.convrelu.nn.Mode;
import org.convrelu.nn.init.Init;
import org.convrelu.tensor.Precision;
import org.convrelu.tensor.RandomStream;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class ActivationTest {
    private final INDArray x = RandomStream.root(1).normal(Precision.FLOAT64, 0, 1, 3, 4, 5, 5);
    private final INDArray dy = RandomStream.root(2).normal(Precision.FLOAT64, 0, 1, 3, 4, 5, 5);

    @Test
    void adaReluWithZeroThresholdsIsRelu() {
        for (AdaReLU.Sharing s : AdaReLU.Sharing.values()) {
            AdaReLU ada = new AdaReLU("a", s, new long[] {4, 5, 5}, Init.zero(), Precision.FLOAT64, RandomStream.root(1));
            ReLU relu = new ReLU("r");
            assertThat(ada.forward(x, Mode.TRAIN).equalsWithEps(relu.forward(x, Mode.TRAIN), 0)).as(s.toString()).isTrue();
            assertThat(ada.backward(dy).equalsWithEps(relu.backward(dy), 0)).as(s.toString()).isTrue();
        }
    }

    @Test
    void adaReluFollowsEquationFour() {
        AdaReLU ada = new AdaReLU("a", AdaReLU.Sharing.CHANNEL, new long[] {2}, Init.zero(), Precision.FLOAT64, RandomStream.root(1));
        ada.theta().value().assign(Nd4j.createFromArray(0.5, -1.0));
        INDArray in = Nd4j.createFromArray(new double[][] {{0.2, -3}, {0.7, -0.5}});
        assertThat(ada.forward(in, Mode.TRAIN).toDoubleMatrix()).isEqualTo(new double[][] {{0.5, -1}, {0.7, -0.5}});
        ada.backward(Nd4j.ones(in.dataType(), 2, 2));
        // Each θ receives the gradient of the entries at or below it: one per channel here.
        assertThat(ada.theta().grad().toDoubleVector()).containsExactly(1.0, 1.0);
    }

    @Test
    void leakyAndParametricReluHaveTheirSlopes() {
        INDArray in = Nd4j.createFromArray(new double[][] {{2, -2}});
        assertThat(new LeakyReLU("l", 0.01).forward(in, Mode.TRAIN).toDoubleMatrix()).isEqualTo(new double[][] {{2, -0.02}});
        PReLU p = new PReLU("p", PReLU.Sharing.LAYER, 2, Precision.FLOAT64);
        assertThat(p.forward(in, Mode.TRAIN).toDoubleMatrix()).isEqualTo(new double[][] {{2, -0.5}});
        assertThat(p.params()).hasSize(1);
        assertThat(new PReLU("p", PReLU.Sharing.CHANNEL, 12, Precision.FLOAT64).params().get(0).size()).isEqualTo(12);
    }

    /** Float32 on the CPU takes one pass each way (DirectActivation); ND4J's element-wise ops must give the same. */
    @Test
    void reluLeakyAndParametricReluTakeTheSameValuesOnTheDirectPassesAsOnNd4jsOps() {
        INDArray x32 = x.castTo(org.nd4j.linalg.api.buffer.DataType.FLOAT);
        x32.putScalar(0, 0f); // the kink
        INDArray dy32 = dy.castTo(org.nd4j.linalg.api.buffer.DataType.FLOAT);
        java.util.function.Supplier<java.util.List<org.convrelu.nn.Layer>> layers = () -> java.util.List.of(new ReLU("r"), new LeakyReLU("l", 0.01),
                new PReLU("p", PReLU.Sharing.LAYER, 4, Precision.FLOAT32), new PReLU("pc", PReLU.Sharing.CHANNEL, 4, Precision.FLOAT32));
        java.util.List<org.convrelu.nn.Layer> direct = layers.get(), nd4j = layers.get();
        for (org.convrelu.nn.Layer l : direct) {
            l.params().forEach(p -> p.value().assign(p.value().add(RandomStream.root(9).normal(Precision.FLOAT32, 0, 0.1, p.value().shape()))));
        }
        for (int i = 0; i < direct.size(); i++) {
            for (int k = 0; k < direct.get(i).params().size(); k++) {
                nd4j.get(i).params().get(k).value().assign(direct.get(i).params().get(k).value());
            }
        }
        String before = System.getProperty("convrelu.backend.direct");
        for (int i = 0; i < direct.size(); i++) {
            org.convrelu.nn.Layer a = direct.get(i), b = nd4j.get(i);
            INDArray ya = a.forward(x32, Mode.TRAIN), dxa = a.backward(dy32);
            INDArray yb, dxb;
            System.setProperty("convrelu.backend.direct", "off");
            try {
                yb = b.forward(x32, Mode.TRAIN);
                dxb = b.backward(dy32);
            } finally {
                if (before == null) {
                    System.clearProperty("convrelu.backend.direct");
                } else {
                    System.setProperty("convrelu.backend.direct", before);
                }
            }
            assertThat(ya.equalsWithEps(yb, 1e-6)).as("y of %s", a.name()).isTrue();
            assertThat(dxa.equalsWithEps(dxb, 1e-6)).as("dx of %s", a.name()).isTrue();
            assertThat(((org.convrelu.nn.ActivationGate) a).onMask().equalsWithEps(((org.convrelu.nn.ActivationGate) b).onMask(), 0))
                    .as("on-mask of %s", a.name()).isTrue();
            for (int k = 0; k < a.params().size(); k++) {
                assertThat(a.params().get(k).grad().equalsWithEps(b.params().get(k).grad(), 1e-4)).as("slope gradient of %s", a.name()).isTrue();
            }
        }
    }

    @Test
    void batchNormEvaluationUsesRunningStatistics() {
        BatchNorm bn = new BatchNorm("bn", 4, Precision.FLOAT64);
        INDArray shifted = x.mul(3).addi(2);
        for (int i = 0; i < 200; i++) {
            bn.forward(shifted, Mode.TRAIN);
        }
        assertThat(bn.runningMean().meanNumber().doubleValue()).isCloseTo(2, org.assertj.core.data.Offset.offset(0.3));
        INDArray evaluated = bn.forward(shifted, Mode.EVAL);
        // With converged running statistics, evaluation nearly equals training normalisation.
        assertThat(evaluated.sub(bn.forward(shifted, Mode.TRAIN)).amaxNumber().doubleValue()).isLessThan(0.05);
    }

    @Test
    void dropoutIsSeededAndScalesKeptUnits() {
        INDArray ones = Nd4j.ones(org.nd4j.linalg.api.buffer.DataType.DOUBLE, 200, 100);
        INDArray a = new Dropout("d", 0.5, RandomStream.root(3)).forward(ones, Mode.TRAIN);
        INDArray b = new Dropout("d", 0.5, RandomStream.root(3)).forward(ones, Mode.TRAIN);
        INDArray c = new Dropout("d", 0.5, RandomStream.root(4)).forward(ones, Mode.TRAIN);
        assertThat(a.equalsWithEps(b, 0)).isTrue();
        assertThat(a.equalsWithEps(c, 0)).isFalse();
        assertThat(a.meanNumber().doubleValue()).isCloseTo(1.0, org.assertj.core.data.Offset.offset(0.05));
        assertThat(a.maxNumber().doubleValue()).isEqualTo(2.0);
        assertThat(new Dropout("d", 0.5, RandomStream.root(3)).forward(ones, Mode.EVAL)).isSameAs(ones);
    }
}
