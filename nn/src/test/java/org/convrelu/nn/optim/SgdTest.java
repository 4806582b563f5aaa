package org.convrelu.nn.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import org.convrelu.nn.Param;
import org.convrelu.nn.ParamRole;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;

class SgdTest {

    @Test
    void momentumAndPerRoleWeightDecayFollowTheFormula() {
        Param w = new Param("w", ParamRole.WEIGHT, Nd4j.createFromArray(1.0));
        Param t = new Param("t", ParamRole.THRESHOLD, Nd4j.createFromArray(1.0));
        Param b = new Param("b", ParamRole.BIAS, Nd4j.createFromArray(1.0));
        Sgd sgd = new Sgd(List.of(w, t, b), new Sgd.Config(0.9, false, Map.of(ParamRole.WEIGHT, 0.1, ParamRole.THRESHOLD, 0.5)));
        for (Param p : List.of(w, t, b)) {
            p.grad().assign(2.0);
        }
        sgd.step(0.1);
        // g = 2 + λ·1; v = g; w = 1 − 0.1·g
        assertThat(w.value().getDouble(0)).isCloseTo(1 - 0.1 * 2.1, within(1e-12));
        assertThat(t.value().getDouble(0)).isCloseTo(1 - 0.1 * 2.5, within(1e-12));
        assertThat(b.value().getDouble(0)).isCloseTo(1 - 0.1 * 2.0, within(1e-12));
        double w1 = w.value().getDouble(0);
        sgd.step(0.1);
        // second step: g = 2 + 0.1·w1; v = 0.9·2.1 + g
        assertThat(w.value().getDouble(0)).isCloseTo(w1 - 0.1 * (0.9 * 2.1 + 2 + 0.1 * w1), within(1e-12));
    }

    @Test
    void nesterovLooksAhead() {
        Param w = new Param("w", ParamRole.WEIGHT, Nd4j.createFromArray(0.0));
        Sgd sgd = new Sgd(List.of(w), new Sgd.Config(0.9, true, Map.of()));
        w.grad().assign(1.0);
        sgd.step(1.0);
        assertThat(w.value().getDouble(0)).isCloseTo(-(1 + 0.9 * 1), within(1e-12));
    }

    @Test
    void rejectsDuplicateNames() {
        Param a = new Param("x", ParamRole.WEIGHT, Nd4j.createFromArray(0.0));
        Param b = new Param("x", ParamRole.BIAS, Nd4j.createFromArray(0.0));
        assertThatThrownBy(() -> new Sgd(List.of(a, b), Sgd.Config.cifarDenseNet())).hasMessageContaining("two parameters are named x");
    }

    @Test
    void stepScheduleFollowsThePaper() {
        StepSchedule s = StepSchedule.paper();
        assertThat(s.lr(0)).isEqualTo(0.1);
        assertThat(s.lr(149)).isEqualTo(0.1);
        assertThat(s.lr(150)).isCloseTo(0.01, within(1e-15));
        assertThat(s.lr(250)).isCloseTo(0.001, within(1e-15));
        StepSchedule short30 = s.scaled(30, 300);
        assertThat(short30.milestones()).containsExactly(15, 25);
        assertThat(short30.lr(24)).isCloseTo(0.01, within(1e-15));
    }
}
