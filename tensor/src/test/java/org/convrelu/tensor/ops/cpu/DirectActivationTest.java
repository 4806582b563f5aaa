package org.convrelu.tensor.ops.cpu;

import org.assertj.core.data.Offset;
import org.convrelu.tensor.Precision;
import org.convrelu.tensor.RandomStream;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The leaky passes against float64 loops over every element, with zeros (the kink) and views among the inputs. */
class DirectActivationTest {

    @Test
    void forwardAndBackwardMatchTheLoops() {
        RandomStream rng = RandomStream.root(5);
        long[][] shapes = {{3, 4, 5, 6}, {2, 5, 33}, {7, 3}, {2, 3, 130, 140}}; // the last spans several chunks and splits planes
        for (long[] shape : shapes) {
            int channels = (int) shape[1];
            float[][] slopeSets = {{0.01f}, rng.child("s" + shape.length).normal(Precision.FLOAT32, 0.25, 0.1, channels).toFloatVector()};
            for (float[] slopes : slopeSets) {
                INDArray x = rng.child("x").normal(Precision.FLOAT32, 0, 1, shape);
                x.putScalar(0, 0f); // the kink: x = 0 takes the slope, as x ≤ 0 does
                x.putScalar(x.length() - 1, 0f);
                INDArray dy = rng.child("dy").normal(Precision.FLOAT32, 0, 1, shape);
                String what = java.util.Arrays.toString(shape) + " with " + slopes.length + " slope(s)";

                double[] xs = x.castTo(DataType.DOUBLE).data().asDouble(), gs = dy.castTo(DataType.DOUBLE).data().asDouble();
                long plane = x.length() / (shape[0] * channels);
                double[] y = new double[xs.length], dx = new double[xs.length], dSlopes = new double[slopes.length];
                for (int e = 0; e < xs.length; e++) {
                    int c = slopes.length == 1 ? 0 : (int) (e / plane % channels);
                    y[e] = xs[e] > 0 ? xs[e] : slopes[c] * xs[e];
                    dx[e] = xs[e] > 0 ? gs[e] : slopes[c] * gs[e];
                    dSlopes[c] += xs[e] > 0 ? 0 : gs[e] * xs[e];
                }

                assertThat(DirectActivation.forward(x, slopes).castTo(DataType.DOUBLE).data().asDouble())
                        .as("y of %s", what).containsExactly(y, Offset.offset(1e-6));
                DirectActivation.Grads g = DirectActivation.backward(x, dy, slopes, true);
                assertThat(g.dx().castTo(DataType.DOUBLE).data().asDouble()).as("dx of %s", what).containsExactly(dx, Offset.offset(1e-6));
                assertThat(g.dSlopes()).as("dslope of %s", what).containsExactly(dSlopes, Offset.offset(1e-6 * xs.length));
                assertThat(DirectActivation.backward(x, dy, slopes, false).dSlopes()).isNull();
            }
        }
    }

    @Test
    void viewsAreReadInTheirLogicalOrder() {
        INDArray x = RandomStream.root(6).normal(Precision.FLOAT32, 0, 1, 4, 3, 5).permute(0, 2, 1); // [4, 5, 3], not c order
        float[] slopes = {0.1f, 0.2f, 0.3f, 0.4f, 0.5f};
        INDArray y = DirectActivation.forward(x, slopes);
        for (int n = 0; n < 4; n++) {
            for (int c = 0; c < 5; c++) {
                for (int i = 0; i < 3; i++) {
                    float v = x.getFloat(n, c, i);
                    assertThat(y.getFloat(n, c, i)).isEqualTo(v > 0 ? v : slopes[c] * v);
                }
            }
        }
    }

    @Test
    void otherArraysAndSlopeCountsAreRefused() {
        assertThat(DirectActivation.covers(Nd4j.zeros(DataType.DOUBLE, 2, 3, 4))).isFalse();
        assertThat(DirectActivation.covers(Nd4j.zeros(DataType.FLOAT, 6))).isFalse();
        assertThat(DirectActivation.covers(Nd4j.zeros(DataType.FLOAT, 2, 3, 4))).isTrue();
        assertThatThrownBy(() -> DirectActivation.forward(Nd4j.zeros(DataType.FLOAT, 2, 3, 4), new float[] {1, 2}))
                .hasMessageContaining("2 slopes for 3 channels");
        assertThatThrownBy(() -> DirectActivation.forward(Nd4j.zeros(DataType.DOUBLE, 2, 3, 4), new float[] {1}))
                .hasMessageContaining("DOUBLE [2, 3, 4]");
        assertThatThrownBy(() -> DirectActivation.backward(Nd4j.zeros(DataType.FLOAT, 2, 3, 4), Nd4j.zeros(DataType.FLOAT, 2, 4, 3),
                new float[] {1}, false)).hasMessageContaining("[2, 4, 3]");
    }
}
