package org.convrelu.tensor.ops.cpu;

import java.nio.FloatBuffer;
import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.convrelu.tensor.memory.Scratch;
import org.convrelu.tensor.ops.cpu.DirectConvRelu.Plan;

/**
 * The backward loops of {@link DirectConvRelu}, one sample range per call, on
 * {@code jdk.incubator.vector}: the input, threshold and weight gradients, by the strategy
 * ({@link Backward}) chosen once per call. Its forward is {@link ConvReluForwardKernels}, the layout
 * both share {@link ConvReluLayout}, the GEMM under both {@link VectorGemm}. Loaded only where
 * {@link CpuKernels#available()} has found the module.
 *
 * <p>Names: {@code xp} one sample's zero-padded input {@code [C, planeLength]}; {@code b} a tile of
 * thresholded patches {@code [C·K, T]}; {@code dyp} the output gradient on the padded-width grid
 * {@code [D, qPad]}; {@code dxp} the padded input gradient. Micro-kernels hold a block of 4 rows ×
 * 3 vectors (or 4 × 3 dot products) in registers, 8 rows × 3 vectors (or 6 × 4 dot products) where
 * there are 32 vector registers.
 *
 * <p>With one threshold per input channel (a ReLU, or nothing, in front of the convolution) the
 * padded input is thresholded once per group, and the kernels read it without a max per patch: the
 * Vector API's max, exact for NaN and signed zeros, is a sequence of instructions, and two of them per
 * block of 12 FMAs cut a micro-kernel's rate by a third (measured on AVX-512).
 *
 * <p>Each block size of a micro-kernel is a method of its own, under 1,600 bytecodes: C1's tier-3
 * compile of a 1,800–2,900-bytecode kernel failed (out of virtual registers), and a method left at
 * tier 2 can run the Vector API's Java fallback, lane by lane, for the rest of the run.
 */
final class ConvReluBackwardKernels {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    /** Blocks of 8 rows × 3 vectors need 24 accumulators: only with 32 vector registers (AVX-512). */
    private static final boolean EIGHT_ROW_BLOCKS = S.vectorBitSize() >= 512;

    private ConvReluBackwardKernels() {}

    /** How the backward pass computes the input gradient. */
    enum InputGradient {
        /** Not asked for (the network's first layer): nor is dθ. */
        NONE,
        /** G = Wᵀ · dY per patch entry, each routed by its own θ: thresholds per kernel position (ConvReLU's). */
        ROUTED,
        /** A 1×1 window's patches are the input itself: its GEMM writes the summed gradient in place, masked after. */
        IN_PLACE,
        /** Summed over kernel positions: one GEMM of the flipped kernel over dY's shifted rows, masked after. */
        FLIPPED
    }

    /** How the backward pass computes the weight gradient. */
    enum WeightGradient {
        /** Outputs in whole vectors: a broadcast GEMM of the thresholded patch tile over dYᵀ. */
        WIDE_GEMM,
        /** A narrow 3×3-like window over at least a vector of channels, thresholds per channel: per kernel position, a GEMM of dY over the input laid out channel-last. */
        CHANNEL_LAST,
        /** Otherwise: dot products of the patches with dY, by lane. */
        DOT_PRODUCTS
    }

    /**
     * The backward pass's strategy for one call, chosen once from the shapes and the thresholds;
     * {@code thresholdFirst}: one threshold per channel, so the padded input is thresholded once, in
     * place, before the narrow weight gradient reads it.
     */
    record Backward(InputGradient input, WeightGradient weight, boolean thresholdFirst) {
        static Backward of(Plan p, boolean inputGradient, boolean thresholdGradient, float[] theta) {
            InputGradient input = !inputGradient ? InputGradient.NONE
                    : thresholdGradient ? InputGradient.ROUTED
                    : p.kernelVolume() == 1 ? InputGradient.IN_PLACE : InputGradient.FLIPPED;
            boolean wide = p.d() % L == 0;
            // the wide weight gradient's GEMM takes its patches as a tile, thresholded as they are laid out, instead
            boolean thresholdFirst = !wide && input != InputGradient.ROUTED && ConvReluLayout.onePerChannel(theta, p.kernelVolume());
            // Channel-last measured against the dot products: 0.89× at 3×3 48 → 12, 16×16; but a 1×1 kernel's work does
            // not pay for the transposition (60 → 30: 1.17×), nor does a vector of 16 channels with 3 in use (the stem:
            // 2.2×), nor a GEMM of fewer rows than its 8-row block (3×3 24 → 6: 1.38×)
            boolean channelLast = thresholdFirst && p.kernelVolume() > 1 && p.c() >= L && p.d() >= 8;
            WeightGradient weight = wide ? WeightGradient.WIDE_GEMM : channelLast ? WeightGradient.CHANNEL_LAST : WeightGradient.DOT_PRODUCTS;
            return new Backward(input, weight, thresholdFirst);
        }
    }

    /**
     * @param wt the weights transposed, {@code [C·K, D]}
     * @param dx the input gradient, or null where it is not asked for (then dθ is not either)
     * @param dWt this range's weight gradient, transposed, {@code [C·K, D]}, accumulated
     * @param dTheta this range's threshold gradient, accumulated; or null, with thresholds one per
     *        input channel: the input gradient is then summed over kernel positions and masked once
     */
    static void backward(Plan p, FloatBuffer x, float[] wt, float[] theta, FloatBuffer dy, FloatBuffer dx, float[] dWt,
            float[] dTheta, float[] dBias, int from, int to) {
        int rows = p.rows(), tile = p.tile(), d = p.d();
        Backward strategy = Backward.of(p, dx != null, dTheta != null, theta);
        boolean inputGradient = strategy.input() != InputGradient.NONE;
        boolean routeEach = strategy.input() == InputGradient.ROUTED;
        boolean inPlace = strategy.input() == InputGradient.IN_PLACE, flipped = strategy.input() == InputGradient.FLIPPED;
        boolean wideOutput = strategy.weight() == WeightGradient.WIDE_GEMM;
        boolean channelLast = strategy.weight() == WeightGradient.CHANNEL_LAST;
        boolean thresholdFirst = strategy.thresholdFirst();
        int margin = p.shifts()[p.kernelVolume() - 1], dyqStride = margin + p.planeLength();
        float[] dyq = flipped ? Scratch.floats(9, d * dyqStride) : null; // dY framed by the longest shift on both sides
        float[] wFlipped = flipped ? ConvReluLayout.flippedWeights(wt, p) : null;
        int[] dyqRows = flipped ? ConvReluLayout.flippedRowStarts(p, margin, dyqStride) : null;
        int[] src = ConvReluLayout.rowStarts(p);
        int planes = p.c() * p.planeLength();
        int cPad = (p.c() + L - 1) / L * L, kernelTile = p.kernelVolume() * d * cPad; // channel-last: channels in whole vectors
        float[] xp = Scratch.floats(0, planes);
        float[] b = wideOutput ? Scratch.floats(1, rows * tile) : null;
        float[] xt = channelLast ? Scratch.floats(1, p.planeLength() * cPad) : null;
        float[] g = routeEach ? Scratch.floats(2, rows * tile) : null;
        float[] dWkTile = channelLast ? Scratch.floats(2, kernelTile) : null;
        float[] dxp = inputGradient ? Scratch.floats(3, planes) : null;
        float[] dyp = Scratch.floats(4, d * p.qPad());
        float[] dyT = wideOutput ? Scratch.floats(5, p.qPad() * d) : null;
        float[] dWTile = wideOutput ? Scratch.floats(7, rows * d) : null;
        float[] thetaLanes = routeEach ? Scratch.floats(6, rows * L) : null;
        if (routeEach) {
            Arrays.fill(thetaLanes, 0, rows * L, 0f);
        }
        boolean dotProducts = strategy.weight() == WeightGradient.DOT_PRODUCTS;
        float[] dWLanes = dotProducts ? Scratch.floats(7, rows * d * L) : null; // [C·K, D, L]: dWᵀ's lane sums over the samples
        if (dWLanes != null) {
            Arrays.fill(dWLanes, 0, rows * d * L, 0f);
        }
        float[] dWk = channelLast ? new float[kernelTile] : null; // [K, D, C_pad]: dW by kernel position, summed over the samples
        if (channelLast) {
            ConvReluLayout.zeroPaddingChannels(xt, p.c(), p.planeLength(), cPad);
        }
        float[] staging = Scratch.floats(8, p.groupLength()); // a group's x, dy or dx
        for (int n0 = from; n0 < to; n0 += p.group()) {
            int samples = Math.min(p.group(), to - n0);
            ConvReluLayout.padOutputGrad(p, dy, n0, samples, staging, dyp);
            ConvReluLayout.padInput(p, x, n0, samples, staging, xp);
            if (thresholdFirst) {
                ConvReluLayout.thresholdByChannel(p, xp, theta);
            }
            ConvReluLayout.addRowSums(dyp, d, p.qPad(), dBias); // db[d] += Σ_q dy[n, d, q] (zero off the outputs)
            if (routeEach) {
                Arrays.fill(dxp, 0, planes, 0f);
            }
            if (flipped) {
                ConvReluLayout.frame(dyp, d, p.qPad(), margin, dyqStride, dyq);
                for (int p0 = 0; p0 < p.planeLength(); p0 += tile) { // dxp[C, p] = Σ_{d,k} W[d, C, k] · dY[d, p − shift_k]
                    VectorGemm.multiplyRows(wFlipped, p.c(), d * p.kernelVolume(), dyq, dyqRows, p0, Math.min(tile, p.planeLength() - p0), dxp, p0,
                            p.planeLength());
                }
            }
            if (wideOutput) {
                ConvReluLayout.transposeByEights(dyp, d, p.qPad(), dyT, d);
            }
            for (int q0 = 0; q0 < p.qPad(); q0 += tile) {
                if (inPlace) {
                    VectorGemm.multiply(wt, rows, d, dyp, p.qPad(), q0, tile, dxp, q0, p.planeLength()); // dxp[C, q0..q0+T] = Wᵀ[C, D] · dY
                } else if (routeEach) {
                    VectorGemm.multiply(wt, rows, d, dyp, p.qPad(), q0, tile, g, 0, tile); // g[C·K, T] = Wᵀ[C·K, D] · dY[D, q0..q0+T]
                    route(g, q0, tile, rows, xp, src, theta, dxp, thetaLanes);
                }
                if (wideOutput) { // dWᵀ[C·K, D] += b · dYᵀ[T, D], by the forward's GEMM into a tile's share
                    ConvReluForwardKernels.thresholdedTile(xp, src, theta, q0, rows, tile, b);
                    VectorGemm.multiply(b, rows, tile, dyT, d, q0 * d, d, dWTile, 0, d);
                    DirectConvRelu.addInto(dWt, dWTile);
                }
            }
            if (channelLast) { // dW[k][D, C] += dY[D, Q] · xt[Q shifted by k, C], by the forward's GEMM
                ConvReluLayout.transposeByEights(xp, p.c(), p.planeLength(), xt, cPad); // xt[i, c] = xp[c, i]: the input channel-last
                for (int k = 0; k < p.kernelVolume(); k++) {
                    VectorGemm.multiply(dyp, d, p.qPad(), xt, cPad, p.shifts()[k] * cPad, cPad, dWkTile, k * d * cPad, cPad);
                }
                DirectConvRelu.addInto(dWk, dWkTile);
            } else if (dotProducts) { // dWᵀ[C·K, D] += max(patches, θ) · dY[D, Q]ᵀ, by lane
                int firstRow = thresholdFirst && EIGHT_ROW_BLOCKS ? weightGradThresholded(xp, src, dyp, p.qPad(), d, rows, dWLanes) : 0;
                weightGrad(xp, src, theta, dyp, p.qPad(), d, rows, dWLanes, firstRow);
            }
            if (inputGradient && !routeEach) {
                ConvReluLayout.maskByChannel(p, xp, theta, dxp);
            }
            if (inputGradient) {
                ConvReluLayout.cropInputGrad(p, dxp, n0, samples, staging, dx);
            }
        }
        if (routeEach) {
            ConvReluLayout.addLaneSums(thetaLanes, rows, dTheta);
        }
        if (dWLanes != null) {
            ConvReluLayout.addLaneSums(dWLanes, rows * d, dWt);
        }
        if (dWk != null) {
            ConvReluLayout.addChannelLast(dWk, p, cPad, dWt);
        }
    }

    // ---- layout ---------------------------------------------------------------------------

    // ---- kernels --------------------------------------------------------------------------

    /**
     * {@link #weightGrad} for a padded input already thresholded ({@link ConvReluLayout#thresholdByChannel}):
     * {@code dWLanes[r, d, ·] += lanes of Σ_q dyp[d, q] · xp[src[r] + q]} in blocks of 6 rows × 4
     * output channels (24 accumulators, 4 gradient vectors and an input vector: 32 vector registers
     * needed), then single channels. Returns the first row it leaves to {@link #weightGrad}.
     */
    private static int weightGradThresholded(float[] xp, int[] src, float[] dyp, int qPad, int d, int rows, float[] dWLanes) {
        int r0 = 0;
        for (; r0 + 6 <= rows; r0 += 6) {
            int s0 = src[r0], s1 = src[r0 + 1], s2 = src[r0 + 2], s3 = src[r0 + 3], s4 = src[r0 + 4], s5 = src[r0 + 5];
            int dl = d * L; // from one row's lanes in dWLanes to the next row's
            int d0 = 0;
            for (; d0 + 4 <= d; d0 += 4) {
                dotProducts6x4(xp, s0, s1, s2, s3, s4, s5, dyp, qPad, d, r0, d0, dWLanes);
            }
            for (; d0 < d; d0++) {
                int g0 = d0 * qPad, o = (r0 * d + d0) * L;
                FloatVector a0 = FloatVector.fromArray(S, dWLanes, o), a1 = FloatVector.fromArray(S, dWLanes, o + dl);
                FloatVector a2 = FloatVector.fromArray(S, dWLanes, o + 2 * dl), a3 = FloatVector.fromArray(S, dWLanes, o + 3 * dl);
                FloatVector a4 = FloatVector.fromArray(S, dWLanes, o + 4 * dl), a5 = FloatVector.fromArray(S, dWLanes, o + 5 * dl);
                for (int q = 0; q < qPad; q += L) {
                    FloatVector e = FloatVector.fromArray(S, dyp, g0 + q);
                    a0 = FloatVector.fromArray(S, xp, s0 + q).fma(e, a0);
                    a1 = FloatVector.fromArray(S, xp, s1 + q).fma(e, a1);
                    a2 = FloatVector.fromArray(S, xp, s2 + q).fma(e, a2);
                    a3 = FloatVector.fromArray(S, xp, s3 + q).fma(e, a3);
                    a4 = FloatVector.fromArray(S, xp, s4 + q).fma(e, a4);
                    a5 = FloatVector.fromArray(S, xp, s5 + q).fma(e, a5);
                }
                a0.intoArray(dWLanes, o);
                a1.intoArray(dWLanes, o + dl);
                a2.intoArray(dWLanes, o + 2 * dl);
                a3.intoArray(dWLanes, o + 3 * dl);
                a4.intoArray(dWLanes, o + 4 * dl);
                a5.intoArray(dWLanes, o + 5 * dl);
            }
        }
        return r0;
    }

    /** {@link #weightGradThresholded}'s rows {@code r0 … r0 + 5}, starting at {@code s0 … s5}, × outputs {@code d0 … d0 + 3}. */
    private static void dotProducts6x4(float[] xp, int s0, int s1, int s2, int s3, int s4, int s5, float[] dyp, int qPad, int d, int r0,
            int d0, float[] dWLanes) {
        int dl = d * L; // from one row's lanes in dWLanes to the next row's

        int g0 = d0 * qPad, g1 = g0 + qPad, g2 = g1 + qPad, g3 = g2 + qPad;
        int o = (r0 * d + d0) * L;
        FloatVector a00 = FloatVector.fromArray(S, dWLanes, o);
        FloatVector a01 = FloatVector.fromArray(S, dWLanes, o + L);
        FloatVector a02 = FloatVector.fromArray(S, dWLanes, o + 2 * L);
        FloatVector a03 = FloatVector.fromArray(S, dWLanes, o + 3 * L);
        FloatVector a10 = FloatVector.fromArray(S, dWLanes, o + dl);
        FloatVector a11 = FloatVector.fromArray(S, dWLanes, o + dl + L);
        FloatVector a12 = FloatVector.fromArray(S, dWLanes, o + dl + 2 * L);
        FloatVector a13 = FloatVector.fromArray(S, dWLanes, o + dl + 3 * L);
        FloatVector a20 = FloatVector.fromArray(S, dWLanes, o + 2 * dl);
        FloatVector a21 = FloatVector.fromArray(S, dWLanes, o + 2 * dl + L);
        FloatVector a22 = FloatVector.fromArray(S, dWLanes, o + 2 * dl + 2 * L);
        FloatVector a23 = FloatVector.fromArray(S, dWLanes, o + 2 * dl + 3 * L);
        FloatVector a30 = FloatVector.fromArray(S, dWLanes, o + 3 * dl);
        FloatVector a31 = FloatVector.fromArray(S, dWLanes, o + 3 * dl + L);
        FloatVector a32 = FloatVector.fromArray(S, dWLanes, o + 3 * dl + 2 * L);
        FloatVector a33 = FloatVector.fromArray(S, dWLanes, o + 3 * dl + 3 * L);
        FloatVector a40 = FloatVector.fromArray(S, dWLanes, o + 4 * dl);
        FloatVector a41 = FloatVector.fromArray(S, dWLanes, o + 4 * dl + L);
        FloatVector a42 = FloatVector.fromArray(S, dWLanes, o + 4 * dl + 2 * L);
        FloatVector a43 = FloatVector.fromArray(S, dWLanes, o + 4 * dl + 3 * L);
        FloatVector a50 = FloatVector.fromArray(S, dWLanes, o + 5 * dl);
        FloatVector a51 = FloatVector.fromArray(S, dWLanes, o + 5 * dl + L);
        FloatVector a52 = FloatVector.fromArray(S, dWLanes, o + 5 * dl + 2 * L);
        FloatVector a53 = FloatVector.fromArray(S, dWLanes, o + 5 * dl + 3 * L);
        for (int q = 0; q < qPad; q += L) {
            FloatVector e0 = FloatVector.fromArray(S, dyp, g0 + q);
            FloatVector e1 = FloatVector.fromArray(S, dyp, g1 + q);
            FloatVector e2 = FloatVector.fromArray(S, dyp, g2 + q);
            FloatVector e3 = FloatVector.fromArray(S, dyp, g3 + q);
            FloatVector v = FloatVector.fromArray(S, xp, s0 + q);
            a00 = v.fma(e0, a00);
            a01 = v.fma(e1, a01);
            a02 = v.fma(e2, a02);
            a03 = v.fma(e3, a03);
            v = FloatVector.fromArray(S, xp, s1 + q);
            a10 = v.fma(e0, a10);
            a11 = v.fma(e1, a11);
            a12 = v.fma(e2, a12);
            a13 = v.fma(e3, a13);
            v = FloatVector.fromArray(S, xp, s2 + q);
            a20 = v.fma(e0, a20);
            a21 = v.fma(e1, a21);
            a22 = v.fma(e2, a22);
            a23 = v.fma(e3, a23);
            v = FloatVector.fromArray(S, xp, s3 + q);
            a30 = v.fma(e0, a30);
            a31 = v.fma(e1, a31);
            a32 = v.fma(e2, a32);
            a33 = v.fma(e3, a33);
            v = FloatVector.fromArray(S, xp, s4 + q);
            a40 = v.fma(e0, a40);
            a41 = v.fma(e1, a41);
            a42 = v.fma(e2, a42);
            a43 = v.fma(e3, a43);
            v = FloatVector.fromArray(S, xp, s5 + q);
            a50 = v.fma(e0, a50);
            a51 = v.fma(e1, a51);
            a52 = v.fma(e2, a52);
            a53 = v.fma(e3, a53);
        }
        a00.intoArray(dWLanes, o);
        a01.intoArray(dWLanes, o + L);
        a02.intoArray(dWLanes, o + 2 * L);
        a03.intoArray(dWLanes, o + 3 * L);
        a10.intoArray(dWLanes, o + dl);
        a11.intoArray(dWLanes, o + dl + L);
        a12.intoArray(dWLanes, o + dl + 2 * L);
        a13.intoArray(dWLanes, o + dl + 3 * L);
        a20.intoArray(dWLanes, o + 2 * dl);
        a21.intoArray(dWLanes, o + 2 * dl + L);
        a22.intoArray(dWLanes, o + 2 * dl + 2 * L);
        a23.intoArray(dWLanes, o + 2 * dl + 3 * L);
        a30.intoArray(dWLanes, o + 3 * dl);
        a31.intoArray(dWLanes, o + 3 * dl + L);
        a32.intoArray(dWLanes, o + 3 * dl + 2 * L);
        a33.intoArray(dWLanes, o + 3 * dl + 3 * L);
        a40.intoArray(dWLanes, o + 4 * dl);
        a41.intoArray(dWLanes, o + 4 * dl + L);
        a42.intoArray(dWLanes, o + 4 * dl + 2 * L);
        a43.intoArray(dWLanes, o + 4 * dl + 3 * L);
        a50.intoArray(dWLanes, o + 5 * dl);
        a51.intoArray(dWLanes, o + 5 * dl + L);
        a52.intoArray(dWLanes, o + 5 * dl + 2 * L);
        a53.intoArray(dWLanes, o + 5 * dl + 3 * L);
    }

    /**
     * {@code dWLanes[r, d, ·] += lanes of Σ_q dyp[d, q] · max(xp[src[r] + q], θ[r])} over one
     * group's whole grid, the thresholded patches recomputed on the fly: a block of 4 rows × 3
     * output channels of dot products stays in registers across the grid (4 × 6 measured slower on
     * AVX-512: 24 accumulators, 6 gradient vectors and 4 thresholds are more than 32 registers).
     * The dot products stay in lanes until the worker's last group, instead of being reduced once
     * per group and entry.
     */
    private static void weightGrad(float[] xp, int[] src, float[] theta, float[] dyp, int qPad, int d, int rows, float[] dWLanes,
            int firstRow) {
        int r0 = firstRow;
        for (; r0 + 4 <= rows; r0 += 4) {
            int s0 = src[r0], s1 = src[r0 + 1], s2 = src[r0 + 2], s3 = src[r0 + 3];
            FloatVector t0 = FloatVector.broadcast(S, theta[r0]), t1 = FloatVector.broadcast(S, theta[r0 + 1]);
            FloatVector t2 = FloatVector.broadcast(S, theta[r0 + 2]), t3 = FloatVector.broadcast(S, theta[r0 + 3]);
            int d0 = 0;
            for (; d0 + 3 <= d; d0 += 3) {
                int g0 = d0 * qPad, g1 = g0 + qPad, g2 = g1 + qPad;
                int o0 = (r0 * d + d0) * L, o1 = o0 + d * L, o2 = o1 + d * L, o3 = o2 + d * L; // the block's lanes in dWLanes
                FloatVector a00 = FloatVector.fromArray(S, dWLanes, o0), a01 = FloatVector.fromArray(S, dWLanes, o0 + L);
                FloatVector a02 = FloatVector.fromArray(S, dWLanes, o0 + 2 * L), a10 = FloatVector.fromArray(S, dWLanes, o1);
                FloatVector a11 = FloatVector.fromArray(S, dWLanes, o1 + L), a12 = FloatVector.fromArray(S, dWLanes, o1 + 2 * L);
                FloatVector a20 = FloatVector.fromArray(S, dWLanes, o2), a21 = FloatVector.fromArray(S, dWLanes, o2 + L);
                FloatVector a22 = FloatVector.fromArray(S, dWLanes, o2 + 2 * L), a30 = FloatVector.fromArray(S, dWLanes, o3);
                FloatVector a31 = FloatVector.fromArray(S, dWLanes, o3 + L), a32 = FloatVector.fromArray(S, dWLanes, o3 + 2 * L);
                for (int q = 0; q < qPad; q += L) {
                    FloatVector e0 = FloatVector.fromArray(S, dyp, g0 + q);
                    FloatVector e1 = FloatVector.fromArray(S, dyp, g1 + q);
                    FloatVector e2 = FloatVector.fromArray(S, dyp, g2 + q);
                    FloatVector v = FloatVector.fromArray(S, xp, s0 + q).max(t0);
                    a00 = v.fma(e0, a00);
                    a01 = v.fma(e1, a01);
                    a02 = v.fma(e2, a02);
                    v = FloatVector.fromArray(S, xp, s1 + q).max(t1);
                    a10 = v.fma(e0, a10);
                    a11 = v.fma(e1, a11);
                    a12 = v.fma(e2, a12);
                    v = FloatVector.fromArray(S, xp, s2 + q).max(t2);
                    a20 = v.fma(e0, a20);
                    a21 = v.fma(e1, a21);
                    a22 = v.fma(e2, a22);
                    v = FloatVector.fromArray(S, xp, s3 + q).max(t3);
                    a30 = v.fma(e0, a30);
                    a31 = v.fma(e1, a31);
                    a32 = v.fma(e2, a32);
                }
                a00.intoArray(dWLanes, o0);
                a01.intoArray(dWLanes, o0 + L);
                a02.intoArray(dWLanes, o0 + 2 * L);
                a10.intoArray(dWLanes, o1);
                a11.intoArray(dWLanes, o1 + L);
                a12.intoArray(dWLanes, o1 + 2 * L);
                a20.intoArray(dWLanes, o2);
                a21.intoArray(dWLanes, o2 + L);
                a22.intoArray(dWLanes, o2 + 2 * L);
                a30.intoArray(dWLanes, o3);
                a31.intoArray(dWLanes, o3 + L);
                a32.intoArray(dWLanes, o3 + 2 * L);
            }
            for (; d0 < d; d0++) {
                int g0 = d0 * qPad;
                int o = (r0 * d + d0) * L, dl = d * L;
                FloatVector a0 = FloatVector.fromArray(S, dWLanes, o), a1 = FloatVector.fromArray(S, dWLanes, o + dl);
                FloatVector a2 = FloatVector.fromArray(S, dWLanes, o + 2 * dl), a3 = FloatVector.fromArray(S, dWLanes, o + 3 * dl);
                for (int q = 0; q < qPad; q += L) {
                    FloatVector e = FloatVector.fromArray(S, dyp, g0 + q);
                    a0 = FloatVector.fromArray(S, xp, s0 + q).max(t0).fma(e, a0);
                    a1 = FloatVector.fromArray(S, xp, s1 + q).max(t1).fma(e, a1);
                    a2 = FloatVector.fromArray(S, xp, s2 + q).max(t2).fma(e, a2);
                    a3 = FloatVector.fromArray(S, xp, s3 + q).max(t3).fma(e, a3);
                }
                a0.intoArray(dWLanes, o);
                a1.intoArray(dWLanes, o + dl);
                a2.intoArray(dWLanes, o + 2 * dl);
                a3.intoArray(dWLanes, o + 3 * dl);
            }
        }
        for (; r0 < rows; r0++) {
            FloatVector t0 = FloatVector.broadcast(S, theta[r0]);
            for (int d0 = 0; d0 < d; d0++) {
                int g0 = d0 * qPad, o = (r0 * d + d0) * L;
                FloatVector a = FloatVector.fromArray(S, dWLanes, o);
                for (int q = 0; q < qPad; q += L) {
                    a = FloatVector.fromArray(S, xp, src[r0] + q).max(t0).fma(FloatVector.fromArray(S, dyp, g0 + q), a);
                }
                a.intoArray(dWLanes, o);
            }
        }
    }

    /**
     * Routes the gradient {@code g[C·K, T]} of a tile's thresholded patches per entry (eq. 5-6):
     * where the input it read exceeds θ[r] it is added to that input's gradient in {@code dxp};
     * elsewhere (ties too) to the threshold's lane sums {@code thetaLanes[r]}.
     */
    private static void route(float[] g, int q0, int tile, int rows, float[] xp, int[] src, float[] theta, float[] dxp,
            float[] thetaLanes) {
        for (int r = 0; r < rows; r++) {
            int at = src[r] + q0, o = r * tile;
            FloatVector threshold = FloatVector.broadcast(S, theta[r]);
            FloatVector toTheta = FloatVector.fromArray(S, thetaLanes, r * L);
            for (int t = 0; t < tile; t += L) {
                FloatVector gv = FloatVector.fromArray(S, g, o + t);
                VectorMask<Float> above = FloatVector.fromArray(S, xp, at + t).compare(VectorOperators.GT, threshold);
                FloatVector toInput = FloatVector.zero(S).blend(gv, above);
                FloatVector.fromArray(S, dxp, at + t).add(toInput).intoArray(dxp, at + t);
                toTheta = toTheta.add(gv.sub(toInput));
            }
            toTheta.intoArray(thetaLanes, r * L);
        }
    }

}
