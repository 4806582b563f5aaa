package org.convrelu.nn.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class LearningRateTest {

    @Test
    void triangleRisesToItsPeakAndFallsToZeroAtTheLastStep() {
        LearningRate lr = LearningRate.triangle(0.2, 10, 50);
        assertThat(lr.at(0, 0)).isZero();
        assertThat(lr.at(0, 5)).isCloseTo(0.1, within(1e-15));
        assertThat(lr.at(0, 10)).isEqualTo(0.2);
        assertThat(lr.at(3, 30)).isCloseTo(0.1, within(1e-15));
        assertThat(lr.at(4, 49)).isCloseTo(0.2 / 40, within(1e-15));
        assertThat(lr.at(5, 50)).isZero();
        assertThat(lr.at(9, 99)).isZero();
        for (long s = 1; s < 50; s++) {
            assertThat(lr.at(0, s)).isPositive();
        }
    }

    @Test
    void triangleNeedsARiseShorterThanTheRun() {
        assertThatThrownBy(() -> LearningRate.triangle(0.1, 0, 50)).hasMessageContaining("1..49").hasMessageContaining("got 0");
        assertThatThrownBy(() -> LearningRate.triangle(0.1, 50, 50)).hasMessageContaining("got 50");
    }

    @Test
    void halvingStopsAfterItsCount() {
        LearningRate halving = LearningRate.halving(0.01, 3, true, 2);
        assertThat(halving.at(2, 0)).isEqualTo(0.01);
        assertThat(halving.at(3, 0)).isEqualTo(0.005);
        assertThat(halving.at(30, 0)).isEqualTo(0.0025);
    }
}
