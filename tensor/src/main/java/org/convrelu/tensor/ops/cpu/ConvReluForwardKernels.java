package org.convrelu.tensor.ops.cpu;

import java.nio.FloatBuffer;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import org.convrelu.tensor.memory.Scratch;
import org.convrelu.tensor.ops.cpu.DirectConvRelu.Plan;

/**
 * The forward pass of {@link DirectConvRelu} ({@link #forward}, one sample range per call) and its
 * micro-kernels: outputs from the padded input with a
 * max against θ per load ({@code multiplyThresholded*}) or without one where the input was
 * thresholded once per channel ({@code multiplyPadded*}), and the thresholded patch tile of the wide
 * forward. One method per block size; see {@link ConvReluBackwardKernels} on compile sizes.
 */
final class ConvReluForwardKernels {
    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    static final int L = S.length();
    /** Blocks of 8 rows × 3 vectors need 24 accumulators: only with 32 vector registers (AVX-512). */
    static final boolean EIGHT_ROW_BLOCKS = S.vectorBitSize() >= 512;

    private ConvReluForwardKernels() {}

    /**
     * Outputs narrower than this many channels are computed from the padded input directly
     * ({@link #multiplyThresholded}) rather than from a tile of thresholded patches. Measured on
     * one AVX2 core (DenseNet shapes at 32×32): the direct pass takes 0.53× the tile's time at
     * D = 6 and 0.67× at D = 12, but 1.45× at D = 24 and 1.48× at D = 48;
     * {@code -Dconvrelu.directForwardBelow} moves the bound.
     */
    static final int DIRECT_FORWARD_BELOW = Integer.getInteger("convrelu.directForwardBelow", 16);

    /** Whether the forward of {@code d} output channels reads the padded input directly (and takes {@code Wᵀ}). */
    static boolean directForward(int d) {
        return d < DIRECT_FORWARD_BELOW;
    }

    /**
     * @param w weights {@code [D, C·K]}
     * @param wt the same transposed, {@code [C·K, D]}, where {@link #directForward}; else unused
     * @param bias {@code [D]} or null
     */
    static void forward(Plan p, FloatBuffer x, float[] w, float[] wt, float[] theta, float[] bias, FloatBuffer y, int from, int to) {
        int rows = p.rows(), tile = p.tile();
        boolean direct = directForward(p.d());
        boolean thresholdFirst = ConvReluLayout.onePerChannel(theta, p.kernelVolume()); // once per input, not per patch and output block
        int[] src = ConvReluLayout.rowStarts(p);
        boolean patchTile = !direct && !thresholdFirst; // thresholded patches laid out as a tile, for the wide GEMM
        float[] xp = Scratch.floats(0, p.c() * p.planeLength());
        float[] b = patchTile ? Scratch.floats(1, rows * tile) : null;
        float[] yTile = Scratch.floats(2, p.d() * tile);
        float[] staging = Scratch.floats(8, p.groupLength()); // a group's x, then its y
        int outputs = p.d() * p.oh() * p.ow();
        for (int n0 = from; n0 < to; n0 += p.group()) {
            int samples = Math.min(p.group(), to - n0);
            ConvReluLayout.padInput(p, x, n0, samples, staging, xp);
            if (thresholdFirst) {
                ConvReluLayout.thresholdByChannel(p, xp, theta);
            }
            for (int q0 = 0; q0 < p.qPad(); q0 += tile) {
                if (direct && thresholdFirst) {
                    multiplyPadded(wt, p.d(), rows, xp, src, q0, tile, yTile); // [D, T] = W · patches of max(x, θ)
                } else if (direct) {
                    multiplyThresholded(wt, p.d(), rows, xp, src, theta, q0, tile, yTile); // [D, T] = W · max(patches, θ)
                } else if (thresholdFirst) {
                    VectorGemm.multiplyRows(w, p.d(), rows, xp, src, q0, tile, yTile, 0, tile); // [D, T] = W[D, C·K] · patches of max(x, θ)
                } else {
                    thresholdedTile(xp, src, theta, q0, rows, tile, b);
                    VectorGemm.multiply(w, p.d(), rows, b, tile, 0, tile, yTile, 0, tile); // [D, T] = W[D, C·K] · b[C·K, T]
                }
                if (bias != null) {
                    ConvReluLayout.addRowConstants(yTile, p.d(), tile, bias);
                }
                ConvReluLayout.storeOutput(p, yTile, q0, samples, staging);
            }
            y.put(n0 * outputs, staging, 0, samples * outputs);
        }
    }

    /** {@code b[r, t] = max(xp[src[r] + q0 + t], θ[r])}: eq. 8's thresholded patches of one tile. */
    static void thresholdedTile(float[] xp, int[] src, float[] theta, int q0, int rows, int tile, float[] b) {
        for (int r = 0; r < rows; r++) {
            FloatVector t = FloatVector.broadcast(S, theta[r]);
            int from = src[r] + q0, to = r * tile;
            for (int j = 0; j < tile; j += L) {
                FloatVector.fromArray(S, xp, from + j).max(t).intoArray(b, to + j);
            }
        }
    }

    /**
     * {@code out[d, t] = Σ_r wt[r, d] · max(xp[src[r] + q0 + t], θ[r])} for one tile of
     * {@code width} positions, the thresholded patches read from the padded input as they are
     * used: blocks of 6 output channels × 2 vectors (12 accumulators, within AVX2's 16 registers),
     * then of 4 ({@link VectorGemm#blocksOfSix}), then single channels. For narrow outputs, where a
     * tile of patches would be written once and read only a few times.
     */
    static void multiplyThresholded(float[] wt, int d, int rows, float[] xp, int[] src, float[] theta, int q0, int width,
            float[] out) {
        int d0 = 0;
        for (; EIGHT_ROW_BLOCKS && d0 + 12 <= d; d0 += 12) {
            multiplyThresholded12(wt, d, d0, rows, xp, src, theta, q0, width, out);
        }
        for (int end = d0 + VectorGemm.blocksOfSix(d - d0) * 6; d0 < end; d0 += 6) {
            int t = 0;
            for (; t + 2 * L <= width; t += 2 * L) {
                FloatVector c00 = FloatVector.zero(S), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00;
                FloatVector c30 = c00, c31 = c00, c40 = c00, c41 = c00, c50 = c00, c51 = c00;
                for (int r = 0; r < rows; r++) {
                    int at = src[r] + q0 + t, wr = r * d + d0;
                    FloatVector threshold = FloatVector.broadcast(S, theta[r]);
                    FloatVector x0 = FloatVector.fromArray(S, xp, at).max(threshold);
                    FloatVector x1 = FloatVector.fromArray(S, xp, at + L).max(threshold);
                    FloatVector v = FloatVector.broadcast(S, wt[wr]);
                    c00 = x0.fma(v, c00);
                    c01 = x1.fma(v, c01);
                    v = FloatVector.broadcast(S, wt[wr + 1]);
                    c10 = x0.fma(v, c10);
                    c11 = x1.fma(v, c11);
                    v = FloatVector.broadcast(S, wt[wr + 2]);
                    c20 = x0.fma(v, c20);
                    c21 = x1.fma(v, c21);
                    v = FloatVector.broadcast(S, wt[wr + 3]);
                    c30 = x0.fma(v, c30);
                    c31 = x1.fma(v, c31);
                    v = FloatVector.broadcast(S, wt[wr + 4]);
                    c40 = x0.fma(v, c40);
                    c41 = x1.fma(v, c41);
                    v = FloatVector.broadcast(S, wt[wr + 5]);
                    c50 = x0.fma(v, c50);
                    c51 = x1.fma(v, c51);
                }
                int o = d0 * width + t;
                c00.intoArray(out, o);
                c01.intoArray(out, o + L);
                c10.intoArray(out, o + width);
                c11.intoArray(out, o + width + L);
                c20.intoArray(out, o + 2 * width);
                c21.intoArray(out, o + 2 * width + L);
                c30.intoArray(out, o + 3 * width);
                c31.intoArray(out, o + 3 * width + L);
                c40.intoArray(out, o + 4 * width);
                c41.intoArray(out, o + 4 * width + L);
                c50.intoArray(out, o + 5 * width);
                c51.intoArray(out, o + 5 * width + L);
            }
            for (; t < width; t += L) {
                FloatVector c0 = FloatVector.zero(S), c1 = c0, c2 = c0, c3 = c0, c4 = c0, c5 = c0;
                for (int r = 0; r < rows; r++) {
                    int wr = r * d + d0;
                    FloatVector v = FloatVector.fromArray(S, xp, src[r] + q0 + t).max(FloatVector.broadcast(S, theta[r]));
                    c0 = v.fma(FloatVector.broadcast(S, wt[wr]), c0);
                    c1 = v.fma(FloatVector.broadcast(S, wt[wr + 1]), c1);
                    c2 = v.fma(FloatVector.broadcast(S, wt[wr + 2]), c2);
                    c3 = v.fma(FloatVector.broadcast(S, wt[wr + 3]), c3);
                    c4 = v.fma(FloatVector.broadcast(S, wt[wr + 4]), c4);
                    c5 = v.fma(FloatVector.broadcast(S, wt[wr + 5]), c5);
                }
                int o = d0 * width + t;
                c0.intoArray(out, o);
                c1.intoArray(out, o + width);
                c2.intoArray(out, o + 2 * width);
                c3.intoArray(out, o + 3 * width);
                c4.intoArray(out, o + 4 * width);
                c5.intoArray(out, o + 5 * width);
            }
        }
        for (; d0 + 4 <= d; d0 += 4) {
            multiplyThresholded4(wt, d, d0, rows, xp, src, theta, q0, width, out);
        }
        for (; d0 < d; d0++) {
            for (int t = 0; t < width; t += L) {
                FloatVector c0 = FloatVector.zero(S);
                for (int r = 0; r < rows; r++) {
                    FloatVector v = FloatVector.fromArray(S, xp, src[r] + q0 + t).max(FloatVector.broadcast(S, theta[r]));
                    c0 = v.fma(FloatVector.broadcast(S, wt[r * d + d0]), c0);
                }
                c0.intoArray(out, d0 * width + t);
            }
        }
    }

    /**
     * {@link #multiplyThresholded}'s outputs {@code d0 … d0 + 3}: 4 × 2 vectors, so that θ and the
     * loads fit beside the accumulators in AVX2's 16 registers.
     */
    static void multiplyThresholded4(float[] wt, int d, int d0, int rows, float[] xp, int[] src, float[] theta, int q0, int width,
            float[] out) {
        int t = 0;
        for (; t + 2 * L <= width; t += 2 * L) {
            FloatVector c00 = FloatVector.zero(S), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00, c30 = c00, c31 = c00;
            for (int r = 0; r < rows; r++) {
                int at = src[r] + q0 + t, wr = r * d + d0;
                FloatVector threshold = FloatVector.broadcast(S, theta[r]);
                FloatVector x0 = FloatVector.fromArray(S, xp, at).max(threshold);
                FloatVector x1 = FloatVector.fromArray(S, xp, at + L).max(threshold);
                FloatVector v = FloatVector.broadcast(S, wt[wr]);
                c00 = x0.fma(v, c00);
                c01 = x1.fma(v, c01);
                v = FloatVector.broadcast(S, wt[wr + 1]);
                c10 = x0.fma(v, c10);
                c11 = x1.fma(v, c11);
                v = FloatVector.broadcast(S, wt[wr + 2]);
                c20 = x0.fma(v, c20);
                c21 = x1.fma(v, c21);
                v = FloatVector.broadcast(S, wt[wr + 3]);
                c30 = x0.fma(v, c30);
                c31 = x1.fma(v, c31);
            }
            int o = d0 * width + t;
            c00.intoArray(out, o);
            c01.intoArray(out, o + L);
            c10.intoArray(out, o + width);
            c11.intoArray(out, o + width + L);
            c20.intoArray(out, o + 2 * width);
            c21.intoArray(out, o + 2 * width + L);
            c30.intoArray(out, o + 3 * width);
            c31.intoArray(out, o + 3 * width + L);
        }
        for (; t < width; t += L) {
            FloatVector c0 = FloatVector.zero(S), c1 = c0, c2 = c0, c3 = c0;
            for (int r = 0; r < rows; r++) {
                int wr = r * d + d0;
                FloatVector v = FloatVector.fromArray(S, xp, src[r] + q0 + t).max(FloatVector.broadcast(S, theta[r]));
                c0 = v.fma(FloatVector.broadcast(S, wt[wr]), c0);
                c1 = v.fma(FloatVector.broadcast(S, wt[wr + 1]), c1);
                c2 = v.fma(FloatVector.broadcast(S, wt[wr + 2]), c2);
                c3 = v.fma(FloatVector.broadcast(S, wt[wr + 3]), c3);
            }
            int o = d0 * width + t;
            c0.intoArray(out, o);
            c1.intoArray(out, o + width);
            c2.intoArray(out, o + 2 * width);
            c3.intoArray(out, o + 3 * width);
        }
    }

    /**
     * {@link #multiplyThresholded} for a padded input already thresholded ({@link ConvReluLayout#thresholdByChannel}):
     * {@code out[d, t] = Σ_r wt[r, d] · xp[src[r] + q0 + t]}.
     */
    static void multiplyPadded(float[] wt, int d, int rows, float[] xp, int[] src, int q0, int width, float[] out) {
        int d0 = 0;
        for (; EIGHT_ROW_BLOCKS && d0 + 12 <= d; d0 += 12) {
            multiplyPadded12(wt, d, d0, rows, xp, src, q0, width, out);
        }
        for (int end = d0 + VectorGemm.blocksOfSix(d - d0) * 6; d0 < end; d0 += 6) {
            multiplyPadded6(wt, d, d0, rows, xp, src, q0, width, out);
        }
        for (; d0 + 4 <= d; d0 += 4) {
            multiplyPadded4(wt, d, d0, rows, xp, src, q0, width, out);
        }
        for (; d0 < d; d0++) {
            multiplyPadded1(wt, d, d0, rows, xp, src, q0, width, out);
        }
    }

    /** {@link #multiplyPadded}'s outputs {@code d0 … d0 + 11}: 24 accumulators, each input vector read once for 12 outputs. */
    static void multiplyPadded12(float[] wt, int d, int d0, int rows, float[] xp, int[] src, int q0, int width, float[] out) {
        int t = 0;
        for (; t + 2 * L <= width; t += 2 * L) {
            FloatVector c00 = FloatVector.zero(S), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00, c30 = c00, c31 = c00;
            FloatVector c40 = c00, c41 = c00, c50 = c00, c51 = c00, c60 = c00, c61 = c00, c70 = c00, c71 = c00;
            FloatVector c80 = c00, c81 = c00, c90 = c00, c91 = c00, ca0 = c00, ca1 = c00, cb0 = c00, cb1 = c00;
            for (int r = 0; r < rows; r++) {
                int at = src[r] + q0 + t, wr = r * d + d0;
                FloatVector x0 = FloatVector.fromArray(S, xp, at);
                FloatVector x1 = FloatVector.fromArray(S, xp, at + L);
                FloatVector v0 = FloatVector.broadcast(S, wt[wr + 0]);
                c00 = x0.fma(v0, c00);
                c01 = x1.fma(v0, c01);
                FloatVector v1 = FloatVector.broadcast(S, wt[wr + 1]);
                c10 = x0.fma(v1, c10);
                c11 = x1.fma(v1, c11);
                FloatVector v2 = FloatVector.broadcast(S, wt[wr + 2]);
                c20 = x0.fma(v2, c20);
                c21 = x1.fma(v2, c21);
                FloatVector v3 = FloatVector.broadcast(S, wt[wr + 3]);
                c30 = x0.fma(v3, c30);
                c31 = x1.fma(v3, c31);
                FloatVector v4 = FloatVector.broadcast(S, wt[wr + 4]);
                c40 = x0.fma(v4, c40);
                c41 = x1.fma(v4, c41);
                FloatVector v5 = FloatVector.broadcast(S, wt[wr + 5]);
                c50 = x0.fma(v5, c50);
                c51 = x1.fma(v5, c51);
                FloatVector v6 = FloatVector.broadcast(S, wt[wr + 6]);
                c60 = x0.fma(v6, c60);
                c61 = x1.fma(v6, c61);
                FloatVector v7 = FloatVector.broadcast(S, wt[wr + 7]);
                c70 = x0.fma(v7, c70);
                c71 = x1.fma(v7, c71);
                FloatVector v8 = FloatVector.broadcast(S, wt[wr + 8]);
                c80 = x0.fma(v8, c80);
                c81 = x1.fma(v8, c81);
                FloatVector v9 = FloatVector.broadcast(S, wt[wr + 9]);
                c90 = x0.fma(v9, c90);
                c91 = x1.fma(v9, c91);
                FloatVector va = FloatVector.broadcast(S, wt[wr + 10]);
                ca0 = x0.fma(va, ca0);
                ca1 = x1.fma(va, ca1);
                FloatVector vb = FloatVector.broadcast(S, wt[wr + 11]);
                cb0 = x0.fma(vb, cb0);
                cb1 = x1.fma(vb, cb1);
            }
            int o = d0 * width + t;
            c00.intoArray(out, o);
            c01.intoArray(out, o + L);
            c10.intoArray(out, o + width);
            c11.intoArray(out, o + width + L);
            c20.intoArray(out, o + 2 * width);
            c21.intoArray(out, o + 2 * width + L);
            c30.intoArray(out, o + 3 * width);
            c31.intoArray(out, o + 3 * width + L);
            c40.intoArray(out, o + 4 * width);
            c41.intoArray(out, o + 4 * width + L);
            c50.intoArray(out, o + 5 * width);
            c51.intoArray(out, o + 5 * width + L);
            c60.intoArray(out, o + 6 * width);
            c61.intoArray(out, o + 6 * width + L);
            c70.intoArray(out, o + 7 * width);
            c71.intoArray(out, o + 7 * width + L);
            c80.intoArray(out, o + 8 * width);
            c81.intoArray(out, o + 8 * width + L);
            c90.intoArray(out, o + 9 * width);
            c91.intoArray(out, o + 9 * width + L);
            ca0.intoArray(out, o + 10 * width);
            ca1.intoArray(out, o + 10 * width + L);
            cb0.intoArray(out, o + 11 * width);
            cb1.intoArray(out, o + 11 * width + L);
        }
        for (; t < width; t += L) {
            FloatVector c0 = FloatVector.zero(S), c1 = c0, c2 = c0, c3 = c0, c4 = c0, c5 = c0;
            FloatVector c6 = c0, c7 = c0, c8 = c0, c9 = c0, ca = c0, cb = c0;
            for (int r = 0; r < rows; r++) {
                int wr = r * d + d0;
                FloatVector v = FloatVector.fromArray(S, xp, src[r] + q0 + t);
                c0 = v.fma(FloatVector.broadcast(S, wt[wr + 0]), c0);
                c1 = v.fma(FloatVector.broadcast(S, wt[wr + 1]), c1);
                c2 = v.fma(FloatVector.broadcast(S, wt[wr + 2]), c2);
                c3 = v.fma(FloatVector.broadcast(S, wt[wr + 3]), c3);
                c4 = v.fma(FloatVector.broadcast(S, wt[wr + 4]), c4);
                c5 = v.fma(FloatVector.broadcast(S, wt[wr + 5]), c5);
                c6 = v.fma(FloatVector.broadcast(S, wt[wr + 6]), c6);
                c7 = v.fma(FloatVector.broadcast(S, wt[wr + 7]), c7);
                c8 = v.fma(FloatVector.broadcast(S, wt[wr + 8]), c8);
                c9 = v.fma(FloatVector.broadcast(S, wt[wr + 9]), c9);
                ca = v.fma(FloatVector.broadcast(S, wt[wr + 10]), ca);
                cb = v.fma(FloatVector.broadcast(S, wt[wr + 11]), cb);
            }
            int o = d0 * width + t;
            c0.intoArray(out, o);
            c1.intoArray(out, o + width);
            c2.intoArray(out, o + 2 * width);
            c3.intoArray(out, o + 3 * width);
            c4.intoArray(out, o + 4 * width);
            c5.intoArray(out, o + 5 * width);
            c6.intoArray(out, o + 6 * width);
            c7.intoArray(out, o + 7 * width);
            c8.intoArray(out, o + 8 * width);
            c9.intoArray(out, o + 9 * width);
            ca.intoArray(out, o + 10 * width);
            cb.intoArray(out, o + 11 * width);
        }
    }

    /** {@link #multiplyThresholded}'s outputs {@code d0 … d0 + 11}: two maxima per 24 FMAs rather than per 12. */
    static void multiplyThresholded12(float[] wt, int d, int d0, int rows, float[] xp, int[] src, float[] theta, int q0,
            int width, float[] out) {
        int t = 0;
        for (; t + 2 * L <= width; t += 2 * L) {
            FloatVector c00 = FloatVector.zero(S), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00, c30 = c00, c31 = c00;
            FloatVector c40 = c00, c41 = c00, c50 = c00, c51 = c00, c60 = c00, c61 = c00, c70 = c00, c71 = c00;
            FloatVector c80 = c00, c81 = c00, c90 = c00, c91 = c00, ca0 = c00, ca1 = c00, cb0 = c00, cb1 = c00;
            for (int r = 0; r < rows; r++) {
                int at = src[r] + q0 + t, wr = r * d + d0;
                FloatVector threshold = FloatVector.broadcast(S, theta[r]);
                FloatVector x0 = FloatVector.fromArray(S, xp, at).max(threshold);
                FloatVector x1 = FloatVector.fromArray(S, xp, at + L).max(threshold);
                FloatVector v0 = FloatVector.broadcast(S, wt[wr + 0]);
                c00 = x0.fma(v0, c00);
                c01 = x1.fma(v0, c01);
                FloatVector v1 = FloatVector.broadcast(S, wt[wr + 1]);
                c10 = x0.fma(v1, c10);
                c11 = x1.fma(v1, c11);
                FloatVector v2 = FloatVector.broadcast(S, wt[wr + 2]);
                c20 = x0.fma(v2, c20);
                c21 = x1.fma(v2, c21);
                FloatVector v3 = FloatVector.broadcast(S, wt[wr + 3]);
                c30 = x0.fma(v3, c30);
                c31 = x1.fma(v3, c31);
                FloatVector v4 = FloatVector.broadcast(S, wt[wr + 4]);
                c40 = x0.fma(v4, c40);
                c41 = x1.fma(v4, c41);
                FloatVector v5 = FloatVector.broadcast(S, wt[wr + 5]);
                c50 = x0.fma(v5, c50);
                c51 = x1.fma(v5, c51);
                FloatVector v6 = FloatVector.broadcast(S, wt[wr + 6]);
                c60 = x0.fma(v6, c60);
                c61 = x1.fma(v6, c61);
                FloatVector v7 = FloatVector.broadcast(S, wt[wr + 7]);
                c70 = x0.fma(v7, c70);
                c71 = x1.fma(v7, c71);
                FloatVector v8 = FloatVector.broadcast(S, wt[wr + 8]);
                c80 = x0.fma(v8, c80);
                c81 = x1.fma(v8, c81);
                FloatVector v9 = FloatVector.broadcast(S, wt[wr + 9]);
                c90 = x0.fma(v9, c90);
                c91 = x1.fma(v9, c91);
                FloatVector va = FloatVector.broadcast(S, wt[wr + 10]);
                ca0 = x0.fma(va, ca0);
                ca1 = x1.fma(va, ca1);
                FloatVector vb = FloatVector.broadcast(S, wt[wr + 11]);
                cb0 = x0.fma(vb, cb0);
                cb1 = x1.fma(vb, cb1);
            }
            int o = d0 * width + t;
            c00.intoArray(out, o);
            c01.intoArray(out, o + L);
            c10.intoArray(out, o + width);
            c11.intoArray(out, o + width + L);
            c20.intoArray(out, o + 2 * width);
            c21.intoArray(out, o + 2 * width + L);
            c30.intoArray(out, o + 3 * width);
            c31.intoArray(out, o + 3 * width + L);
            c40.intoArray(out, o + 4 * width);
            c41.intoArray(out, o + 4 * width + L);
            c50.intoArray(out, o + 5 * width);
            c51.intoArray(out, o + 5 * width + L);
            c60.intoArray(out, o + 6 * width);
            c61.intoArray(out, o + 6 * width + L);
            c70.intoArray(out, o + 7 * width);
            c71.intoArray(out, o + 7 * width + L);
            c80.intoArray(out, o + 8 * width);
            c81.intoArray(out, o + 8 * width + L);
            c90.intoArray(out, o + 9 * width);
            c91.intoArray(out, o + 9 * width + L);
            ca0.intoArray(out, o + 10 * width);
            ca1.intoArray(out, o + 10 * width + L);
            cb0.intoArray(out, o + 11 * width);
            cb1.intoArray(out, o + 11 * width + L);
        }
        for (; t < width; t += L) {
            FloatVector c0 = FloatVector.zero(S), c1 = c0, c2 = c0, c3 = c0, c4 = c0, c5 = c0;
            FloatVector c6 = c0, c7 = c0, c8 = c0, c9 = c0, ca = c0, cb = c0;
            for (int r = 0; r < rows; r++) {
                int wr = r * d + d0;
                FloatVector v = FloatVector.fromArray(S, xp, src[r] + q0 + t).max(FloatVector.broadcast(S, theta[r]));
                c0 = v.fma(FloatVector.broadcast(S, wt[wr + 0]), c0);
                c1 = v.fma(FloatVector.broadcast(S, wt[wr + 1]), c1);
                c2 = v.fma(FloatVector.broadcast(S, wt[wr + 2]), c2);
                c3 = v.fma(FloatVector.broadcast(S, wt[wr + 3]), c3);
                c4 = v.fma(FloatVector.broadcast(S, wt[wr + 4]), c4);
                c5 = v.fma(FloatVector.broadcast(S, wt[wr + 5]), c5);
                c6 = v.fma(FloatVector.broadcast(S, wt[wr + 6]), c6);
                c7 = v.fma(FloatVector.broadcast(S, wt[wr + 7]), c7);
                c8 = v.fma(FloatVector.broadcast(S, wt[wr + 8]), c8);
                c9 = v.fma(FloatVector.broadcast(S, wt[wr + 9]), c9);
                ca = v.fma(FloatVector.broadcast(S, wt[wr + 10]), ca);
                cb = v.fma(FloatVector.broadcast(S, wt[wr + 11]), cb);
            }
            int o = d0 * width + t;
            c0.intoArray(out, o);
            c1.intoArray(out, o + width);
            c2.intoArray(out, o + 2 * width);
            c3.intoArray(out, o + 3 * width);
            c4.intoArray(out, o + 4 * width);
            c5.intoArray(out, o + 5 * width);
            c6.intoArray(out, o + 6 * width);
            c7.intoArray(out, o + 7 * width);
            c8.intoArray(out, o + 8 * width);
            c9.intoArray(out, o + 9 * width);
            ca.intoArray(out, o + 10 * width);
            cb.intoArray(out, o + 11 * width);
        }
    }

    /** {@link #multiplyPadded}'s outputs {@code d0 … d0 + 5}. */
    static void multiplyPadded6(float[] wt, int d, int d0, int rows, float[] xp, int[] src, int q0, int width, float[] out) {
        int t = 0;
        for (; t + 2 * L <= width; t += 2 * L) {
            FloatVector c00 = FloatVector.zero(S), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00;
            FloatVector c30 = c00, c31 = c00, c40 = c00, c41 = c00, c50 = c00, c51 = c00;
            for (int r = 0; r < rows; r++) {
                int at = src[r] + q0 + t, wr = r * d + d0;
                FloatVector x0 = FloatVector.fromArray(S, xp, at);
                FloatVector x1 = FloatVector.fromArray(S, xp, at + L);
                FloatVector v = FloatVector.broadcast(S, wt[wr]);
                c00 = x0.fma(v, c00);
                c01 = x1.fma(v, c01);
                v = FloatVector.broadcast(S, wt[wr + 1]);
                c10 = x0.fma(v, c10);
                c11 = x1.fma(v, c11);
                v = FloatVector.broadcast(S, wt[wr + 2]);
                c20 = x0.fma(v, c20);
                c21 = x1.fma(v, c21);
                v = FloatVector.broadcast(S, wt[wr + 3]);
                c30 = x0.fma(v, c30);
                c31 = x1.fma(v, c31);
                v = FloatVector.broadcast(S, wt[wr + 4]);
                c40 = x0.fma(v, c40);
                c41 = x1.fma(v, c41);
                v = FloatVector.broadcast(S, wt[wr + 5]);
                c50 = x0.fma(v, c50);
                c51 = x1.fma(v, c51);
            }
            int o = d0 * width + t;
            c00.intoArray(out, o);
            c01.intoArray(out, o + L);
            c10.intoArray(out, o + width);
            c11.intoArray(out, o + width + L);
            c20.intoArray(out, o + 2 * width);
            c21.intoArray(out, o + 2 * width + L);
            c30.intoArray(out, o + 3 * width);
            c31.intoArray(out, o + 3 * width + L);
            c40.intoArray(out, o + 4 * width);
            c41.intoArray(out, o + 4 * width + L);
            c50.intoArray(out, o + 5 * width);
            c51.intoArray(out, o + 5 * width + L);
        }
        for (; t < width; t += L) {
            FloatVector c0 = FloatVector.zero(S), c1 = c0, c2 = c0, c3 = c0, c4 = c0, c5 = c0;
            for (int r = 0; r < rows; r++) {
                int wr = r * d + d0;
                FloatVector v = FloatVector.fromArray(S, xp, src[r] + q0 + t);
                c0 = v.fma(FloatVector.broadcast(S, wt[wr]), c0);
                c1 = v.fma(FloatVector.broadcast(S, wt[wr + 1]), c1);
                c2 = v.fma(FloatVector.broadcast(S, wt[wr + 2]), c2);
                c3 = v.fma(FloatVector.broadcast(S, wt[wr + 3]), c3);
                c4 = v.fma(FloatVector.broadcast(S, wt[wr + 4]), c4);
                c5 = v.fma(FloatVector.broadcast(S, wt[wr + 5]), c5);
            }
            int o = d0 * width + t;
            c0.intoArray(out, o);
            c1.intoArray(out, o + width);
            c2.intoArray(out, o + 2 * width);
            c3.intoArray(out, o + 3 * width);
            c4.intoArray(out, o + 4 * width);
            c5.intoArray(out, o + 5 * width);
        }
    }

    /** {@link #multiplyPadded}'s outputs {@code d0 … d0 + 3}: 4 × 3 vectors, 12 accumulators. */
    static void multiplyPadded4(float[] wt, int d, int d0, int rows, float[] xp, int[] src, int q0, int width, float[] out) {
        int t = 0;
        for (; t + 3 * L <= width; t += 3 * L) {
            FloatVector c00 = FloatVector.zero(S), c01 = c00, c02 = c00, c10 = c00, c11 = c00, c12 = c00;
            FloatVector c20 = c00, c21 = c00, c22 = c00, c30 = c00, c31 = c00, c32 = c00;
            for (int r = 0; r < rows; r++) {
                int at = src[r] + q0 + t, wr = r * d + d0;
                FloatVector x0 = FloatVector.fromArray(S, xp, at);
                FloatVector x1 = FloatVector.fromArray(S, xp, at + L);
                FloatVector x2 = FloatVector.fromArray(S, xp, at + 2 * L);
                FloatVector v = FloatVector.broadcast(S, wt[wr]);
                c00 = x0.fma(v, c00);
                c01 = x1.fma(v, c01);
                c02 = x2.fma(v, c02);
                v = FloatVector.broadcast(S, wt[wr + 1]);
                c10 = x0.fma(v, c10);
                c11 = x1.fma(v, c11);
                c12 = x2.fma(v, c12);
                v = FloatVector.broadcast(S, wt[wr + 2]);
                c20 = x0.fma(v, c20);
                c21 = x1.fma(v, c21);
                c22 = x2.fma(v, c22);
                v = FloatVector.broadcast(S, wt[wr + 3]);
                c30 = x0.fma(v, c30);
                c31 = x1.fma(v, c31);
                c32 = x2.fma(v, c32);
            }
            int o = d0 * width + t;
            c00.intoArray(out, o);
            c01.intoArray(out, o + L);
            c02.intoArray(out, o + 2 * L);
            c10.intoArray(out, o + width);
            c11.intoArray(out, o + width + L);
            c12.intoArray(out, o + width + 2 * L);
            c20.intoArray(out, o + 2 * width);
            c21.intoArray(out, o + 2 * width + L);
            c22.intoArray(out, o + 2 * width + 2 * L);
            c30.intoArray(out, o + 3 * width);
            c31.intoArray(out, o + 3 * width + L);
            c32.intoArray(out, o + 3 * width + 2 * L);
        }
        for (; t < width; t += L) {
            FloatVector c0 = FloatVector.zero(S), c1 = c0, c2 = c0, c3 = c0;
            for (int r = 0; r < rows; r++) {
                int wr = r * d + d0;
                FloatVector v = FloatVector.fromArray(S, xp, src[r] + q0 + t);
                c0 = v.fma(FloatVector.broadcast(S, wt[wr]), c0);
                c1 = v.fma(FloatVector.broadcast(S, wt[wr + 1]), c1);
                c2 = v.fma(FloatVector.broadcast(S, wt[wr + 2]), c2);
                c3 = v.fma(FloatVector.broadcast(S, wt[wr + 3]), c3);
            }
            int o = d0 * width + t;
            c0.intoArray(out, o);
            c1.intoArray(out, o + width);
            c2.intoArray(out, o + 2 * width);
            c3.intoArray(out, o + 3 * width);
        }
    }

    /** {@link #multiplyPadded}'s output {@code d0}. */
    static void multiplyPadded1(float[] wt, int d, int d0, int rows, float[] xp, int[] src, int q0, int width, float[] out) {
        for (int t = 0; t < width; t += L) {
            FloatVector c0 = FloatVector.zero(S);
            for (int r = 0; r < rows; r++) {
                FloatVector v = FloatVector.fromArray(S, xp, src[r] + q0 + t);
                c0 = v.fma(FloatVector.broadcast(S, wt[r * d + d0]), c0);
            }
            c0.intoArray(out, d0 * width + t);
        }
    }
}
