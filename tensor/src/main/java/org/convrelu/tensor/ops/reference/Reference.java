package org.convrelu.tensor.ops.reference;

import java.util.Arrays;
import org.convrelu.tensor.ConvGeometry;
import org.convrelu.tensor.PaddedInput;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Slow, obvious float64 implementations of the suite's core operations, written as nested loops
 * straight from their definitions: the spec that pins every other implementation (tests run
 * them side by side; {@code -Dconvrelu.backend=reference} trains with them).
 *
 * <p>1D and 2D inputs are handled as 3D with leading spatial extents of 1; results are float64.
 */
public final class Reference {
    private Reference() {}

    /** {@code y[n,d,o] = b[d] + Σ_{c,k} w[d,c,k] · x[n,c,o·s − p + k·dil]} (zero padding). */
    public static INDArray conv(INDArray x, INDArray w, INDArray bias, ConvGeometry g) {
        return convolve(x, w, bias, null, PaddedInput.ZERO, g);
    }

    /**
     * ConvReLU, eq. 8 of Gao, Cai, Ji 2020: {@code y[n,d,o] = Σ_{c,k} w[d,c,k] · max(x[n,c,o+k], θ[c,k])},
     * with padded inputs as {@code padded} says.
     */
    public static INDArray convRelu(INDArray x, INDArray w, INDArray theta, ConvGeometry g, PaddedInput padded) {
        return convolve(x, w, null, theta, padded, g);
    }

    /** Gradients of {@link #convRelu}: {@code dx}, {@code dW} and {@code dθ}. */
    public record ConvReluGrads(INDArray dx, INDArray dW, INDArray dTheta) {}

    /**
     * Backward of eq. 8 entry by entry, per eq. 5-6: each window entry {@code v = x} (or the padded
     * zero) with {@code W[d,c,k]·dy[n,d,o]} flowing to {@code x} where {@code v > θ[c,k]} and to
     * {@code θ[c,k]} otherwise (ties to θ). A padded entry reaches θ only when padding is
     * {@link PaddedInput#THRESHOLDED} and {@code 0 ≤ θ}.
     */
    public static ConvReluGrads convReluBackward(INDArray x, INDArray w, INDArray theta, INDArray dy, ConvGeometry g,
            PaddedInput padded) {
        Window win = new Window(x.shape(), g);
        int D = (int) w.size(0);
        double[] xv = doubles(x), wv = doubles(w), t = doubles(theta), dyv = doubles(dy);
        double[] dx = new double[xv.length], dW = new double[wv.length], dT = new double[t.length];
        for (int n = 0; n < win.N; n++) {
            for (int d = 0; d < D; d++) {
                for (int o = 0; o < win.P; o++) {
                    double gy = dyv[(n * D + d) * win.P + o];
                    for (int c = 0; c < win.C; c++) {
                        for (int k = 0; k < win.K; k++) {
                            int r = c * win.K + k;
                            int at = win.inputOffset(o, k);
                            double weight = wv[(d * win.C + c) * win.K + k];
                            if (at < 0) {
                                boolean thresholded = padded == PaddedInput.THRESHOLDED;
                                double v = thresholded ? Math.max(0, t[r]) : 0;
                                dW[(d * win.C + c) * win.K + k] += v * gy;
                                if (thresholded && 0 <= t[r]) {
                                    dT[r] += weight * gy;
                                }
                                continue;
                            }
                            int xi = (n * win.C + c) * win.plane + at;
                            double v = Math.max(xv[xi], t[r]);
                            dW[(d * win.C + c) * win.K + k] += v * gy;
                            if (xv[xi] > t[r]) {
                                dx[xi] += weight * gy;
                            } else {
                                dT[r] += weight * gy;
                            }
                        }
                    }
                }
            }
        }
        return new ConvReluGrads(Nd4j.create(dx, x.shape(), 'c'), Nd4j.create(dW, w.shape(), 'c'),
                Nd4j.create(dT, theta.shape(), 'c'));
    }

    /** Gradients of {@link #conv}: {@code dx}, {@code dW} (the bias gradient is {@code Σ dy} per channel). */
    public static ConvReluGrads convBackward(INDArray x, INDArray w, INDArray dy, ConvGeometry g) {
        // A threshold of −∞ passes every input: eq. 8 then is the plain convolution, and every gradient flows to x.
        INDArray passAll = Nd4j.valueArrayOf(new long[] {x.size(1) * g.kernelVolume()}, Double.NEGATIVE_INFINITY, DataType.DOUBLE);
        ConvReluGrads grads = convReluBackward(x, w, passAll, dy, g, PaddedInput.ZERO);
        return new ConvReluGrads(grads.dx(), grads.dW(), null);
    }

    /** Per-channel mean and biased variance of {@code x [N, C, *S]}. */
    public record Moments(INDArray mean, INDArray variance) {}

    public static Moments moments(INDArray x) {
        Channelled v = new Channelled(x);
        double[] mean = new double[v.c], var = new double[v.c];
        for (int c = 0; c < v.c; c++) {
            double sum = 0;
            for (int n = 0; n < v.n; n++) {
                for (int p = 0; p < v.p; p++) {
                    sum += v.at(n, c, p);
                }
            }
            mean[c] = sum / v.count();
            double squares = 0;
            for (int n = 0; n < v.n; n++) {
                for (int p = 0; p < v.p; p++) {
                    squares += (v.at(n, c, p) - mean[c]) * (v.at(n, c, p) - mean[c]);
                }
            }
            var[c] = squares / v.count();
        }
        return new Moments(Nd4j.createFromArray(mean), Nd4j.createFromArray(var));
    }

    /** {@code y = γ[c]·(x − mean[c])/√(var[c] + ε) + β[c]}. */
    public static INDArray batchNorm(INDArray x, INDArray mean, INDArray variance, INDArray gamma, INDArray beta, double eps) {
        Channelled v = new Channelled(x);
        double[] mu = doubles(mean), var = doubles(variance), gm = doubles(gamma), bt = doubles(beta);
        double[] y = new double[v.values.length];
        for (int n = 0; n < v.n; n++) {
            for (int c = 0; c < v.c; c++) {
                for (int p = 0; p < v.p; p++) {
                    y[v.index(n, c, p)] = gm[c] * (v.at(n, c, p) - mu[c]) / Math.sqrt(var[c] + eps) + bt[c];
                }
            }
        }
        return Nd4j.create(y, x.shape(), 'c');
    }

    /** Gradients of {@link #batchNorm}: {@code dx}, {@code dγ}, {@code dβ}. */
    public record BatchNormGrads(INDArray dx, INDArray dGamma, INDArray dBeta) {}

    /**
     * Backward of {@link #batchNorm}. With {@code batchStatistics} the mean and variance were this
     * batch's, so they depend on x: {@code dx = γ/σ · (dy − mean(dy) − x̂ · mean(dy · x̂))}, means per
     * channel; otherwise they were constants and {@code dx = γ/σ · dy}.
     */
    public static BatchNormGrads batchNormBackward(INDArray x, INDArray dy, INDArray mean, INDArray variance, INDArray gamma,
            double eps, boolean batchStatistics) {
        Channelled v = new Channelled(x);
        Channelled g = new Channelled(dy);
        double[] mu = doubles(mean), var = doubles(variance), gm = doubles(gamma);
        double[] dx = new double[v.values.length], dGamma = new double[v.c], dBeta = new double[v.c];
        for (int c = 0; c < v.c; c++) {
            double sigma = Math.sqrt(var[c] + eps);
            for (int n = 0; n < v.n; n++) {
                for (int p = 0; p < v.p; p++) {
                    dBeta[c] += g.at(n, c, p);
                    dGamma[c] += g.at(n, c, p) * (v.at(n, c, p) - mu[c]) / sigma;
                }
            }
            for (int n = 0; n < v.n; n++) {
                for (int p = 0; p < v.p; p++) {
                    double xHat = (v.at(n, c, p) - mu[c]) / sigma;
                    double centred = batchStatistics ? g.at(n, c, p) - dBeta[c] / v.count() - xHat * dGamma[c] / v.count()
                            : g.at(n, c, p);
                    dx[v.index(n, c, p)] = gm[c] / sigma * centred;
                }
            }
        }
        return new BatchNormGrads(Nd4j.create(dx, x.shape(), 'c'), Nd4j.createFromArray(dGamma), Nd4j.createFromArray(dBeta));
    }

    /** {@code [N, C, *S]} read as {@code [n, c, p]} in double. */
    private static final class Channelled {
        final int n, c, p;
        final double[] values;

        Channelled(INDArray a) {
            n = (int) a.size(0);
            c = (int) a.size(1);
            p = (int) (a.length() / ((long) n * c));
            values = doubles(a);
        }

        int index(int sample, int channel, int position) {
            return (sample * c + channel) * p + position;
        }

        double at(int sample, int channel, int position) {
            return values[index(sample, channel, position)];
        }

        int count() {
            return n * p;
        }
    }

    /** Max over each window; padded positions never win. */
    public static INDArray maxPool(INDArray x, ConvGeometry g) {
        return pool(x, g, true);
    }

    /** Mean over each window, dividing by the full kernel volume (padded zeros count). */
    public static INDArray avgPool(INDArray x, ConvGeometry g) {
        return pool(x, g, false);
    }

    /** {@code c[i,j] = Σ_k a[i,k] · b[k,j]}. */
    public static INDArray matmul(INDArray a, INDArray b) {
        if (a.rank() != 2 || b.rank() != 2 || a.size(1) != b.size(0)) {
            throw new IllegalArgumentException("cannot multiply " + Arrays.toString(a.shape()) + " by " + Arrays.toString(b.shape()));
        }
        int m = (int) a.size(0), k = (int) a.size(1), n = (int) b.size(1);
        double[] av = doubles(a), bv = doubles(b), c = new double[m * n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int t = 0; t < k; t++) {
                    s += av[i * k + t] * bv[t * n + j];
                }
                c[i * n + j] = s;
            }
        }
        return Nd4j.create(c, new long[] {m, n}, 'c');
    }

    private static INDArray convolve(INDArray x, INDArray w, INDArray bias, INDArray theta, PaddedInput padded, ConvGeometry g) {
        Window win = new Window(x.shape(), g);
        int D = (int) w.size(0);
        if (w.size(1) != win.C || w.length() != (long) D * win.C * win.K) {
            throw new IllegalArgumentException("weights " + Arrays.toString(w.shape()) + " do not fit input "
                    + Arrays.toString(x.shape()) + " and " + g);
        }
        double[] xv = doubles(x), wv = doubles(w);
        double[] b = bias == null ? null : doubles(bias);
        double[] t = theta == null ? null : doubles(theta);
        double[] y = new double[win.N * D * win.P];
        for (int n = 0; n < win.N; n++) {
            for (int d = 0; d < D; d++) {
                for (int o = 0; o < win.P; o++) {
                    double s = b == null ? 0 : b[d];
                    for (int c = 0; c < win.C; c++) {
                        for (int k = 0; k < win.K; k++) {
                            int at = win.inputOffset(o, k);
                            double v;
                            if (at < 0) {
                                v = t != null && padded == PaddedInput.THRESHOLDED ? Math.max(0, t[c * win.K + k]) : 0;
                            } else {
                                v = xv[(n * win.C + c) * win.plane + at];
                                if (t != null) {
                                    v = Math.max(v, t[c * win.K + k]);
                                }
                            }
                            s += wv[(d * win.C + c) * win.K + k] * v;
                        }
                    }
                    y[(n * D + d) * win.P + o] = s;
                }
            }
        }
        return Nd4j.create(y, win.outShape(D), 'c');
    }

    private static INDArray pool(INDArray x, ConvGeometry g, boolean max) {
        Window win = new Window(x.shape(), g);
        double[] xv = doubles(x);
        double[] y = new double[win.N * win.C * win.P];
        for (int n = 0; n < win.N; n++) {
            for (int c = 0; c < win.C; c++) {
                for (int o = 0; o < win.P; o++) {
                    double acc = max ? Double.NEGATIVE_INFINITY : 0;
                    for (int k = 0; k < win.K; k++) {
                        int at = win.inputOffset(o, k);
                        if (at >= 0) {
                            double v = xv[(n * win.C + c) * win.plane + at];
                            acc = max ? Math.max(acc, v) : acc + v;
                        }
                    }
                    y[(n * win.C + c) * win.P + o] = max ? acc : acc / win.K;
                }
            }
        }
        return Nd4j.create(y, win.outShape(win.C), 'c');
    }

    private static double[] doubles(INDArray a) {
        return a.castTo(DataType.DOUBLE).dup('c').data().asDouble();
    }

    /** Index arithmetic of a sliding window, lifted to 3 spatial axes. */
    private static final class Window {
        final int N, C, K, P, plane;
        final long[] xShape, outSpatial;
        final int[] in = {1, 1, 1}, out = {1, 1, 1}, k = {1, 1, 1}, s = {1, 1, 1}, pad = {0, 0, 0}, dil = {1, 1, 1};

        Window(long[] xShape, ConvGeometry g) {
            this.xShape = xShape;
            long[] spatial = g.spatialOf(xShape);
            outSpatial = g.outputSize(spatial);
            int shift = 3 - g.dims();
            for (int a = 0; a < g.dims(); a++) {
                in[a + shift] = (int) spatial[a];
                out[a + shift] = (int) outSpatial[a];
                k[a + shift] = g.kernel(a);
                s[a + shift] = g.stride(a);
                pad[a + shift] = g.padding(a);
                dil[a + shift] = g.dilation(a);
            }
            N = (int) xShape[0];
            C = (int) xShape[1];
            K = k[0] * k[1] * k[2];
            P = out[0] * out[1] * out[2];
            plane = in[0] * in[1] * in[2];
        }

        /** Offset within an input plane read by kernel position {@code kk} at output position {@code o}; -1 on padding. */
        int inputOffset(int o, int kk) {
            int od = o / (out[1] * out[2]), oh = o / out[2] % out[1], ow = o % out[2];
            int kd = kk / (k[1] * k[2]), kh = kk / k[2] % k[1], kw = kk % k[2];
            int id = od * s[0] - pad[0] + kd * dil[0];
            int ih = oh * s[1] - pad[1] + kh * dil[1];
            int iw = ow * s[2] - pad[2] + kw * dil[2];
            if (id < 0 || id >= in[0] || ih < 0 || ih >= in[1] || iw < 0 || iw >= in[2]) {
                return -1;
            }
            return (id * in[1] + ih) * in[2] + iw;
        }

        long[] outShape(int channels) {
            long[] shape = new long[2 + outSpatial.length];
            shape[0] = N;
            shape[1] = channels;
            System.arraycopy(outSpatial, 0, shape, 2, outSpatial.length);
            return shape;
        }
    }
}
