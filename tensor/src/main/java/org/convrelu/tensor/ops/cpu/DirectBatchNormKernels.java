package org.convrelu.tensor.ops.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The vector loops of {@link DirectBatchNorm} over one channel's {@code n} values (arrays may be longer). Sums are taken in float
 * vectors over runs of at most {@link #RUN} values and added up in double.
 */
final class DirectBatchNormKernels {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    private static final int RUN = 4096;

    private DirectBatchNormKernels() {}

    static double mean(float[] v, int n) {
        double sum = 0;
        for (int from = 0; from < n; from += RUN) {
            int to = Math.min(n, from + RUN), i = from;
            FloatVector acc = FloatVector.zero(S);
            for (; i + L <= to; i += L) {
                acc = acc.add(FloatVector.fromArray(S, v, i));
            }
            double part = acc.reduceLanes(VectorOperators.ADD);
            for (; i < to; i++) {
                part += v[i];
            }
            sum += part;
        }
        return sum / n;
    }

    /** {@code Σ (v − mean)²}. */
    static double centredSquares(float[] v, int n, float mean) {
        double sum = 0;
        FloatVector m = FloatVector.broadcast(S, mean);
        for (int from = 0; from < n; from += RUN) {
            int to = Math.min(n, from + RUN), i = from;
            FloatVector acc = FloatVector.zero(S);
            for (; i + L <= to; i += L) {
                FloatVector d = FloatVector.fromArray(S, v, i).sub(m);
                acc = d.fma(d, acc);
            }
            double part = acc.reduceLanes(VectorOperators.ADD);
            for (; i < to; i++) {
                part += (v[i] - mean) * (v[i] - mean);
            }
            sum += part;
        }
        return sum;
    }

    /** {@code v ← v · a + b}. */
    static void affine(float[] v, int n, float a, float b) {
        FloatVector av = FloatVector.broadcast(S, a), bv = FloatVector.broadcast(S, b);
        int i = 0;
        for (; i + L <= n; i += L) {
            FloatVector.fromArray(S, v, i).fma(av, bv).intoArray(v, i);
        }
        for (; i < n; i++) {
            v[i] = v[i] * a + b;
        }
    }

    /** {@code g ← a·g + k·x + k0}. */
    static void linear(float[] g, int n, float a, float[] x, float k, float k0) {
        FloatVector av = FloatVector.broadcast(S, a), kv = FloatVector.broadcast(S, k), k0v = FloatVector.broadcast(S, k0);
        int i = 0;
        for (; i + L <= n; i += L) {
            FloatVector.fromArray(S, g, i).fma(av, FloatVector.fromArray(S, x, i).fma(kv, k0v)).intoArray(g, i);
        }
        for (; i < n; i++) {
            g[i] = a * g[i] + k * x[i] + k0;
        }
    }

    /** {@code {Σ g, Σ g·(x − mean)·invStd}}. */
    static double[] gradientSums(float[] x, float[] g, int n, float mean, float invStd) {
        double sumG = 0, sumGx = 0;
        FloatVector m = FloatVector.broadcast(S, mean);
        for (int from = 0; from < n; from += RUN) {
            int to = Math.min(n, from + RUN), i = from;
            FloatVector accG = FloatVector.zero(S), accGx = FloatVector.zero(S);
            for (; i + L <= to; i += L) {
                FloatVector gv = FloatVector.fromArray(S, g, i);
                accG = accG.add(gv);
                accGx = gv.fma(FloatVector.fromArray(S, x, i).sub(m), accGx);
            }
            double partG = accG.reduceLanes(VectorOperators.ADD), partGx = accGx.reduceLanes(VectorOperators.ADD);
            for (; i < to; i++) {
                partG += g[i];
                partGx += g[i] * (x[i] - mean);
            }
            sumG += partG;
            sumGx += partGx;
        }
        return new double[] {sumG, sumGx * invStd};
    }
}
