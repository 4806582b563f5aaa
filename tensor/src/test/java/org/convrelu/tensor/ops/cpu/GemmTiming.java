package org.convrelu.tensor.ops.cpu;

import java.util.Arrays;
import java.util.SplittableRandom;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/**
 * The rate of {@link VectorGemm#multiplyRows} on one thread at a convolution's shape (3×3 windows of
 * a padded plane) beside the core's FMA peak in the same run. Arguments: {@code rows inner width
 * [repeats]}, for example {@code 16 144 288} (a 3×3 16 → 16 forward tile).
 *
 * <pre>java --add-modules jdk.incubator.vector -cp … org.convrelu.tensor.ops.cpu.GemmTiming 16 144 288</pre>
 */
public final class GemmTiming {
    private GemmTiming() {}

    public static void main(String[] args) {
        int rows = Integer.parseInt(args[0]), inner = Integer.parseInt(args[1]), width = Integer.parseInt(args[2]);
        int repeats = args.length > 3 ? Integer.parseInt(args[3]) : 100;
        int planeWidth = 34, plane = planeWidth * planeWidth;
        SplittableRandom random = new SplittableRandom(1);
        float[] a = floats(random, rows * inner);
        float[] b = floats(random, (inner + 8) / 9 * plane + width + 4 * planeWidth);
        int[] bRows = new int[inner];
        for (int k = 0; k < inner; k++) {
            bRows[k] = k / 9 * plane + k % 9 / 3 * planeWidth + k % 3; // channel, kernel row, kernel column
        }
        float[] out = new float[rows * width];
        double[] ns = new double[repeats];
        for (int r = -repeats; r < repeats; r++) { // the first half warms the JIT up
            long t0 = System.nanoTime();
            for (int i = 0; i < 20; i++) {
                VectorGemm.multiplyRows(a, rows, inner, b, bRows, 0, width, out, 0, width);
            }
            if (r >= 0) {
                ns[r] = (System.nanoTime() - t0) / 20.0;
            }
        }
        Arrays.sort(ns);
        double gemm = 2.0 * rows * inner * width / ns[repeats / 2];
        System.out.printf("GEMM rows %d, inner %d, width %d (%d-bit vectors): %.1f µs, %.1f GFLOP/s, %.2f of the FMA peak (%.1f GFLOP/s)%n",
                rows, inner, width, VectorGemm.vectorBits(), ns[repeats / 2] / 1e3, gemm, gemm / peak(), peak());
    }

    private static float[] floats(SplittableRandom random, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) random.nextDouble();
        }
        return v;
    }

    /** GFLOP/s of 12 independent FMA chains in registers. */
    private static double peak() {
        float[] seed = {0.999f, 1e-4f};
        for (int i = 0; i < 30; i++) {
            fmaChains(seed, 100_000);
        }
        int n = 10_000_000;
        long t0 = System.nanoTime();
        float sink = fmaChains(seed, n);
        long ns = System.nanoTime() - t0;
        return sink == 0 ? 0 : 2.0 * 12 * VectorGemm.vectorLength() * n / ns;
    }

    private static float fmaChains(float[] seed, int n) {
        FloatVector x = FloatVector.broadcast(VectorGemm.S, seed[0]), y = FloatVector.broadcast(VectorGemm.S, seed[1]);
        FloatVector c0 = FloatVector.zero(VectorGemm.S), c1 = c0, c2 = c0, c3 = c0, c4 = c0, c5 = c0, c6 = c0, c7 = c0, c8 = c0, c9 = c0, c10 = c0, c11 = c0;
        for (int i = 0; i < n; i++) {
            c0 = x.fma(y, c0);
            c1 = x.fma(y, c1);
            c2 = x.fma(y, c2);
            c3 = x.fma(y, c3);
            c4 = x.fma(y, c4);
            c5 = x.fma(y, c5);
            c6 = x.fma(y, c6);
            c7 = x.fma(y, c7);
            c8 = x.fma(y, c8);
            c9 = x.fma(y, c9);
            c10 = x.fma(y, c10);
            c11 = x.fma(y, c11);
        }
        return c0.add(c1).add(c2).add(c3).add(c4).add(c5).add(c6).add(c7).add(c8).add(c9).add(c10).add(c11).reduceLanes(VectorOperators.ADD);
    }
}
