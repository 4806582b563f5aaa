package org.convrelu.tensor.ops.cpu;

import org.convrelu.tensor.ops.patches.PatchesTest;
import java.util.stream.Stream;
import org.convrelu.tensor.ConvGeometry;
import org.convrelu.tensor.PaddedInput;
import org.convrelu.tensor.Precision;
import org.convrelu.tensor.RandomStream;
import org.convrelu.tensor.ops.reference.Reference;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The fused direct ConvReLU kernel against the float64 reference, forward and backward. */
class DirectConvReluTest {

    @BeforeAll
    static void onTheCpuBackend() {
        assumeTrue(Nd4j.getEnvironment().isCPU(), "the fused kernels run on ND4J's CPU backend");
    }

    static Stream<Arguments> shapes() {
        return Stream.of(
                // [N, C, *S], D, geometry: tails of every blocking (C·K % 4, D % 4, D % 3, widths % 16), several tiles
                Arguments.of(new long[] {2, 3, 9}, 5, ConvGeometry.of(1, 3, 1, 0)),
                Arguments.of(new long[] {3, 7, 40}, 13, ConvGeometry.of(1, 7, 1, 0)),
                Arguments.of(new long[] {2, 5, 21}, 4, ConvGeometry.of(1, 5, 1, 2)),
                Arguments.of(new long[] {2, 4, 6, 5}, 3, ConvGeometry.of(2, 3, 1, 1)),
                Arguments.of(new long[] {3, 6, 8, 8}, 12, ConvGeometry.of(2, 3, 1, 1)),
                Arguments.of(new long[] {2, 5, 17, 19}, 7, ConvGeometry.of(2, 1, 1, 0)),
                Arguments.of(new long[] {1, 3, 9, 11}, 2, ConvGeometry.of(2, 5, 1, 2)),
                Arguments.of(new long[] {2, 2, 9, 9}, 6, ConvGeometry.of(2, 3, 1, 2, 2)),
                Arguments.of(new long[] {1, 2, 7, 6}, 1, new ConvGeometry(new int[] {3, 2}, new int[] {1, 1}, new int[] {1, 0}, new int[] {1, 1})),
                Arguments.of(new long[] {2, 300, 6, 6}, 5, ConvGeometry.of(2, 3, 1, 1)),
                Arguments.of(new long[] {2, 48, 8, 8}, 12, ConvGeometry.of(2, 3, 1, 1)), // a DenseNet-BC 3×3 of growth 12, channel-last dW
                Arguments.of(new long[] {2, 20, 5, 7}, 9, ConvGeometry.of(2, 3, 1, 1)), // channel-last dW with channels short of whole vectors
                // narrow outputs in blocks of 6 and of 4 (8, 10, 14), a GEMM ending in a single row (21)
                Arguments.of(new long[] {2, 8, 6, 6}, 8, ConvGeometry.of(2, 3, 1, 1)),
                Arguments.of(new long[] {3, 10, 5, 5}, 10, ConvGeometry.of(2, 3, 1, 1)),
                Arguments.of(new long[] {2, 9, 6, 6}, 14, ConvGeometry.of(2, 3, 1, 1)),
                Arguments.of(new long[] {2, 21, 6, 6}, 21, ConvGeometry.of(2, 3, 1, 1)),
                // small planes: samples grouped on one grid, the last group of a worker short
                Arguments.of(new long[] {13, 5, 4, 4}, 12, ConvGeometry.of(2, 3, 1, 1)),
                Arguments.of(new long[] {9, 3, 7}, 5, ConvGeometry.of(1, 3, 1, 1)),
                Arguments.of(new long[] {11, 4, 3, 3}, 16, ConvGeometry.of(2, 1, 1, 0)),
                // 1×1 without padding: each sample's plane copied as one run, on grids of one and of several samples
                Arguments.of(new long[] {7, 6, 10}, 5, ConvGeometry.of(1, 1, 1, 0)),
                Arguments.of(new long[] {13, 3, 5, 5}, 48, ConvGeometry.of(2, 1, 1, 0)),
                Arguments.of(new long[] {3, 4, 20, 20}, 9, ConvGeometry.of(2, 1, 1, 0)),
                // padding wider than the window reaches: the output rows are longer than the input's padded rows
                Arguments.of(new long[] {5, 2, 3, 4}, 3, ConvGeometry.of(2, 1, 1, 1)),
                // D a multiple of the vector length: the weight gradient as a broadcast GEMM over dYᵀ
                Arguments.of(new long[] {3, 5, 30}, 16, ConvGeometry.of(1, 3, 1, 0)),
                Arguments.of(new long[] {2, 9, 50}, 64, ConvGeometry.of(1, 7, 1, 0)),
                Arguments.of(new long[] {2, 6, 7, 9}, 80, ConvGeometry.of(2, 3, 1, 1)));
    }

    @ParameterizedTest
    @MethodSource("shapes")
    void forwardAndBackwardMatchTheReference(long[] xShape, int d, ConvGeometry g) {
        RandomStream rng = RandomStream.root(7);
        INDArray x = rng.normal(Precision.FLOAT64, 0, 1, xShape);
        INDArray w = rng.normal(Precision.FLOAT64, 0, 1, PatchesTest.weightShape(d, xShape[1], g));
        INDArray theta = rng.normal(Precision.FLOAT64, 0, 0.5, xShape[1] * g.kernelVolume());
        INDArray bias = rng.normal(Precision.FLOAT64, 0, 1, d);
        INDArray y = DirectConvRelu.forward(x.castTo(DataType.FLOAT), w.castTo(DataType.FLOAT), theta.castTo(DataType.FLOAT),
                bias.castTo(DataType.FLOAT), g);
        INDArray yRef = Reference.convRelu(x, w, theta, g, PaddedInput.THRESHOLDED);
        long[] laid = new long[yRef.rank()];
        java.util.Arrays.fill(laid, 1);
        laid[1] = d;
        assertClose(y, yRef.add(bias.reshape(laid).broadcast(yRef.shape())), "y");
        INDArray yNoBias = DirectConvRelu.forward(x.castTo(DataType.FLOAT), w.castTo(DataType.FLOAT), theta.castTo(DataType.FLOAT), null, g);
        assertClose(yNoBias, yRef, "y without bias");

        INDArray dy = rng.normal(Precision.FLOAT64, 0, 1, yRef.shape());
        DirectConvRelu.Grads grads = DirectConvRelu.backward(x.castTo(DataType.FLOAT), w.castTo(DataType.FLOAT),
                theta.castTo(DataType.FLOAT), dy.castTo(DataType.FLOAT), g);
        Reference.ConvReluGrads ref = Reference.convReluBackward(x, w, theta, dy, g, PaddedInput.THRESHOLDED);
        assertClose(grads.dx(), ref.dx(), "dx");
        assertClose(grads.dW(), ref.dW(), "dW");
        assertClose(grads.dTheta(), ref.dTheta(), "dθ");
        int[] allButChannels = yRef.rank() == 3 ? new int[] {0, 2} : new int[] {0, 2, 3};
        assertClose(grads.dBias(), dy.sum(allButChannels), "db");

        DirectConvRelu.Grads weightsOnly = DirectConvRelu.backward(x.castTo(DataType.FLOAT), w.castTo(DataType.FLOAT),
                theta.castTo(DataType.FLOAT), dy.castTo(DataType.FLOAT), g, DirectConvRelu.Gradients.WEIGHTS);
        assertThat(weightsOnly.dx()).isNull();
        assertThat(weightsOnly.dTheta()).isNull();
        assertClose(weightsOnly.dW(), ref.dW(), "dW without dx");
        assertClose(weightsOnly.dBias(), dy.sum(allButChannels), "db without dx");

        // One threshold per input channel (a ReLU or nothing in front of the convolution): dx summed, then masked once.
        INDArray perChannel = Nd4j.createFromArray(rng.normal(Precision.FLOAT64, 0, 0.5, xShape[1]).toDoubleVector())
                .reshape(xShape[1], 1).repeat(1, g.kernelVolume()).reshape(xShape[1] * g.kernelVolume());
        DirectConvRelu.Grads inputOnly = DirectConvRelu.backward(x.castTo(DataType.FLOAT), w.castTo(DataType.FLOAT),
                perChannel.castTo(DataType.FLOAT), dy.castTo(DataType.FLOAT), g, DirectConvRelu.Gradients.INPUT);
        Reference.ConvReluGrads perChannelRef = Reference.convReluBackward(x, w, perChannel, dy, g, PaddedInput.THRESHOLDED);
        // ... and the forward thresholds the padded input once, its zero frame included, before its GEMM
        assertClose(DirectConvRelu.forward(x.castTo(DataType.FLOAT), w.castTo(DataType.FLOAT), perChannel.castTo(DataType.FLOAT), null, g),
                Reference.convRelu(x, w, perChannel, g, PaddedInput.THRESHOLDED), "y, thresholds per channel");
        assertThat(inputOnly.dTheta()).isNull();
        assertClose(inputOnly.dx(), perChannelRef.dx(), "dx, thresholds per channel");
        assertClose(inputOnly.dW(), perChannelRef.dW(), "dW, thresholds per channel");
        assertClose(inputOnly.dBias(), dy.sum(allButChannels), "db, thresholds per channel");
        assertClose(DirectConvRelu.backward(x.castTo(DataType.FLOAT), w.castTo(DataType.FLOAT), perChannel.castTo(DataType.FLOAT),
                dy.castTo(DataType.FLOAT), g, DirectConvRelu.Gradients.WEIGHTS).dW(), perChannelRef.dW(), "dW alone, thresholds per channel");
    }

    @Test
    void inputsAtTheirChannelsThresholdStopTheSummedGradient() {
        // θ = 0 (a ReLU in front) on small integers: many inputs are exactly 0; θ = −∞ (no activation) passes everything.
        ConvGeometry g = ConvGeometry.of(2, 3, 1, 1);
        RandomStream rng = RandomStream.root(5);
        INDArray x = Transforms.floor(rng.uniform(Precision.FLOAT64, -2, 3, 2, 3, 6, 5));
        INDArray w = rng.normal(Precision.FLOAT64, 0, 1, 4, 3, 3, 3);
        INDArray dy = rng.normal(Precision.FLOAT64, 0, 1, 2, 4, 6, 5);
        for (double threshold : new double[] {0, Double.NEGATIVE_INFINITY}) {
            INDArray theta = Nd4j.valueArrayOf(new long[] {27}, threshold, DataType.DOUBLE);
            DirectConvRelu.Grads grads = DirectConvRelu.backward(x.castTo(DataType.FLOAT), w.castTo(DataType.FLOAT),
                    theta.castTo(DataType.FLOAT), dy.castTo(DataType.FLOAT), g, DirectConvRelu.Gradients.INPUT);
            Reference.ConvReluGrads ref = Reference.convReluBackward(x, w, theta, dy, g, PaddedInput.THRESHOLDED);
            assertClose(grads.dx(), ref.dx(), "dx at θ = " + threshold);
            assertClose(grads.dW(), ref.dW(), "dW at θ = " + threshold);
        }
    }

    @Test
    void anInputGradientWithoutThresholdGradientsRejectsThresholdsThatDifferWithinAChannel() {
        INDArray x = Nd4j.zeros(DataType.FLOAT, 1, 2, 5, 5);
        INDArray theta = Nd4j.zeros(DataType.FLOAT, 18).putScalar(13, 0.5f);
        assertThatThrownBy(() -> DirectConvRelu.backward(x, Nd4j.zeros(DataType.FLOAT, 3, 2, 3, 3), theta,
                Nd4j.zeros(DataType.FLOAT, 1, 3, 5, 5), ConvGeometry.of(2, 3, 1, 1), DirectConvRelu.Gradients.INPUT))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("channel 1 has 0.0 at kernel position 0 and 0.5 at 4");
    }

    @Test
    void inputsExactlyAtTheThresholdSendTheirGradientToTheThreshold() {
        // Small integers: many inputs equal their threshold exactly, and negative thresholds let padding reach x's side.
        ConvGeometry g = ConvGeometry.of(2, 3, 1, 1);
        RandomStream rng = RandomStream.root(3);
        INDArray x = Transforms.floor(rng.uniform(Precision.FLOAT64, -2, 3, 2, 3, 5, 5));
        INDArray theta = Transforms.floor(rng.uniform(Precision.FLOAT64, -2, 3, 3 * 9));
        INDArray w = rng.normal(Precision.FLOAT64, 0, 1, 4, 3, 3, 3);
        INDArray dy = rng.normal(Precision.FLOAT64, 0, 1, 2, 4, 5, 5);
        DirectConvRelu.Grads grads = DirectConvRelu.backward(x.castTo(DataType.FLOAT), w.castTo(DataType.FLOAT),
                theta.castTo(DataType.FLOAT), dy.castTo(DataType.FLOAT), g);
        Reference.ConvReluGrads ref = Reference.convReluBackward(x, w, theta, dy, g, PaddedInput.THRESHOLDED);
        assertClose(grads.dx(), ref.dx(), "dx");
        assertClose(grads.dTheta(), ref.dTheta(), "dθ");
    }

    @Test
    void theTestJvmRunsTheKernel() {
        // Surefire starts the JVM with --add-modules jdk.incubator.vector; without it the fast path would go untested.
        assertThat(CpuKernels.available()).as(CpuKernels.describe()).isTrue();
    }

    @Test
    void transposesByEightsWithATailAndLongerRows() {
        int rows = 5, columns = 19, ldTo = 7; // two blocks of eight columns and three more; rows of `to` two longer
        float[] from = new float[rows * columns];
        for (int i = 0; i < from.length; i++) {
            from[i] = i + 1;
        }
        float[] to = new float[columns * ldTo];
        java.util.Arrays.fill(to, -1f);
        ConvReluLayout.transposeByEights(from, rows, columns, to, ldTo);
        for (int j = 0; j < columns; j++) {
            for (int i = 0; i < ldTo; i++) {
                assertThat(to[j * ldTo + i]).as("to[%d, %d]", j, i).isEqualTo(i < rows ? from[i * columns + j] : -1f);
            }
        }
    }

    @Test
    void rejectsThresholdsOfTheWrongCount() {
        INDArray x = Nd4j.zeros(DataType.FLOAT, 1, 2, 5, 5);
        assertThatThrownBy(() -> DirectConvRelu.forward(x, Nd4j.zeros(DataType.FLOAT, 3, 2, 3, 3), Nd4j.zeros(DataType.FLOAT, 9), null,
                ConvGeometry.of(2, 3, 1, 1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("expected 18 thresholds");
    }

    /** Float32 against float64: the largest error within 1e-4 of the reference's largest magnitude. */
    private static void assertClose(INDArray actual, INDArray expected, String what) {
        assertThat(actual.shape()).as(what + " shape").isEqualTo(expected.shape());
        double scale = Math.max(1e-6, expected.amaxNumber().doubleValue());
        double error = actual.castTo(DataType.DOUBLE).sub(expected).amaxNumber().doubleValue();
        assertThat(error / scale).as("%s: max error %g against max magnitude %g", what, error, scale).isLessThan(1e-4);
    }
}
