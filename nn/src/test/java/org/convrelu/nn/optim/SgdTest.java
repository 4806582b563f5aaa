package org.convrelu.nn.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import org.convrelu.nn.Param;
import org.convrelu.nn.ParamRole;
import org.convrelu.tensor.ops.cpu.DirectSgd;
import org.convrelu.tensor.Precision;
import org.convrelu.tensor.RandomStream;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
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
    void theFusedUpdateMatchesTheUpdateAsNd4jOps() {
        // float32 as the networks train, with and without weight decay and Nesterov, three steps
        for (boolean nesterov : new boolean[] {false, true}) {
            for (double decay : new double[] {0, 5e-4}) {
                RandomStream rng = RandomStream.root(11);
                INDArray fusedW = rng.child("w").normal(Precision.FLOAT32, 0, 1, 7, 3, 3), opsW = fusedW.dup();
                INDArray fusedV = fusedW.ulike().assign(0), opsV = fusedV.dup();
                for (int step = 0; step < 3; step++) {
                    INDArray grad = rng.child("g" + step).normal(Precision.FLOAT32, 0, 1, 7, 3, 3);
                    assertThat(DirectSgd.covers(fusedW, grad, fusedV)).isTrue();
                    DirectSgd.step(fusedW, grad, fusedV, 0.1, 0.9, decay, nesterov);
                    Sgd.stepWithOps(opsW, grad, opsV, 0.1, 0.9, decay, nesterov);
                }
                double error = fusedW.sub(opsW).amaxNumber().doubleValue() + fusedV.sub(opsV).amaxNumber().doubleValue();
                assertThat(error).as("nesterov %s, decay %s", nesterov, decay).isLessThan(1e-6);
                assertThat(fusedW.sub(fusedW.ulike().assign(0)).amaxNumber().doubleValue()).isGreaterThan(0);
            }
        }
    }

    @Test
    void aParameterTheFusedUpdateCannotTakeIsUpdatedWithOps() {
        // a view of a larger buffer: ND4J ops update it in place
        INDArray both = Nd4j.createFromArray(new float[] {1, 1, 1, 1}).reshape(2, 2);
        Param row = new Param("row", ParamRole.WEIGHT, both.getRow(1));
        assertThat(DirectSgd.covers(row.value(), row.grad(), row.grad().ulike())).isFalse();
        new Sgd(List.of(row), new Sgd.Config(0.9, false, Map.of())).step(0.5);
        assertThat(row.value().toFloatVector()).containsExactly(1f, 1f); // no gradient yet
        row.grad().assign(2);
        new Sgd(List.of(row), new Sgd.Config(0.9, false, Map.of())).step(0.5);
        assertThat(both.data().asFloat()).containsExactly(1f, 1f, 0f, 0f);
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
