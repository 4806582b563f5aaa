package org.convrelu.nn.check;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.convrelu.nn.AbstractLayer;
import org.convrelu.nn.Mode;
import org.convrelu.nn.Param;
import org.convrelu.nn.ParamRole;
import org.convrelu.nn.layers.ConvReLU;
import org.convrelu.nn.layers.ConvSpec;
import org.convrelu.tensor.Precision;
import org.convrelu.tensor.RandomStream;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

class GradientCheckerTest {

    /** y = s · x² with a wrong backward for s (off by a factor 1.01 on one entry's path). */
    static final class SlightlyWrongSquare extends AbstractLayer {
        final Param scale;
        INDArray x;

        SlightlyWrongSquare(Precision precision) {
            super("square");
            scale = new Param("square.scale", ParamRole.WEIGHT,
                    RandomStream.root(1).normal(precision, 1, 0.1, 3));
        }

        @Override
        protected INDArray doForward(INDArray x, Mode mode) {
            this.x = x;
            return x.mul(x).mulRowVector(scale.value());
        }

        @Override
        protected INDArray doBackward(INDArray dy) {
            scale.accumulate(dy.mul(x).mul(x).sum(0).muli(1.01));
            return dy.mul(x).muli(2).mulRowVector(scale.value());
        }

        @Override
        public List<Param> params() {
            return List.of(scale);
        }
    }

    @Test
    void detectsAWrongGradientAndNamesIt() {
        INDArray x = RandomStream.root(2).normal(Precision.FLOAT64, 0, 1, 4, 3);
        GradientChecker.Result r = GradientChecker.check(new SlightlyWrongSquare(Precision.FLOAT64), x, Mode.TRAIN);
        assertThat(r.passed()).isFalse();
        assertThat(r.worst().tensor()).isEqualTo("square.scale");
        assertThat(r.worst().error()).isGreaterThan(1e-3);
        assertThat(r.toString()).contains("FAILED").contains("square.scale[");
    }

    @Test
    void refusesFloat32() {
        INDArray x32 = RandomStream.root(2).normal(Precision.FLOAT32, 0, 1, 4, 3);
        assertThatThrownBy(() -> GradientChecker.check(new SlightlyWrongSquare(Precision.FLOAT64), x32, Mode.TRAIN))
                .hasMessageContaining("float64");
        INDArray x64 = RandomStream.root(2).normal(Precision.FLOAT64, 0, 1, 1, 2, 5);
        ConvReLU float32Layer = new ConvReLU("cr", ConvSpec.conv1d(2, 2, 3, 1, 0), Precision.FLOAT32, RandomStream.root(1));
        assertThatThrownBy(() -> GradientChecker.check(float32Layer, x64, Mode.TRAIN))
                .hasMessageContaining("cr.weight").hasMessageContaining("float64");
    }

    @Test
    void checksEveryEntryOfSmallTensorsAndASampleOfLargeOnes() {
        INDArray x = RandomStream.root(2).normal(Precision.FLOAT64, 0, 1, 100, 3);
        GradientChecker.Options few = GradientChecker.Options.defaults().withMaxEntries(10);
        GradientChecker.Result r = GradientChecker.check(new SlightlyWrongSquare(Precision.FLOAT64), x, Mode.TRAIN,
                GradientChecker.Objective.randomProjection(1), few);
        assertThat(r.checked()).isEqualTo(10 + 3);
    }
}
