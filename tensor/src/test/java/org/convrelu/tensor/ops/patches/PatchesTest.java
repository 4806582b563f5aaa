package org.convrelu.tensor.ops.patches;

import java.util.stream.Stream;
import org.convrelu.tensor.ConvGeometry;
import org.convrelu.tensor.PaddedInput;
import org.convrelu.tensor.Precision;
import org.convrelu.tensor.RandomStream;
import org.convrelu.tensor.ops.nd4j.ThresholdMax;
import org.convrelu.tensor.ops.reference.Reference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

public class PatchesTest {

    static Stream<Arguments> geometries() {
        return Stream.of(
                Arguments.of(new long[] {2, 3, 9}, ConvGeometry.of(1, 3, 1, 0)),
                Arguments.of(new long[] {2, 3, 9}, ConvGeometry.of(1, 7, 2, 3)),
                Arguments.of(new long[] {2, 3, 6, 5}, ConvGeometry.of(2, 3, 1, 1)),
                Arguments.of(new long[] {2, 2, 7, 6}, ConvGeometry.of(2, 3, 2, 1, 2)),
                Arguments.of(new long[] {3, 4, 5, 5}, ConvGeometry.of(2, 1, 1, 0)),
                Arguments.of(new long[] {2, 2, 7, 7}, new ConvGeometry(new int[] {3, 2}, new int[] {2, 1}, new int[] {1, 0}, new int[] {1, 1})),
                Arguments.of(new long[] {1, 2, 4, 5, 3}, ConvGeometry.of(3, 3, 1, 1)),
                Arguments.of(new long[] {2, 2, 5, 4, 4}, ConvGeometry.of(3, 2, 2, 0)));
    }

    /** y = W[D, C·K] · cols, laid out as [N, D, *out]. */
    static INDArray convViaPatches(INDArray cols, INDArray w, long[] xShape, ConvGeometry g) {
        long d = w.size(0);
        long n = xShape[0];
        long[] out = g.outputSize(g.spatialOf(xShape));
        long p = cols.size(1) / n;
        INDArray y = w.reshape(d, cols.size(0)).mmul(cols).reshape(d, n, p).permute(1, 0, 2).dup('c');
        long[] shape = new long[2 + out.length];
        shape[0] = n;
        shape[1] = d;
        System.arraycopy(out, 0, shape, 2, out.length);
        return y.reshape(shape);
    }

    public static long[] weightShape(long d, long c, ConvGeometry g) {
        long[] s = new long[2 + g.dims()];
        s[0] = d;
        s[1] = c;
        for (int i = 0; i < g.dims(); i++) {
            s[2 + i] = g.kernel(i);
        }
        return s;
    }

    @ParameterizedTest
    @MethodSource("geometries")
    void im2colThenGemmIsTheReferenceConvolution(long[] xShape, ConvGeometry g) {
        RandomStream rng = RandomStream.root(1);
        INDArray x = rng.normal(Precision.FLOAT64, 0, 1, xShape);
        INDArray w = rng.normal(Precision.FLOAT64, 0, 1, weightShape(4, xShape[1], g));
        INDArray y = convViaPatches(Patches.im2col(x, g), w, xShape, g);
        assertThat(y.equalsWithEps(Reference.conv(x, w, null, g), 1e-10)).isTrue();
    }

    @ParameterizedTest
    @MethodSource("geometries")
    void thresholdedPatchesGiveTheReferenceConvRelu(long[] xShape, ConvGeometry g) {
        for (PaddedInput padded : PaddedInput.values()) {
            for (Precision precision : Precision.values()) {
                RandomStream rng = RandomStream.root(2);
                INDArray x = rng.normal(Precision.FLOAT64, 0, 1, xShape);
                INDArray w = rng.normal(Precision.FLOAT64, 0, 1, weightShape(3, xShape[1], g));
                INDArray theta = rng.normal(Precision.FLOAT64, 0, 0.5, xShape[1] * g.kernelVolume());
                INDArray cols = Patches.im2colThresholded(x.castTo(precision.dataType()), g,
                        theta.castTo(precision.dataType()), padded);
                INDArray y = convViaPatches(cols, w.castTo(precision.dataType()), xShape, g).castTo(DataType.DOUBLE);
                double eps = precision == Precision.FLOAT64 ? 1e-10 : 1e-4;
                assertThat(y.equalsWithEps(Reference.convRelu(x, w, theta, g, padded), eps))
                        .as("%s %s", padded, precision).isTrue();
            }
        }
    }

    @ParameterizedTest
    @MethodSource("geometries")
    void col2imIsTheAdjointOfIm2col(long[] xShape, ConvGeometry g) {
        RandomStream rng = RandomStream.root(3);
        INDArray x = rng.normal(Precision.FLOAT64, 0, 1, xShape);
        INDArray cols = Patches.im2col(x, g);
        INDArray dcols = rng.normal(Precision.FLOAT64, 0, 1, cols.shape());
        INDArray dx = Patches.col2im(dcols, g, xShape);
        // <im2col(x), dcols> = <x, col2im(dcols)>
        assertThat(cols.mul(dcols).sumNumber().doubleValue())
                .isCloseTo(x.mul(dx).sumNumber().doubleValue(), org.assertj.core.data.Offset.offset(1e-9));
    }

    @ParameterizedTest
    @MethodSource("geometries")
    void fusedThresholdBackwardMatchesPlainNd4jOps(long[] xShape, ConvGeometry g) {
        RandomStream rng = RandomStream.root(4);
        INDArray x = rng.normal(Precision.FLOAT64, 0, 1, xShape);
        INDArray theta = rng.normal(Precision.FLOAT64, 0, 0.5, xShape[1] * g.kernelVolume());
        // Portable path: plain patches, threshold-max and its masks in ND4J ops, plain col2im.
        // Padding is thresholded like any input there (padded zeros enter max(·, θ)).
        INDArray raw = Patches.im2col(x, g);
        INDArray thresholded = ThresholdMax.forward(raw, theta);
        INDArray fused = Patches.im2colThresholded(x, g, theta, PaddedInput.THRESHOLDED);
        assertThat(fused.equalsWithEps(thresholded, 0)).isTrue();

        INDArray dOut = rng.normal(Precision.FLOAT64, 0, 1, raw.shape());
        Patches.ThresholdedGrads portable = ThresholdMax.backward(dOut, ThresholdMax.passMask(raw, theta));
        INDArray dxPortable = Patches.col2im(portable.dx(), g, xShape);
        Patches.ThresholdedGrads grads = Patches.col2imThresholded(dOut, fused, theta, g, xShape, PaddedInput.THRESHOLDED);
        assertThat(grads.dx().equalsWithEps(dxPortable, 1e-12)).isTrue();
        assertThat(grads.dTheta().equalsWithEps(portable.dTheta(), 1e-12)).isTrue();
    }

    @Test
    void thePapersWorkedExample() {
        // x = [2, 3, 4], W = [1, -1], θ = [0, 3.5], 1D, no padding → y = [-1.5, -1].
        INDArray x = Nd4j.createFromArray(2.0, 3.0, 4.0).reshape(1, 1, 3);
        INDArray w = Nd4j.createFromArray(1.0, -1.0).reshape(1, 1, 2);
        INDArray theta = Nd4j.createFromArray(0.0, 3.5);
        ConvGeometry g = ConvGeometry.of(1, 2, 1, 0);
        INDArray y = convViaPatches(Patches.im2colThresholded(x, g, theta, PaddedInput.THRESHOLDED), w, x.shape(), g);
        assertThat(y.reshape(2).toDoubleVector()).containsExactly(-1.5, -1.0);
        assertThat(Reference.convRelu(x, w, theta, g, PaddedInput.THRESHOLDED).reshape(2).toDoubleVector())
                .containsExactly(-1.5, -1.0);
    }

    @Test
    void tiesAndPaddingSendGradientToTheThreshold() {
        // One channel, 1D, kernel 3, padding 1, θ = [0.5, 0.5, 0.5]: x[1] = 0.5 sits exactly at θ.
        INDArray x = Nd4j.createFromArray(1.0, 0.5, -2.0).reshape(1, 1, 3);
        INDArray theta = Nd4j.createFromArray(0.5, 0.5, 0.5);
        ConvGeometry g = ConvGeometry.of(1, 3, 1, 1);
        INDArray cols = Patches.im2colThresholded(x, g, theta, PaddedInput.THRESHOLDED);
        INDArray ones = Nd4j.onesLike(cols);
        Patches.ThresholdedGrads grads = Patches.col2imThresholded(ones, cols, theta, g, x.shape(), PaddedInput.THRESHOLDED);
        // Windows: [pad, x0, x1], [x0, x1, x2], [x1, x2, pad]. Only x0 = 1 > θ passes, read twice.
        assertThat(grads.dx().reshape(3).toDoubleVector()).containsExactly(2.0, 0.0, 0.0);
        // The other 7 of the 9 window entries (x1 at θ exactly, x2 below, both pads as max(0, θ) = θ) go to θ.
        assertThat(grads.dTheta().sumNumber().doubleValue()).isEqualTo(7.0);

        Patches.ThresholdedGrads zeroPad = Patches.col2imThresholded(ones,
                Patches.im2colThresholded(x, g, theta, PaddedInput.ZERO), theta, g, x.shape(), PaddedInput.ZERO);
        assertThat(zeroPad.dTheta().sumNumber().doubleValue()).isEqualTo(5.0); // the two padded reads give nothing
    }

    @Test
    void rejectsWrongThresholdCountAndDtypes() {
        INDArray x = Nd4j.zeros(DataType.FLOAT, 1, 2, 4, 4);
        ConvGeometry g = ConvGeometry.of(2, 3, 1, 1);
        assertThatThrownBy(() -> Patches.im2colThresholded(x, g, Nd4j.zeros(DataType.FLOAT, 9), PaddedInput.THRESHOLDED))
                .hasMessageContaining("expected 18 thresholds");
        assertThatThrownBy(() -> Patches.im2colThresholded(x, g, Nd4j.zeros(DataType.DOUBLE, 18), PaddedInput.THRESHOLDED))
                .hasMessageContaining("dtype");
        assertThatThrownBy(() -> Patches.im2col(Nd4j.zeros(DataType.FLOAT, 2, 4, 4), g))
                .hasMessageContaining("expected rank 4");
    }
}
