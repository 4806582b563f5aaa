package org.convrelu.nn.init;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.convrelu.tensor.Precision;
import org.convrelu.tensor.RandomStream;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

class InitTest {

    private static double std(INDArray a) {
        return a.stdNumber().doubleValue();
    }

    @Test
    void initialisersHaveTheirVariances() {
        RandomStream rng = RandomStream.root(1);
        long[] shape = {64, 48, 3, 3};
        assertThat(std(Init.he().create(rng, Precision.FLOAT64, shape, 48 * 9, 64 * 9))).isCloseTo(Math.sqrt(2.0 / (48 * 9)), within(0.002));
        assertThat(std(Init.glorotNormalFans().create(rng, Precision.FLOAT64, shape, 48 * 9, 64 * 9)))
                .isCloseTo(Math.sqrt(2.0 / (48 * 9 + 64 * 9)), within(0.002));
        assertThat(std(Init.normal(0.05).create(rng, Precision.FLOAT64, shape, 0, 0))).isCloseTo(0.05, within(0.002));
        assertThat(Init.zero().create(rng, Precision.FLOAT32, shape, 0, 0).amaxNumber().doubleValue()).isZero();
    }

    @Test
    void glorotAsThePaperStatesItIsUniformOverChannels() {
        // ConvReLU thresholds of a 3×3 conv from 48 to 12 channels: [48, 3, 3], fans 48·9 and 12·9, var 2 / (48 + 12)
        INDArray theta = Init.glorotUniformChannels().create(RandomStream.root(2), Precision.FLOAT64, new long[] {48, 3, 3}, 48 * 9, 12 * 9);
        double a = Math.sqrt(6.0 / (48 + 12));
        assertThat(theta.maxNumber().doubleValue()).isLessThanOrEqualTo(a).isGreaterThan(0.9 * a);
        assertThat(theta.minNumber().doubleValue()).isGreaterThanOrEqualTo(-a).isLessThan(-0.9 * a);
        assertThat(std(theta)).isCloseTo(Math.sqrt(2.0 / (48 + 12)), within(0.02));
    }

    @Test
    void sameStreamSameValues() {
        INDArray a = Init.he().create(RandomStream.root(3).child("init"), Precision.FLOAT32, new long[] {4, 4}, 4, 4);
        INDArray b = Init.he().create(RandomStream.root(3).child("init"), Precision.FLOAT32, new long[] {4, 4}, 4, 4);
        assertThat(a).isEqualTo(b);
        assertThat(a.dataType()).isEqualTo(Precision.FLOAT32.dataType());
    }
}
