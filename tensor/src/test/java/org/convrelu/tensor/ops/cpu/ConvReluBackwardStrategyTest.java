package org.convrelu.tensor.ops.cpu;

import org.convrelu.tensor.ConvGeometry;
import org.convrelu.tensor.ops.cpu.ConvReluBackwardKernels.Backward;
import org.convrelu.tensor.ops.cpu.ConvReluBackwardKernels.InputGradient;
import org.convrelu.tensor.ops.cpu.ConvReluBackwardKernels.WeightGradient;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which backward strategy the fused kernel takes for the network shapes that matter; every one of
 * them is pinned to the float64 reference by {@link DirectConvReluTest}.
 */
class ConvReluBackwardStrategyTest {
    private static Backward strategy(long[] x, int d, int kernel, int padding, boolean dx, boolean perPosition) {
        int c = Math.toIntExact(x[1]);
        ConvGeometry g = ConvGeometry.of(x.length - 2, kernel, 1, padding);
        INDArray w = Nd4j.zeros(DataType.FLOAT, x.length == 4 ? new long[] {d, c, kernel, kernel} : new long[] {d, c, kernel});
        INDArray theta = Nd4j.zeros(DataType.FLOAT, x.length == 4 ? new long[] {c, kernel, kernel} : new long[] {c, kernel});
        if (perPosition && kernel > 1) {
            theta.putScalar(0, 0.5f); // one threshold differs from its channel's others: thresholds per kernel position
        }
        DirectConvRelu.Plan p = DirectConvRelu.Plan.of(x, w, theta, g);
        return Backward.of(p, dx, perPosition, theta.data().asFloat());
    }

    @Test
    void convReluRoutesEachEntryOfTheInputGradientByItsOwnThreshold() {
        // densenet_cifar's block-1 3×3 ConvReLU, 48 → 12: thresholds per (channel, kernel position)
        Backward b = strategy(new long[] {8, 48, 16, 16}, 12, 3, 1, true, true);
        assertThat(b.input()).isEqualTo(InputGradient.ROUTED);
        assertThat(b.thresholdFirst()).isFalse();
    }

    @Test
    void reluInFrontOfAConvSumsTheInputGradientAndThresholdsOnce() {
        Backward narrow = strategy(new long[] {8, 48, 16, 16}, 12, 3, 1, true, false); // ReLU → 3×3 48 → 12
        assertThat(narrow).isEqualTo(new Backward(InputGradient.FLIPPED, WeightGradient.CHANNEL_LAST, true));
        Backward pointwise = strategy(new long[] {8, 60, 16, 16}, 48, 1, 0, true, false); // ReLU → 1×1 60 → 48
        assertThat(pointwise.input()).isEqualTo(InputGradient.IN_PLACE);
        assertThat(pointwise.weight()).isEqualTo(WeightGradient.WIDE_GEMM); // 48 outputs: whole vectors on AVX2 and AVX-512
        Backward stem = strategy(new long[] {8, 3, 16, 16}, 24, 3, 1, false, false); // the first layer: no dx
        assertThat(stem.input()).isEqualTo(InputGradient.NONE);
        assertThat(stem.weight()).isNotEqualTo(WeightGradient.CHANNEL_LAST); // 3 channels do not fill a vector
    }
}
