package org.convrelu.tensor.ops.cpu;

import org.convrelu.tensor.Precision;
import org.convrelu.tensor.RandomStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import static org.assertj.core.api.Assertions.assertThat;

/** The fused batch-normalisation passes against the textbook formulas in double loops. */
class DirectBatchNormTest {

    @ParameterizedTest
    @ValueSource(ints = {2, 3, 4})
    void forwardAndBackwardMatchTheFormulas(int rank) {
        long[] shape = switch (rank) {
            case 2 -> new long[] {37, 5};
            case 3 -> new long[] {6, 4, 21};
            default -> new long[] {5, 3, 7, 9};
        };
        RandomStream rng = RandomStream.root(11);
        INDArray x = rng.normal(Precision.FLOAT64, 3, 2, shape); // off-centre: the variance must not cancel
        INDArray dy = rng.normal(Precision.FLOAT64, 0, 1, shape);
        int n = (int) shape[0], c = (int) shape[1], p = (int) (x.length() / (n * c));
        double[] xs = x.dup('c').data().asDouble(), gs = dy.dup('c').data().asDouble();
        double[] gamma = {1.5, -0.5, 0.8, 1.1, 0.3};

        DirectBatchNorm.Moments moments = DirectBatchNorm.moments(x.castTo(DataType.FLOAT));
        float[] mean = new float[c], invStd = new float[c], scale = new float[c], shift = new float[c], gammaF = new float[c];
        double[] yRef = new double[xs.length], dxRef = new double[xs.length], dGammaRef = new double[c], dBetaRef = new double[c];
        for (int ch = 0; ch < c; ch++) {
            double m = 0, v = 0;
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < p; j++) {
                    m += xs[(i * c + ch) * p + j];
                }
            }
            m /= n * p;
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < p; j++) {
                    v += Math.pow(xs[(i * c + ch) * p + j] - m, 2);
                }
            }
            v /= n * p;
            assertThat(moments.mean()[ch]).isCloseTo(m, org.assertj.core.data.Offset.offset(1e-5));
            assertThat(moments.variance()[ch]).isCloseTo(v, org.assertj.core.data.Offset.offset(1e-4));
            double is = 1 / Math.sqrt(v + 1e-5), beta = 0.1 * ch;
            mean[ch] = (float) m;
            invStd[ch] = (float) is;
            gammaF[ch] = (float) gamma[ch];
            scale[ch] = (float) (gamma[ch] * is);
            shift[ch] = (float) (beta - m * gamma[ch] * is);
            double sumG = 0, sumGx = 0;
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < p; j++) {
                    int at = (i * c + ch) * p + j;
                    double xhat = (xs[at] - m) * is;
                    yRef[at] = gamma[ch] * xhat + beta;
                    sumG += gs[at];
                    sumGx += gs[at] * xhat;
                }
            }
            dGammaRef[ch] = sumGx;
            dBetaRef[ch] = sumG;
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < p; j++) {
                    int at = (i * c + ch) * p + j;
                    double xhat = (xs[at] - m) * is;
                    dxRef[at] = gamma[ch] * is * (gs[at] - sumG / (n * p) - xhat * sumGx / (n * p));
                }
            }
        }
        INDArray y = DirectBatchNorm.affine(x.castTo(DataType.FLOAT), scale, shift);
        assertClose(y, yRef);
        float[] betaF = new float[c];
        for (int ch = 0; ch < c; ch++) {
            betaF[ch] = 0.1f * ch;
        }
        DirectBatchNorm.Normalized normalized = DirectBatchNorm.normalize(x.castTo(DataType.FLOAT), gammaF, betaF, 1e-5);
        assertClose(normalized.y(), yRef);
        for (int ch = 0; ch < c; ch++) {
            assertThat(normalized.mean()[ch]).isEqualTo((float) moments.mean()[ch]); // one pass gives the two passes' values
            assertThat(normalized.variance()[ch]).isEqualTo((float) moments.variance()[ch]);
        }
        DirectBatchNorm.Grads g = DirectBatchNorm.backward(x.castTo(DataType.FLOAT), dy.castTo(DataType.FLOAT), mean, invStd, gammaF, true);
        assertClose(g.dx(), dxRef);
        for (int ch = 0; ch < c; ch++) {
            assertThat((double) g.dGamma()[ch]).isCloseTo(dGammaRef[ch], org.assertj.core.data.Offset.offset(1e-3));
            assertThat((double) g.dBeta()[ch]).isCloseTo(dBetaRef[ch], org.assertj.core.data.Offset.offset(1e-3));
        }
        DirectBatchNorm.Grads eval = DirectBatchNorm.backward(x.castTo(DataType.FLOAT), dy.castTo(DataType.FLOAT), mean, invStd, gammaF, false);
        double[] dxEval = new double[gs.length];
        for (int at = 0; at < gs.length; at++) {
            dxEval[at] = gs[at] * scale[(at / p) % c];
        }
        assertClose(eval.dx(), dxEval);
    }

    private static void assertClose(INDArray actual, double[] expected) {
        double[] a = actual.castTo(DataType.DOUBLE).dup('c').data().asDouble();
        double maxErr = 0, maxAbs = 1e-6;
        for (int i = 0; i < a.length; i++) {
            maxErr = Math.max(maxErr, Math.abs(a[i] - expected[i]));
            maxAbs = Math.max(maxAbs, Math.abs(expected[i]));
        }
        assertThat(maxErr / maxAbs).isLessThan(1e-5);
    }
}
