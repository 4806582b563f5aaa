package org.convrelu.tensor.ops.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The general vector GEMM under the ConvReLU kernels, {@link DirectLinear} and {@link OneHotConv}, and the vector width they share:
 * {@code out[rows, width] (+)= a[rows, inner] · b[inner, width]} with {@code b}'s rows at a stride
 * ({@link #multiply}) or at given offsets ({@link #multiplyRows}, the shifted rows of a padded
 * input). One method per block of rows (8, 4 and 1 rows × 3 vectors; 6 rows × 2 vectors with AVX2's
 * 16 registers, see {@link #sixRowBlocks}), each small enough for C1: see {@link ConvReluBackwardKernels}
 * on compile sizes.
 */
final class VectorGemm {
    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    static final int L = S.length();
    /** Blocks of 8 rows × 3 vectors need 24 accumulators: only with 32 vector registers (AVX-512). */
    static final boolean EIGHT_ROW_BLOCKS = S.vectorBitSize() >= 512;

    private VectorGemm() {}

    /**
     * How many blocks of 6 rows × 2 vectors open the plan with 16 vector registers (AVX2): 12
     * accumulators, 15 registers in all, where 4 × 3 blocks take all 16 and spill (measured in
     * docs/performance.md). Leftovers of 8 and 9 rows take two blocks of 4 × 3 rather than a block
     * of 6 and single rows, whose few accumulators wait on each FMA's latency. None with 32
     * registers, where blocks of 8 × 3 lead.
     */
    static int sixRowBlocks(int rows) {
        return EIGHT_ROW_BLOCKS ? 0 : blocksOfSix(rows);
    }

    /**
     * Blocks of 6 for {@code rows} (or output channels) before blocks of 4 and single ones: 8 or 9
     * left over take two blocks of 4, not a block of 6 and 2 or 3 single ones.
     */
    static int blocksOfSix(int rows) {
        int blocks = rows / 6, left = rows % 6;
        return blocks > 0 && (left == 2 || left == 3) ? blocks - 1 : blocks;
    }

    static int vectorBits() {
        return S.vectorBitSize();
    }

    /** The micro-kernels' widest block: three vectors. */
    static int tileBlock() {
        return 3 * L;
    }

    /** Tile widths are multiples of the vector length (narrower tails run one vector at a time). */
    static int vectorLength() {
        return L;
    }

    /**
     * {@code out[outOffset + i·ldo + t] = Σ_k a[i, k] · b[k, bOffset + t]} for {@code a [rows, inner]},
     * {@code b [inner, ldb]} and {@code t < width}, width a multiple of the vector length: blocks of
     * 8 (with 32 vector registers), 4 and 1 rows × 3 vectors, one-vector tails.
     */
    static void multiply(float[] a, int rows, int inner, float[] b, int ldb, int bOffset, int width, float[] out, int outOffset,
            int ldo) {
        int i0 = 0;
        for (; EIGHT_ROW_BLOCKS && i0 + 8 <= rows; i0 += 8) {
            multiply8(a, i0, inner, b, ldb, bOffset, width, out, outOffset, ldo);
        }
        for (int end = sixRowBlocks(rows) * 6; i0 < end; i0 += 6) {
            multiply6(a, i0, inner, b, ldb, bOffset, width, out, outOffset, ldo);
        }
        for (; i0 + 4 <= rows; i0 += 4) {
            multiply4(a, i0, inner, b, ldb, bOffset, width, out, outOffset, ldo);
        }
        for (; i0 + 1 <= rows; i0 += 1) {
            multiply1(a, i0, inner, b, ldb, bOffset, width, out, outOffset, ldo);
        }
    }

    /** {@link #multiply}'s rows {@code i0 … i0 + 7}. */
    static void multiply8(float[] a, int i0, int inner, float[] b, int ldb, int bOffset, int width, float[] out,
            int outOffset, int ldo) {
        int t = 0;
        for (; t + 3 * L <= width; t += 3 * L) {
            FloatVector c00 = FloatVector.zero(S), c01 = c00, c02 = c00, c10 = c00, c11 = c00, c12 = c00, c20 = c00, c21 = c00, c22 = c00, c30 = c00, c31 = c00, c32 = c00, c40 = c00, c41 = c00, c42 = c00, c50 = c00, c51 = c00, c52 = c00, c60 = c00, c61 = c00, c62 = c00, c70 = c00, c71 = c00, c72 = c00;
            for (int k = 0; k < inner; k++) {
                int at = k * ldb + bOffset + t, ak = i0 * inner + k;
                FloatVector b0 = FloatVector.fromArray(S, b, at);
                FloatVector b1 = FloatVector.fromArray(S, b, at + L);
                FloatVector b2 = FloatVector.fromArray(S, b, at + 2 * L);
                FloatVector v0 = FloatVector.broadcast(S, a[ak]);
                c00 = b0.fma(v0, c00);
                c01 = b1.fma(v0, c01);
                c02 = b2.fma(v0, c02);
                FloatVector v1 = FloatVector.broadcast(S, a[ak + 1 * inner]);
                c10 = b0.fma(v1, c10);
                c11 = b1.fma(v1, c11);
                c12 = b2.fma(v1, c12);
                FloatVector v2 = FloatVector.broadcast(S, a[ak + 2 * inner]);
                c20 = b0.fma(v2, c20);
                c21 = b1.fma(v2, c21);
                c22 = b2.fma(v2, c22);
                FloatVector v3 = FloatVector.broadcast(S, a[ak + 3 * inner]);
                c30 = b0.fma(v3, c30);
                c31 = b1.fma(v3, c31);
                c32 = b2.fma(v3, c32);
                FloatVector v4 = FloatVector.broadcast(S, a[ak + 4 * inner]);
                c40 = b0.fma(v4, c40);
                c41 = b1.fma(v4, c41);
                c42 = b2.fma(v4, c42);
                FloatVector v5 = FloatVector.broadcast(S, a[ak + 5 * inner]);
                c50 = b0.fma(v5, c50);
                c51 = b1.fma(v5, c51);
                c52 = b2.fma(v5, c52);
                FloatVector v6 = FloatVector.broadcast(S, a[ak + 6 * inner]);
                c60 = b0.fma(v6, c60);
                c61 = b1.fma(v6, c61);
                c62 = b2.fma(v6, c62);
                FloatVector v7 = FloatVector.broadcast(S, a[ak + 7 * inner]);
                c70 = b0.fma(v7, c70);
                c71 = b1.fma(v7, c71);
                c72 = b2.fma(v7, c72);
            }
            c00.intoArray(out, outOffset + (i0 + 0) * ldo + t);
            c01.intoArray(out, outOffset + (i0 + 0) * ldo + t + L);
            c02.intoArray(out, outOffset + (i0 + 0) * ldo + t + 2 * L);
            c10.intoArray(out, outOffset + (i0 + 1) * ldo + t);
            c11.intoArray(out, outOffset + (i0 + 1) * ldo + t + L);
            c12.intoArray(out, outOffset + (i0 + 1) * ldo + t + 2 * L);
            c20.intoArray(out, outOffset + (i0 + 2) * ldo + t);
            c21.intoArray(out, outOffset + (i0 + 2) * ldo + t + L);
            c22.intoArray(out, outOffset + (i0 + 2) * ldo + t + 2 * L);
            c30.intoArray(out, outOffset + (i0 + 3) * ldo + t);
            c31.intoArray(out, outOffset + (i0 + 3) * ldo + t + L);
            c32.intoArray(out, outOffset + (i0 + 3) * ldo + t + 2 * L);
            c40.intoArray(out, outOffset + (i0 + 4) * ldo + t);
            c41.intoArray(out, outOffset + (i0 + 4) * ldo + t + L);
            c42.intoArray(out, outOffset + (i0 + 4) * ldo + t + 2 * L);
            c50.intoArray(out, outOffset + (i0 + 5) * ldo + t);
            c51.intoArray(out, outOffset + (i0 + 5) * ldo + t + L);
            c52.intoArray(out, outOffset + (i0 + 5) * ldo + t + 2 * L);
            c60.intoArray(out, outOffset + (i0 + 6) * ldo + t);
            c61.intoArray(out, outOffset + (i0 + 6) * ldo + t + L);
            c62.intoArray(out, outOffset + (i0 + 6) * ldo + t + 2 * L);
            c70.intoArray(out, outOffset + (i0 + 7) * ldo + t);
            c71.intoArray(out, outOffset + (i0 + 7) * ldo + t + L);
            c72.intoArray(out, outOffset + (i0 + 7) * ldo + t + 2 * L);
        }
        for (; t < width; t += L) {
            FloatVector c0 = FloatVector.zero(S), c1 = c0, c2 = c0, c3 = c0, c4 = c0, c5 = c0, c6 = c0, c7 = c0;
            for (int k = 0; k < inner; k++) {
                FloatVector v = FloatVector.fromArray(S, b, k * ldb + bOffset + t);
                c0 = v.fma(FloatVector.broadcast(S, a[(i0 + 0) * inner + k]), c0);
                c1 = v.fma(FloatVector.broadcast(S, a[(i0 + 1) * inner + k]), c1);
                c2 = v.fma(FloatVector.broadcast(S, a[(i0 + 2) * inner + k]), c2);
                c3 = v.fma(FloatVector.broadcast(S, a[(i0 + 3) * inner + k]), c3);
                c4 = v.fma(FloatVector.broadcast(S, a[(i0 + 4) * inner + k]), c4);
                c5 = v.fma(FloatVector.broadcast(S, a[(i0 + 5) * inner + k]), c5);
                c6 = v.fma(FloatVector.broadcast(S, a[(i0 + 6) * inner + k]), c6);
                c7 = v.fma(FloatVector.broadcast(S, a[(i0 + 7) * inner + k]), c7);
            }
            c0.intoArray(out, outOffset + (i0 + 0) * ldo + t);
            c1.intoArray(out, outOffset + (i0 + 1) * ldo + t);
            c2.intoArray(out, outOffset + (i0 + 2) * ldo + t);
            c3.intoArray(out, outOffset + (i0 + 3) * ldo + t);
            c4.intoArray(out, outOffset + (i0 + 4) * ldo + t);
            c5.intoArray(out, outOffset + (i0 + 5) * ldo + t);
            c6.intoArray(out, outOffset + (i0 + 6) * ldo + t);
            c7.intoArray(out, outOffset + (i0 + 7) * ldo + t);
        }
    }

    /** {@link #multiply}'s rows {@code i0 … i0 + 5}. */
    static void multiply6(float[] a, int i0, int inner, float[] b, int ldb, int bOffset, int width, float[] out,
            int outOffset, int ldo) {
        int t = 0;
        for (; t + 2 * L <= width; t += 2 * L) {
            FloatVector c00 = FloatVector.zero(S), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00, c30 = c00, c31 = c00, c40 = c00, c41 = c00, c50 = c00, c51 = c00;
            for (int k = 0; k < inner; k++) {
                int at = k * ldb + bOffset + t, ak = i0 * inner + k;
                FloatVector b0 = FloatVector.fromArray(S, b, at);
                FloatVector b1 = FloatVector.fromArray(S, b, at + L);
                FloatVector v0 = FloatVector.broadcast(S, a[ak]);
                c00 = b0.fma(v0, c00);
                c01 = b1.fma(v0, c01);
                FloatVector v1 = FloatVector.broadcast(S, a[ak + 1 * inner]);
                c10 = b0.fma(v1, c10);
                c11 = b1.fma(v1, c11);
                FloatVector v2 = FloatVector.broadcast(S, a[ak + 2 * inner]);
                c20 = b0.fma(v2, c20);
                c21 = b1.fma(v2, c21);
                FloatVector v3 = FloatVector.broadcast(S, a[ak + 3 * inner]);
                c30 = b0.fma(v3, c30);
                c31 = b1.fma(v3, c31);
                FloatVector v4 = FloatVector.broadcast(S, a[ak + 4 * inner]);
                c40 = b0.fma(v4, c40);
                c41 = b1.fma(v4, c41);
                FloatVector v5 = FloatVector.broadcast(S, a[ak + 5 * inner]);
                c50 = b0.fma(v5, c50);
                c51 = b1.fma(v5, c51);
            }
            c00.intoArray(out, outOffset + (i0 + 0) * ldo + t);
            c01.intoArray(out, outOffset + (i0 + 0) * ldo + t + L);
            c10.intoArray(out, outOffset + (i0 + 1) * ldo + t);
            c11.intoArray(out, outOffset + (i0 + 1) * ldo + t + L);
            c20.intoArray(out, outOffset + (i0 + 2) * ldo + t);
            c21.intoArray(out, outOffset + (i0 + 2) * ldo + t + L);
            c30.intoArray(out, outOffset + (i0 + 3) * ldo + t);
            c31.intoArray(out, outOffset + (i0 + 3) * ldo + t + L);
            c40.intoArray(out, outOffset + (i0 + 4) * ldo + t);
            c41.intoArray(out, outOffset + (i0 + 4) * ldo + t + L);
            c50.intoArray(out, outOffset + (i0 + 5) * ldo + t);
            c51.intoArray(out, outOffset + (i0 + 5) * ldo + t + L);
        }
        for (; t < width; t += L) {
            FloatVector c0 = FloatVector.zero(S), c1 = c0, c2 = c0, c3 = c0, c4 = c0, c5 = c0;
            for (int k = 0; k < inner; k++) {
                FloatVector v = FloatVector.fromArray(S, b, k * ldb + bOffset + t);
                c0 = v.fma(FloatVector.broadcast(S, a[(i0 + 0) * inner + k]), c0);
                c1 = v.fma(FloatVector.broadcast(S, a[(i0 + 1) * inner + k]), c1);
                c2 = v.fma(FloatVector.broadcast(S, a[(i0 + 2) * inner + k]), c2);
                c3 = v.fma(FloatVector.broadcast(S, a[(i0 + 3) * inner + k]), c3);
                c4 = v.fma(FloatVector.broadcast(S, a[(i0 + 4) * inner + k]), c4);
                c5 = v.fma(FloatVector.broadcast(S, a[(i0 + 5) * inner + k]), c5);
            }
            c0.intoArray(out, outOffset + (i0 + 0) * ldo + t);
            c1.intoArray(out, outOffset + (i0 + 1) * ldo + t);
            c2.intoArray(out, outOffset + (i0 + 2) * ldo + t);
            c3.intoArray(out, outOffset + (i0 + 3) * ldo + t);
            c4.intoArray(out, outOffset + (i0 + 4) * ldo + t);
            c5.intoArray(out, outOffset + (i0 + 5) * ldo + t);
        }
    }

    /** {@link #multiply}'s rows {@code i0 … i0 + 3}. */
    static void multiply4(float[] a, int i0, int inner, float[] b, int ldb, int bOffset, int width, float[] out,
            int outOffset, int ldo) {
        int t = 0;
        for (; t + 3 * L <= width; t += 3 * L) {
            FloatVector c00 = FloatVector.zero(S), c01 = c00, c02 = c00, c10 = c00, c11 = c00, c12 = c00, c20 = c00, c21 = c00, c22 = c00, c30 = c00, c31 = c00, c32 = c00;
            for (int k = 0; k < inner; k++) {
                int at = k * ldb + bOffset + t, ak = i0 * inner + k;
                FloatVector b0 = FloatVector.fromArray(S, b, at);
                FloatVector b1 = FloatVector.fromArray(S, b, at + L);
                FloatVector b2 = FloatVector.fromArray(S, b, at + 2 * L);
                FloatVector v0 = FloatVector.broadcast(S, a[ak]);
                c00 = b0.fma(v0, c00);
                c01 = b1.fma(v0, c01);
                c02 = b2.fma(v0, c02);
                FloatVector v1 = FloatVector.broadcast(S, a[ak + 1 * inner]);
                c10 = b0.fma(v1, c10);
                c11 = b1.fma(v1, c11);
                c12 = b2.fma(v1, c12);
                FloatVector v2 = FloatVector.broadcast(S, a[ak + 2 * inner]);
                c20 = b0.fma(v2, c20);
                c21 = b1.fma(v2, c21);
                c22 = b2.fma(v2, c22);
                FloatVector v3 = FloatVector.broadcast(S, a[ak + 3 * inner]);
                c30 = b0.fma(v3, c30);
                c31 = b1.fma(v3, c31);
                c32 = b2.fma(v3, c32);
            }
            c00.intoArray(out, outOffset + (i0 + 0) * ldo + t);
            c01.intoArray(out, outOffset + (i0 + 0) * ldo + t + L);
            c02.intoArray(out, outOffset + (i0 + 0) * ldo + t + 2 * L);
            c10.intoArray(out, outOffset + (i0 + 1) * ldo + t);
            c11.intoArray(out, outOffset + (i0 + 1) * ldo + t + L);
            c12.intoArray(out, outOffset + (i0 + 1) * ldo + t + 2 * L);
            c20.intoArray(out, outOffset + (i0 + 2) * ldo + t);
            c21.intoArray(out, outOffset + (i0 + 2) * ldo + t + L);
            c22.intoArray(out, outOffset + (i0 + 2) * ldo + t + 2 * L);
            c30.intoArray(out, outOffset + (i0 + 3) * ldo + t);
            c31.intoArray(out, outOffset + (i0 + 3) * ldo + t + L);
            c32.intoArray(out, outOffset + (i0 + 3) * ldo + t + 2 * L);
        }
        for (; t < width; t += L) {
            FloatVector c0 = FloatVector.zero(S), c1 = c0, c2 = c0, c3 = c0;
            for (int k = 0; k < inner; k++) {
                FloatVector v = FloatVector.fromArray(S, b, k * ldb + bOffset + t);
                c0 = v.fma(FloatVector.broadcast(S, a[(i0 + 0) * inner + k]), c0);
                c1 = v.fma(FloatVector.broadcast(S, a[(i0 + 1) * inner + k]), c1);
                c2 = v.fma(FloatVector.broadcast(S, a[(i0 + 2) * inner + k]), c2);
                c3 = v.fma(FloatVector.broadcast(S, a[(i0 + 3) * inner + k]), c3);
            }
            c0.intoArray(out, outOffset + (i0 + 0) * ldo + t);
            c1.intoArray(out, outOffset + (i0 + 1) * ldo + t);
            c2.intoArray(out, outOffset + (i0 + 2) * ldo + t);
            c3.intoArray(out, outOffset + (i0 + 3) * ldo + t);
        }
    }

    /** {@link #multiply}'s row {@code i0}. */
    static void multiply1(float[] a, int i0, int inner, float[] b, int ldb, int bOffset, int width, float[] out,
            int outOffset, int ldo) {
        int t = 0;
        for (; t + 3 * L <= width; t += 3 * L) {
            FloatVector c00 = FloatVector.zero(S), c01 = c00, c02 = c00;
            for (int k = 0; k < inner; k++) {
                int at = k * ldb + bOffset + t, ak = i0 * inner + k;
                FloatVector b0 = FloatVector.fromArray(S, b, at);
                FloatVector b1 = FloatVector.fromArray(S, b, at + L);
                FloatVector b2 = FloatVector.fromArray(S, b, at + 2 * L);
                FloatVector v0 = FloatVector.broadcast(S, a[ak]);
                c00 = b0.fma(v0, c00);
                c01 = b1.fma(v0, c01);
                c02 = b2.fma(v0, c02);
            }
            c00.intoArray(out, outOffset + (i0 + 0) * ldo + t);
            c01.intoArray(out, outOffset + (i0 + 0) * ldo + t + L);
            c02.intoArray(out, outOffset + (i0 + 0) * ldo + t + 2 * L);
        }
        for (; t < width; t += L) {
            FloatVector c0 = FloatVector.zero(S);
            for (int k = 0; k < inner; k++) {
                FloatVector v = FloatVector.fromArray(S, b, k * ldb + bOffset + t);
                c0 = v.fma(FloatVector.broadcast(S, a[(i0 + 0) * inner + k]), c0);
            }
            c0.intoArray(out, outOffset + (i0 + 0) * ldo + t);
        }
    }

    /**
     * {@link #multiply} with the right-hand side's row k starting at {@code bRows[k]}: shifted windows
     * of a padded plane. {@code out[outOffset + i·ldo + t] = Σ_k a[i, k] · b[bRows[k] + bOffset + t]}.
     * (A separate method: looking the rows up took the char-CNN's 256 → 256 convolution 1.05× its time
     * where they are a matrix's.)
     */
    static void multiplyRows(float[] a, int rows, int inner, float[] b, int[] bRows, int bOffset, int width, float[] out, int outOffset,
            int ldo) {
        int i0 = 0;
        for (; EIGHT_ROW_BLOCKS && i0 + 8 <= rows; i0 += 8) {
            multiplyRows8(a, i0, inner, b, bRows, bOffset, width, out, outOffset, ldo);
        }
        for (int end = sixRowBlocks(rows) * 6; i0 < end; i0 += 6) {
            multiplyRows6(a, i0, inner, b, bRows, bOffset, width, out, outOffset, ldo);
        }
        for (; i0 + 4 <= rows; i0 += 4) {
            multiplyRows4(a, i0, inner, b, bRows, bOffset, width, out, outOffset, ldo);
        }
        for (; i0 + 1 <= rows; i0 += 1) {
            multiplyRows1(a, i0, inner, b, bRows, bOffset, width, out, outOffset, ldo);
        }
    }

    /** {@link #multiplyRows}' rows {@code i0 … i0 + 7}. */
    static void multiplyRows8(float[] a, int i0, int inner, float[] b, int[] bRows, int bOffset, int width, float[] out,
            int outOffset, int ldo) {
        int t = 0;
        for (; t + 3 * L <= width; t += 3 * L) {
            FloatVector c00 = FloatVector.zero(S), c01 = c00, c02 = c00, c10 = c00, c11 = c00, c12 = c00, c20 = c00, c21 = c00, c22 = c00, c30 = c00, c31 = c00, c32 = c00, c40 = c00, c41 = c00, c42 = c00, c50 = c00, c51 = c00, c52 = c00, c60 = c00, c61 = c00, c62 = c00, c70 = c00, c71 = c00, c72 = c00;
            for (int k = 0; k < inner; k++) {
                int at = bRows[k] + bOffset + t, ak = i0 * inner + k;
                FloatVector b0 = FloatVector.fromArray(S, b, at);
                FloatVector b1 = FloatVector.fromArray(S, b, at + L);
                FloatVector b2 = FloatVector.fromArray(S, b, at + 2 * L);
                FloatVector v0 = FloatVector.broadcast(S, a[ak]);
                c00 = b0.fma(v0, c00);
                c01 = b1.fma(v0, c01);
                c02 = b2.fma(v0, c02);
                FloatVector v1 = FloatVector.broadcast(S, a[ak + 1 * inner]);
                c10 = b0.fma(v1, c10);
                c11 = b1.fma(v1, c11);
                c12 = b2.fma(v1, c12);
                FloatVector v2 = FloatVector.broadcast(S, a[ak + 2 * inner]);
                c20 = b0.fma(v2, c20);
                c21 = b1.fma(v2, c21);
                c22 = b2.fma(v2, c22);
                FloatVector v3 = FloatVector.broadcast(S, a[ak + 3 * inner]);
                c30 = b0.fma(v3, c30);
                c31 = b1.fma(v3, c31);
                c32 = b2.fma(v3, c32);
                FloatVector v4 = FloatVector.broadcast(S, a[ak + 4 * inner]);
                c40 = b0.fma(v4, c40);
                c41 = b1.fma(v4, c41);
                c42 = b2.fma(v4, c42);
                FloatVector v5 = FloatVector.broadcast(S, a[ak + 5 * inner]);
                c50 = b0.fma(v5, c50);
                c51 = b1.fma(v5, c51);
                c52 = b2.fma(v5, c52);
                FloatVector v6 = FloatVector.broadcast(S, a[ak + 6 * inner]);
                c60 = b0.fma(v6, c60);
                c61 = b1.fma(v6, c61);
                c62 = b2.fma(v6, c62);
                FloatVector v7 = FloatVector.broadcast(S, a[ak + 7 * inner]);
                c70 = b0.fma(v7, c70);
                c71 = b1.fma(v7, c71);
                c72 = b2.fma(v7, c72);
            }
            c00.intoArray(out, outOffset + (i0 + 0) * ldo + t);
            c01.intoArray(out, outOffset + (i0 + 0) * ldo + t + L);
            c02.intoArray(out, outOffset + (i0 + 0) * ldo + t + 2 * L);
            c10.intoArray(out, outOffset + (i0 + 1) * ldo + t);
            c11.intoArray(out, outOffset + (i0 + 1) * ldo + t + L);
            c12.intoArray(out, outOffset + (i0 + 1) * ldo + t + 2 * L);
            c20.intoArray(out, outOffset + (i0 + 2) * ldo + t);
            c21.intoArray(out, outOffset + (i0 + 2) * ldo + t + L);
            c22.intoArray(out, outOffset + (i0 + 2) * ldo + t + 2 * L);
            c30.intoArray(out, outOffset + (i0 + 3) * ldo + t);
            c31.intoArray(out, outOffset + (i0 + 3) * ldo + t + L);
            c32.intoArray(out, outOffset + (i0 + 3) * ldo + t + 2 * L);
            c40.intoArray(out, outOffset + (i0 + 4) * ldo + t);
            c41.intoArray(out, outOffset + (i0 + 4) * ldo + t + L);
            c42.intoArray(out, outOffset + (i0 + 4) * ldo + t + 2 * L);
            c50.intoArray(out, outOffset + (i0 + 5) * ldo + t);
            c51.intoArray(out, outOffset + (i0 + 5) * ldo + t + L);
            c52.intoArray(out, outOffset + (i0 + 5) * ldo + t + 2 * L);
            c60.intoArray(out, outOffset + (i0 + 6) * ldo + t);
            c61.intoArray(out, outOffset + (i0 + 6) * ldo + t + L);
            c62.intoArray(out, outOffset + (i0 + 6) * ldo + t + 2 * L);
            c70.intoArray(out, outOffset + (i0 + 7) * ldo + t);
            c71.intoArray(out, outOffset + (i0 + 7) * ldo + t + L);
            c72.intoArray(out, outOffset + (i0 + 7) * ldo + t + 2 * L);
        }
        for (; t < width; t += L) {
            FloatVector c0 = FloatVector.zero(S), c1 = c0, c2 = c0, c3 = c0, c4 = c0, c5 = c0, c6 = c0, c7 = c0;
            for (int k = 0; k < inner; k++) {
                FloatVector v = FloatVector.fromArray(S, b, bRows[k] + bOffset + t);
                c0 = v.fma(FloatVector.broadcast(S, a[(i0 + 0) * inner + k]), c0);
                c1 = v.fma(FloatVector.broadcast(S, a[(i0 + 1) * inner + k]), c1);
                c2 = v.fma(FloatVector.broadcast(S, a[(i0 + 2) * inner + k]), c2);
                c3 = v.fma(FloatVector.broadcast(S, a[(i0 + 3) * inner + k]), c3);
                c4 = v.fma(FloatVector.broadcast(S, a[(i0 + 4) * inner + k]), c4);
                c5 = v.fma(FloatVector.broadcast(S, a[(i0 + 5) * inner + k]), c5);
                c6 = v.fma(FloatVector.broadcast(S, a[(i0 + 6) * inner + k]), c6);
                c7 = v.fma(FloatVector.broadcast(S, a[(i0 + 7) * inner + k]), c7);
            }
            c0.intoArray(out, outOffset + (i0 + 0) * ldo + t);
            c1.intoArray(out, outOffset + (i0 + 1) * ldo + t);
            c2.intoArray(out, outOffset + (i0 + 2) * ldo + t);
            c3.intoArray(out, outOffset + (i0 + 3) * ldo + t);
            c4.intoArray(out, outOffset + (i0 + 4) * ldo + t);
            c5.intoArray(out, outOffset + (i0 + 5) * ldo + t);
            c6.intoArray(out, outOffset + (i0 + 6) * ldo + t);
            c7.intoArray(out, outOffset + (i0 + 7) * ldo + t);
        }
    }

    /** {@link #multiplyRows}' rows {@code i0 … i0 + 5}. */
    static void multiplyRows6(float[] a, int i0, int inner, float[] b, int[] bRows, int bOffset, int width, float[] out,
            int outOffset, int ldo) {
        int t = 0;
        for (; t + 2 * L <= width; t += 2 * L) {
            FloatVector c00 = FloatVector.zero(S), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00, c30 = c00, c31 = c00, c40 = c00, c41 = c00, c50 = c00, c51 = c00;
            for (int k = 0; k < inner; k++) {
                int at = bRows[k] + bOffset + t, ak = i0 * inner + k;
                FloatVector b0 = FloatVector.fromArray(S, b, at);
                FloatVector b1 = FloatVector.fromArray(S, b, at + L);
                FloatVector v0 = FloatVector.broadcast(S, a[ak]);
                c00 = b0.fma(v0, c00);
                c01 = b1.fma(v0, c01);
                FloatVector v1 = FloatVector.broadcast(S, a[ak + 1 * inner]);
                c10 = b0.fma(v1, c10);
                c11 = b1.fma(v1, c11);
                FloatVector v2 = FloatVector.broadcast(S, a[ak + 2 * inner]);
                c20 = b0.fma(v2, c20);
                c21 = b1.fma(v2, c21);
                FloatVector v3 = FloatVector.broadcast(S, a[ak + 3 * inner]);
                c30 = b0.fma(v3, c30);
                c31 = b1.fma(v3, c31);
                FloatVector v4 = FloatVector.broadcast(S, a[ak + 4 * inner]);
                c40 = b0.fma(v4, c40);
                c41 = b1.fma(v4, c41);
                FloatVector v5 = FloatVector.broadcast(S, a[ak + 5 * inner]);
                c50 = b0.fma(v5, c50);
                c51 = b1.fma(v5, c51);
            }
            c00.intoArray(out, outOffset + (i0 + 0) * ldo + t);
            c01.intoArray(out, outOffset + (i0 + 0) * ldo + t + L);
            c10.intoArray(out, outOffset + (i0 + 1) * ldo + t);
            c11.intoArray(out, outOffset + (i0 + 1) * ldo + t + L);
            c20.intoArray(out, outOffset + (i0 + 2) * ldo + t);
            c21.intoArray(out, outOffset + (i0 + 2) * ldo + t + L);
            c30.intoArray(out, outOffset + (i0 + 3) * ldo + t);
            c31.intoArray(out, outOffset + (i0 + 3) * ldo + t + L);
            c40.intoArray(out, outOffset + (i0 + 4) * ldo + t);
            c41.intoArray(out, outOffset + (i0 + 4) * ldo + t + L);
            c50.intoArray(out, outOffset + (i0 + 5) * ldo + t);
            c51.intoArray(out, outOffset + (i0 + 5) * ldo + t + L);
        }
        for (; t < width; t += L) {
            FloatVector c0 = FloatVector.zero(S), c1 = c0, c2 = c0, c3 = c0, c4 = c0, c5 = c0;
            for (int k = 0; k < inner; k++) {
                FloatVector v = FloatVector.fromArray(S, b, bRows[k] + bOffset + t);
                c0 = v.fma(FloatVector.broadcast(S, a[(i0 + 0) * inner + k]), c0);
                c1 = v.fma(FloatVector.broadcast(S, a[(i0 + 1) * inner + k]), c1);
                c2 = v.fma(FloatVector.broadcast(S, a[(i0 + 2) * inner + k]), c2);
                c3 = v.fma(FloatVector.broadcast(S, a[(i0 + 3) * inner + k]), c3);
                c4 = v.fma(FloatVector.broadcast(S, a[(i0 + 4) * inner + k]), c4);
                c5 = v.fma(FloatVector.broadcast(S, a[(i0 + 5) * inner + k]), c5);
            }
            c0.intoArray(out, outOffset + (i0 + 0) * ldo + t);
            c1.intoArray(out, outOffset + (i0 + 1) * ldo + t);
            c2.intoArray(out, outOffset + (i0 + 2) * ldo + t);
            c3.intoArray(out, outOffset + (i0 + 3) * ldo + t);
            c4.intoArray(out, outOffset + (i0 + 4) * ldo + t);
            c5.intoArray(out, outOffset + (i0 + 5) * ldo + t);
        }
    }

    /** {@link #multiplyRows}' rows {@code i0 … i0 + 3}. */
    static void multiplyRows4(float[] a, int i0, int inner, float[] b, int[] bRows, int bOffset, int width, float[] out,
            int outOffset, int ldo) {
        int t = 0;
        for (; t + 3 * L <= width; t += 3 * L) {
            FloatVector c00 = FloatVector.zero(S), c01 = c00, c02 = c00, c10 = c00, c11 = c00, c12 = c00, c20 = c00, c21 = c00, c22 = c00, c30 = c00, c31 = c00, c32 = c00;
            for (int k = 0; k < inner; k++) {
                int at = bRows[k] + bOffset + t, ak = i0 * inner + k;
                FloatVector b0 = FloatVector.fromArray(S, b, at);
                FloatVector b1 = FloatVector.fromArray(S, b, at + L);
                FloatVector b2 = FloatVector.fromArray(S, b, at + 2 * L);
                FloatVector v0 = FloatVector.broadcast(S, a[ak]);
                c00 = b0.fma(v0, c00);
                c01 = b1.fma(v0, c01);
                c02 = b2.fma(v0, c02);
                FloatVector v1 = FloatVector.broadcast(S, a[ak + 1 * inner]);
                c10 = b0.fma(v1, c10);
                c11 = b1.fma(v1, c11);
                c12 = b2.fma(v1, c12);
                FloatVector v2 = FloatVector.broadcast(S, a[ak + 2 * inner]);
                c20 = b0.fma(v2, c20);
                c21 = b1.fma(v2, c21);
                c22 = b2.fma(v2, c22);
                FloatVector v3 = FloatVector.broadcast(S, a[ak + 3 * inner]);
                c30 = b0.fma(v3, c30);
                c31 = b1.fma(v3, c31);
                c32 = b2.fma(v3, c32);
            }
            c00.intoArray(out, outOffset + (i0 + 0) * ldo + t);
            c01.intoArray(out, outOffset + (i0 + 0) * ldo + t + L);
            c02.intoArray(out, outOffset + (i0 + 0) * ldo + t + 2 * L);
            c10.intoArray(out, outOffset + (i0 + 1) * ldo + t);
            c11.intoArray(out, outOffset + (i0 + 1) * ldo + t + L);
            c12.intoArray(out, outOffset + (i0 + 1) * ldo + t + 2 * L);
            c20.intoArray(out, outOffset + (i0 + 2) * ldo + t);
            c21.intoArray(out, outOffset + (i0 + 2) * ldo + t + L);
            c22.intoArray(out, outOffset + (i0 + 2) * ldo + t + 2 * L);
            c30.intoArray(out, outOffset + (i0 + 3) * ldo + t);
            c31.intoArray(out, outOffset + (i0 + 3) * ldo + t + L);
            c32.intoArray(out, outOffset + (i0 + 3) * ldo + t + 2 * L);
        }
        for (; t < width; t += L) {
            FloatVector c0 = FloatVector.zero(S), c1 = c0, c2 = c0, c3 = c0;
            for (int k = 0; k < inner; k++) {
                FloatVector v = FloatVector.fromArray(S, b, bRows[k] + bOffset + t);
                c0 = v.fma(FloatVector.broadcast(S, a[(i0 + 0) * inner + k]), c0);
                c1 = v.fma(FloatVector.broadcast(S, a[(i0 + 1) * inner + k]), c1);
                c2 = v.fma(FloatVector.broadcast(S, a[(i0 + 2) * inner + k]), c2);
                c3 = v.fma(FloatVector.broadcast(S, a[(i0 + 3) * inner + k]), c3);
            }
            c0.intoArray(out, outOffset + (i0 + 0) * ldo + t);
            c1.intoArray(out, outOffset + (i0 + 1) * ldo + t);
            c2.intoArray(out, outOffset + (i0 + 2) * ldo + t);
            c3.intoArray(out, outOffset + (i0 + 3) * ldo + t);
        }
    }

    /** {@link #multiplyRows}' row {@code i0}. */
    static void multiplyRows1(float[] a, int i0, int inner, float[] b, int[] bRows, int bOffset, int width, float[] out,
            int outOffset, int ldo) {
        int t = 0;
        for (; t + 3 * L <= width; t += 3 * L) {
            FloatVector c00 = FloatVector.zero(S), c01 = c00, c02 = c00;
            for (int k = 0; k < inner; k++) {
                int at = bRows[k] + bOffset + t, ak = i0 * inner + k;
                FloatVector b0 = FloatVector.fromArray(S, b, at);
                FloatVector b1 = FloatVector.fromArray(S, b, at + L);
                FloatVector b2 = FloatVector.fromArray(S, b, at + 2 * L);
                FloatVector v0 = FloatVector.broadcast(S, a[ak]);
                c00 = b0.fma(v0, c00);
                c01 = b1.fma(v0, c01);
                c02 = b2.fma(v0, c02);
            }
            c00.intoArray(out, outOffset + (i0 + 0) * ldo + t);
            c01.intoArray(out, outOffset + (i0 + 0) * ldo + t + L);
            c02.intoArray(out, outOffset + (i0 + 0) * ldo + t + 2 * L);
        }
        for (; t < width; t += L) {
            FloatVector c0 = FloatVector.zero(S);
            for (int k = 0; k < inner; k++) {
                FloatVector v = FloatVector.fromArray(S, b, bRows[k] + bOffset + t);
                c0 = v.fma(FloatVector.broadcast(S, a[(i0 + 0) * inner + k]), c0);
            }
            c0.intoArray(out, outOffset + (i0 + 0) * ldo + t);
        }
    }
}
