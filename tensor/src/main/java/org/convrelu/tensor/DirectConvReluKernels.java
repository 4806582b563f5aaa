package org.convrelu.tensor;

import java.nio.FloatBuffer;
import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.convrelu.tensor.DirectConvRelu.Plan;

/**
 * The loops of {@link DirectConvRelu}, one sample range per call, on {@code jdk.incubator.vector}.
 * Loaded only where {@link CpuKernels#available()} has found the module.
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
final class DirectConvReluKernels {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    /** Blocks of 8 rows × 3 vectors need 24 accumulators: only with 32 vector registers (AVX-512). */
    private static final boolean EIGHT_ROW_BLOCKS = S.vectorBitSize() >= 512;

    private DirectConvReluKernels() {}

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
        boolean thresholdFirst = onePerChannel(theta, p.kernelVolume()); // once per input, not per patch and output block
        int[] src = rowStarts(p);
        boolean patchTile = !direct && !thresholdFirst; // thresholded patches laid out as a tile, for the wide GEMM
        float[] xp = Scratch.floats(0, p.c() * p.planeLength());
        float[] b = patchTile ? Scratch.floats(1, rows * tile) : null;
        float[] yTile = Scratch.floats(2, p.d() * tile);
        float[] staging = Scratch.floats(8, p.groupLength()); // a group's x, then its y
        int outputs = p.d() * p.oh() * p.ow();
        for (int n0 = from; n0 < to; n0 += p.group()) {
            int samples = Math.min(p.group(), to - n0);
            padInput(p, x, n0, samples, staging, xp);
            if (thresholdFirst) {
                thresholdByChannel(p, xp, theta);
            }
            for (int q0 = 0; q0 < p.qPad(); q0 += tile) {
                if (direct && thresholdFirst) {
                    multiplyPadded(wt, p.d(), rows, xp, src, q0, tile, yTile); // [D, T] = W · patches of max(x, θ)
                } else if (direct) {
                    multiplyThresholded(wt, p.d(), rows, xp, src, theta, q0, tile, yTile); // [D, T] = W · max(patches, θ)
                } else if (thresholdFirst) {
                    multiplyRows(w, p.d(), rows, xp, src, q0, tile, yTile, 0, tile); // [D, T] = W[D, C·K] · patches of max(x, θ)
                } else {
                    thresholdedTile(xp, src, theta, q0, rows, tile, b);
                    multiply(w, p.d(), rows, b, tile, 0, tile, yTile, 0, tile); // [D, T] = W[D, C·K] · b[C·K, T]
                }
                if (bias != null) {
                    addRowConstants(yTile, p.d(), tile, bias);
                }
                storeOutput(p, yTile, q0, samples, staging);
            }
            y.put(n0 * outputs, staging, 0, samples * outputs);
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
        boolean inputGradient = dx != null;
        boolean routeEach = inputGradient && dTheta != null; // per entry of G by its own θ, else summed and masked per input
        // Summed over kernel positions, the input gradient is a convolution of dY with the flipped kernel: one GEMM
        // over dY's shifted rows, masked after. A 1×1 window's patches are the input itself: G is that GEMM already.
        boolean summed = inputGradient && !routeEach, inPlace = summed && p.kernelVolume() == 1, flipped = summed && !inPlace;
        int margin = p.shifts()[p.kernelVolume() - 1], dyqStride = margin + p.planeLength();
        float[] dyq = flipped ? Scratch.floats(9, d * dyqStride) : null; // dY framed by the longest shift on both sides
        float[] wFlipped = flipped ? flippedWeights(wt, p) : null;
        int[] dyqRows = flipped ? flippedRowStarts(p, margin, dyqStride) : null;
        boolean wideOutput = d % L == 0; // dW as a broadcast GEMM over dYᵀ, else as dot products or channel-last
        // One threshold per channel (a ReLU, or nothing, in front): the padded input is thresholded once, in place
        // (the wide weight gradient's GEMM takes its patches as a tile, thresholded as they are laid out, instead)
        boolean thresholdFirst = !wideOutput && !routeEach && onePerChannel(theta, p.kernelVolume());
        // ... and the narrow weight gradient is a GEMM of dY over the input laid out channel-last, one per kernel
        // position. Measured against the dot products: 0.89× at 3×3 48 → 12, 16×16; but a 1×1 kernel's work does not
        // pay for the transposition (60 → 30: 1.17×), nor does a vector of 16 channels with 3 in use (the stem: 2.2×),
        // nor a GEMM of fewer rows than its 8-row block (3×3 24 → 6: 1.38×)
        boolean channelLast = thresholdFirst && p.kernelVolume() > 1 && p.c() >= L && d >= 8;
        int[] src = rowStarts(p);
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
        boolean dotProducts = !wideOutput && !channelLast;
        float[] dWLanes = dotProducts ? Scratch.floats(7, rows * d * L) : null; // [C·K, D, L]: dWᵀ's lane sums over the samples
        if (dWLanes != null) {
            Arrays.fill(dWLanes, 0, rows * d * L, 0f);
        }
        float[] dWk = channelLast ? new float[kernelTile] : null; // [K, D, C_pad]: dW by kernel position, summed over the samples
        if (channelLast) {
            zeroPaddingChannels(xt, p.c(), p.planeLength(), cPad);
        }
        float[] staging = Scratch.floats(8, p.groupLength()); // a group's x, dy or dx
        for (int n0 = from; n0 < to; n0 += p.group()) {
            int samples = Math.min(p.group(), to - n0);
            padOutputGrad(p, dy, n0, samples, staging, dyp);
            padInput(p, x, n0, samples, staging, xp);
            if (thresholdFirst) {
                thresholdByChannel(p, xp, theta);
            }
            addRowSums(dyp, d, p.qPad(), dBias); // db[d] += Σ_q dy[n, d, q] (zero off the outputs)
            if (routeEach) {
                Arrays.fill(dxp, 0, planes, 0f);
            }
            if (flipped) {
                frame(dyp, d, p.qPad(), margin, dyqStride, dyq);
                for (int p0 = 0; p0 < p.planeLength(); p0 += tile) { // dxp[C, p] = Σ_{d,k} W[d, C, k] · dY[d, p − shift_k]
                    multiplyRows(wFlipped, p.c(), d * p.kernelVolume(), dyq, dyqRows, p0, Math.min(tile, p.planeLength() - p0), dxp, p0,
                            p.planeLength());
                }
            }
            if (wideOutput) {
                transposeByEights(dyp, d, p.qPad(), dyT, d);
            }
            for (int q0 = 0; q0 < p.qPad(); q0 += tile) {
                if (inPlace) {
                    multiply(wt, rows, d, dyp, p.qPad(), q0, tile, dxp, q0, p.planeLength()); // dxp[C, q0..q0+T] = Wᵀ[C, D] · dY
                } else if (routeEach) {
                    multiply(wt, rows, d, dyp, p.qPad(), q0, tile, g, 0, tile); // g[C·K, T] = Wᵀ[C·K, D] · dY[D, q0..q0+T]
                    route(g, q0, tile, rows, xp, src, theta, dxp, thetaLanes);
                }
                if (wideOutput) { // dWᵀ[C·K, D] += b · dYᵀ[T, D], by the forward's GEMM into a tile's share
                    thresholdedTile(xp, src, theta, q0, rows, tile, b);
                    multiply(b, rows, tile, dyT, d, q0 * d, d, dWTile, 0, d);
                    DirectConvRelu.addInto(dWt, dWTile);
                }
            }
            if (channelLast) { // dW[k][D, C] += dY[D, Q] · xt[Q shifted by k, C], by the forward's GEMM
                transposeByEights(xp, p.c(), p.planeLength(), xt, cPad); // xt[i, c] = xp[c, i]: the input channel-last
                for (int k = 0; k < p.kernelVolume(); k++) {
                    multiply(dyp, d, p.qPad(), xt, cPad, p.shifts()[k] * cPad, cPad, dWkTile, k * d * cPad, cPad);
                }
                DirectConvRelu.addInto(dWk, dWkTile);
            } else if (dotProducts) { // dWᵀ[C·K, D] += max(patches, θ) · dY[D, Q]ᵀ, by lane
                int firstRow = thresholdFirst && EIGHT_ROW_BLOCKS ? weightGradThresholded(xp, src, dyp, p.qPad(), d, rows, dWLanes) : 0;
                weightGrad(xp, src, theta, dyp, p.qPad(), d, rows, dWLanes, firstRow);
            }
            if (inputGradient && !routeEach) {
                maskByChannel(p, xp, theta, dxp);
            }
            if (inputGradient) {
                cropInputGrad(p, dxp, n0, samples, staging, dx);
            }
        }
        if (routeEach) {
            addLaneSums(thetaLanes, rows, dTheta);
        }
        if (dWLanes != null) {
            addLaneSums(dWLanes, rows * d, dWt);
        }
        if (dWk != null) {
            addChannelLast(dWk, p, cPad, dWt);
        }
    }

    /** {@code dWt[c·K + k, d] += dWk[k, d, c]} for {@code dWk [K, D, cPad]}. */
    private static void addChannelLast(float[] dWk, Plan p, int cPad, float[] dWt) {
        int kernelVolume = p.kernelVolume(), d = p.d();
        for (int k = 0; k < kernelVolume; k++) {
            for (int o = 0; o < d; o++) {
                int from = (k * d + o) * cPad;
                for (int ch = 0; ch < p.c(); ch++) {
                    dWt[(ch * kernelVolume + k) * d + o] += dWk[from + ch];
                }
            }
        }
    }

    /**
     * {@code xt[i, c] = 0} for {@code C ≤ c < cPad}, once per call: the channel-last input's columns
     * past C, which {@link #transposeByEights} leaves as they are. The GEMM's columns past C are
     * dropped; the zeros keep a scratch array's stale values (a NaN, a subnormal) out of its lanes.
     */
    private static void zeroPaddingChannels(float[] xt, int c, int plane, int cPad) {
        for (int i = 0; c < cPad && i < plane; i++) {
            Arrays.fill(xt, i * cPad + c, (i + 1) * cPad, 0f);
        }
    }

    /** {@code sums[i] += Σ_lane lanes[i, lane]} for {@code lanes [count, L]}. */
    private static void addLaneSums(float[] lanes, int count, float[] sums) {
        for (int i = 0; i < count; i++) {
            float sum = 0f;
            for (int lane = 0; lane < L; lane++) {
                sum += lanes[i * L + lane];
            }
            sums[i] += sum;
        }
    }

    /** {@code m[r, t] += c[r]} for {@code m [rows, columns]}. */
    private static void addRowConstants(float[] m, int rows, int columns, float[] c) {
        for (int r = 0; r < rows; r++) {
            FloatVector v = FloatVector.broadcast(S, c[r]);
            for (int t = 0; t < columns; t += L) {
                FloatVector.fromArray(S, m, r * columns + t).add(v).intoArray(m, r * columns + t);
            }
        }
    }

    /** {@code sums[r] += Σ_t m[r, t]} for {@code m [rows, columns]}, columns a multiple of the vector length. */
    private static void addRowSums(float[] m, int rows, int columns, float[] sums) {
        for (int r = 0; r < rows; r++) {
            FloatVector acc = FloatVector.zero(S);
            for (int t = 0; t < columns; t += L) {
                acc = acc.add(FloatVector.fromArray(S, m, r * columns + t));
            }
            sums[r] += acc.reduceLanes(VectorOperators.ADD);
        }
    }

    /** {@code to[j, i] = from[i, j]} for {@code from [rows, columns]} ({@link #transposeByEights}). */
    static void transpose(float[] from, int rows, int columns, float[] to) {
        transposeByEights(from, rows, columns, to, rows);
    }

    /**
     * {@code to[j·ldTo + i] = from[i, j]} for {@code from [rows, columns]}: eight columns of a row read,
     * then stored down eight rows of {@code to}. Scalar: as fast here as a gather a vector at a time
     * (one core, 48 × 304 floats: 6.5 µs against 7.0), and no intrinsic to fall back from (a gather
     * compiled outside its caller runs lane by lane for the rest of the run).
     */
    static void transposeByEights(float[] from, int rows, int columns, float[] to, int ldTo) {
        int j0 = 0;
        for (; j0 + 8 <= columns; j0 += 8) {
            for (int i = 0; i < rows; i++) {
                int at = i * columns + j0, o = j0 * ldTo + i;
                float a0 = from[at], a1 = from[at + 1], a2 = from[at + 2], a3 = from[at + 3];
                float a4 = from[at + 4], a5 = from[at + 5], a6 = from[at + 6], a7 = from[at + 7];
                to[o] = a0;
                to[o + ldTo] = a1;
                to[o + 2 * ldTo] = a2;
                to[o + 3 * ldTo] = a3;
                to[o + 4 * ldTo] = a4;
                to[o + 5 * ldTo] = a5;
                to[o + 6 * ldTo] = a6;
                to[o + 7 * ldTo] = a7;
            }
        }
        for (; j0 < columns; j0++) {
            for (int i = 0; i < rows; i++) {
                to[j0 * ldTo + i] = from[i * columns + j0];
            }
        }
    }

    /** Where patch row {@code r = c·K + k} starts in {@code xp}: channel c's plane, shifted by kernel position k. */
    private static int[] rowStarts(Plan p) {
        int[] src = new int[p.rows()];
        for (int r = 0; r < src.length; r++) {
            src[r] = r / p.kernelVolume() * p.planeLength() + p.shifts()[r % p.kernelVolume()];
        }
        return src;
    }

    /** The weights as the input gradient's GEMM takes them, {@code [C, D·K]}: {@code wt[c·K + k, d]} at {@code (c, d·K + k)}. */
    private static float[] flippedWeights(float[] wt, Plan p) {
        int c = p.c(), d = p.d(), k = p.kernelVolume();
        float[] flipped = new float[wt.length];
        for (int ch = 0; ch < c; ch++) {
            for (int out = 0; out < d; out++) {
                for (int pos = 0; pos < k; pos++) {
                    flipped[(ch * d + out) * k + pos] = wt[(ch * k + pos) * d + out];
                }
            }
        }
        return flipped;
    }

    /**
     * Where row {@code d·K + k} of the input gradient's GEMM starts in the framed output gradient
     * {@code dyq [D, stride]}: output channel d, shifted back by kernel position k's shift.
     */
    private static int[] flippedRowStarts(Plan p, int margin, int stride) {
        int k = p.kernelVolume();
        int[] starts = new int[p.d() * k];
        for (int r = 0; r < starts.length; r++) {
            starts[r] = r / k * stride + margin - p.shifts()[r % k];
        }
        return starts;
    }

    /** {@code framed[r, margin + q] = m[r, q]} for {@code m [rows, columns]}, zero elsewhere in {@code framed [rows, stride]}. */
    private static void frame(float[] m, int rows, int columns, int margin, int stride, float[] framed) {
        for (int r = 0; r < rows; r++) {
            Arrays.fill(framed, r * stride, r * stride + margin, 0f);
            System.arraycopy(m, r * columns, framed, r * stride + margin, columns);
            Arrays.fill(framed, r * stride + margin + columns, (r + 1) * stride, 0f);
        }
    }

    // ---- layout ---------------------------------------------------------------------------

    /** Where sample {@code s} of a group has input row {@code i} in each channel's plane of {@code xp}. */
    private static int inputRow(Plan p, int s, int i) {
        return s * p.sampleStride() + (i + p.padH()) * p.wp() + p.padW();
    }

    /**
     * {@code xp[c]} ← {@code x[n0 + s, c]} for the group's samples, framed by zeros. The samples are
     * copied out of native memory in one call and laid out from the heap: a call per row costs more
     * than its copy on small planes.
     */
    private static void padInput(Plan p, FloatBuffer x, int n0, int samples, float[] staging, float[] xp) {
        int c = p.c(), h = p.h(), w = p.w(), plane = p.planeLength();
        x.get(n0 * c * h * w, staging, 0, samples * c * h * w);
        if (unpadded(p)) { // a sample's channel is one run of h·w inputs; only the grid's tail needs zeros
            for (int ch = 0; ch < c; ch++) {
                for (int s = 0; s < samples; s++) {
                    System.arraycopy(staging, (s * c + ch) * h * w, xp, ch * plane + s * h * w, h * w);
                }
                Arrays.fill(xp, ch * plane + samples * h * w, (ch + 1) * plane, 0f);
            }
            return;
        }
        Arrays.fill(xp, 0, c * plane, 0f);
        for (int s = 0; s < samples; s++) {
            for (int ch = 0; ch < c; ch++) {
                for (int i = 0; i < h; i++) {
                    System.arraycopy(staging, ((s * c + ch) * h + i) * w, xp, ch * plane + inputRow(p, s, i), w);
                }
            }
        }
    }

    /**
     * Whether the grid has no padding: each sample's plane of {@code h × w} inputs (and of as many
     * outputs) lies in one run, the samples side by side (1×1 convolutions without padding).
     */
    private static boolean unpadded(Plan p) {
        return p.padH() == 0 && p.padW() == 0 && p.wp() == p.w() && p.sampleStride() == p.h() * p.w() && p.oh() == p.h()
                && p.ow() == p.w();
    }

    /** {@code dx[n0 + s, c]} ← the inputs' positions of {@code dxp[c]}, gathered on the heap and copied out in one call. */
    private static void cropInputGrad(Plan p, float[] dxp, int n0, int samples, float[] staging, FloatBuffer dx) {
        int c = p.c(), h = p.h(), w = p.w(), plane = p.planeLength();
        boolean runs = unpadded(p);
        for (int s = 0; s < samples; s++) {
            for (int ch = 0; ch < c; ch++) {
                if (runs) {
                    System.arraycopy(dxp, ch * plane + s * h * w, staging, (s * c + ch) * h * w, h * w);
                    continue;
                }
                for (int i = 0; i < h; i++) {
                    System.arraycopy(dxp, ch * plane + inputRow(p, s, i), staging, ((s * c + ch) * h + i) * w, w);
                }
            }
        }
        dx.put(n0 * c * h * w, staging, 0, samples * c * h * w);
    }

    /** {@code dyp[d]} ← {@code dy[n0 + s, d]} on the group's padded-width grid, zero at the positions that are not outputs. */
    private static void padOutputGrad(Plan p, FloatBuffer dy, int n0, int samples, float[] staging, float[] dyp) {
        int d = p.d(), oh = p.oh(), ow = p.ow();
        dy.get(n0 * d * oh * ow, staging, 0, samples * d * oh * ow);
        if (unpadded(p)) {
            for (int k = 0; k < d; k++) {
                for (int s = 0; s < samples; s++) {
                    System.arraycopy(staging, (s * d + k) * oh * ow, dyp, k * p.qPad() + s * oh * ow, oh * ow);
                }
                Arrays.fill(dyp, k * p.qPad() + samples * oh * ow, (k + 1) * p.qPad(), 0f);
            }
            return;
        }
        Arrays.fill(dyp, 0, d * p.qPad(), 0f);
        for (int s = 0; s < samples; s++) {
            for (int k = 0; k < d; k++) {
                for (int i = 0; i < oh; i++) {
                    System.arraycopy(staging, ((s * d + k) * oh + i) * ow, dyp, k * p.qPad() + s * p.sampleStride() + i * p.wp(), ow);
                }
            }
        }
    }

    /**
     * Copies the outputs among a tile's grid positions {@code [q0, q0 + T)} into the group's
     * {@code y [samples, D, oh·ow]}: a grid row of sample {@code s} at {@code s·sampleStride + i·wp}
     * holds output row {@code i < oh} in its first {@code ow} positions.
     */
    private static void storeOutput(Plan p, float[] yTile, int q0, int samples, float[] y) {
        int tile = p.tile(), wp = p.wp(), stride = p.sampleStride(), oh = p.oh(), ow = p.ow(), d = p.d();
        int end = Math.min(q0 + tile, (samples - 1) * stride + oh * wp);
        if (unpadded(p)) { // a sample's outputs in one run
            for (int q = q0; q < end; ) {
                int s = q / stride, at = q % stride, runEnd = Math.min(end, q - at + stride);
                for (int k = 0; k < d; k++) {
                    System.arraycopy(yTile, k * tile + q - q0, y, (s * d + k) * stride + at, runEnd - q);
                }
                q = runEnd;
            }
            return;
        }
        for (int q = q0; q < end; ) {
            int s = q / stride, row = q % stride / wp, col = q % stride % wp;
            int rowEnd = Math.min(end, q - col + wp);
            int outputs = Math.min(rowEnd, q - col + ow) - q;
            for (int k = 0; row < oh && outputs > 0 && k < d; k++) {
                System.arraycopy(yTile, k * tile + q - q0, y, ((s * d + k) * oh + row) * ow + col, outputs);
            }
            q = rowEnd;
        }
    }

    // ---- kernels --------------------------------------------------------------------------

    /** {@code b[r, t] = max(xp[src[r] + q0 + t], θ[r])}: eq. 8's thresholded patches of one tile. */
    private static void thresholdedTile(float[] xp, int[] src, float[] theta, int q0, int rows, int tile, float[] b) {
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
     * then single channels. For narrow outputs, where a tile of patches would be written once and
     * read only a few times.
     */
    private static void multiplyThresholded(float[] wt, int d, int rows, float[] xp, int[] src, float[] theta, int q0, int width,
            float[] out) {
        int d0 = 0;
        for (; EIGHT_ROW_BLOCKS && d0 + 12 <= d; d0 += 12) {
            multiplyThresholded12(wt, d, d0, rows, xp, src, theta, q0, width, out);
        }
        for (; d0 + 6 <= d; d0 += 6) {
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
     * {@link #multiplyThresholded} for a padded input already thresholded ({@link #thresholdByChannel}):
     * {@code out[d, t] = Σ_r wt[r, d] · xp[src[r] + q0 + t]}.
     */
    private static void multiplyPadded(float[] wt, int d, int rows, float[] xp, int[] src, int q0, int width, float[] out) {
        int d0 = 0;
        for (; EIGHT_ROW_BLOCKS && d0 + 12 <= d; d0 += 12) {
            multiplyPadded12(wt, d, d0, rows, xp, src, q0, width, out);
        }
        for (; d0 + 6 <= d; d0 += 6) {
            multiplyPadded6(wt, d, d0, rows, xp, src, q0, width, out);
        }
        for (; d0 < d; d0++) {
            multiplyPadded1(wt, d, d0, rows, xp, src, q0, width, out);
        }
    }

    /** {@link #multiplyPadded}'s outputs {@code d0 … d0 + 11}: 24 accumulators, each input vector read once for 12 outputs. */
    private static void multiplyPadded12(float[] wt, int d, int d0, int rows, float[] xp, int[] src, int q0, int width, float[] out) {
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
    private static void multiplyThresholded12(float[] wt, int d, int d0, int rows, float[] xp, int[] src, float[] theta, int q0,
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
    private static void multiplyPadded6(float[] wt, int d, int d0, int rows, float[] xp, int[] src, int q0, int width, float[] out) {
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

    /** {@link #multiplyPadded}'s output {@code d0}. */
    private static void multiplyPadded1(float[] wt, int d, int d0, int rows, float[] xp, int[] src, int q0, int width, float[] out) {
        for (int t = 0; t < width; t += L) {
            FloatVector c0 = FloatVector.zero(S);
            for (int r = 0; r < rows; r++) {
                FloatVector v = FloatVector.fromArray(S, xp, src[r] + q0 + t);
                c0 = v.fma(FloatVector.broadcast(S, wt[r * d + d0]), c0);
            }
            c0.intoArray(out, d0 * width + t);
        }
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
        for (; i0 + 4 <= rows; i0 += 4) {
            multiply4(a, i0, inner, b, ldb, bOffset, width, out, outOffset, ldo);
        }
        for (; i0 + 1 <= rows; i0 += 1) {
            multiply1(a, i0, inner, b, ldb, bOffset, width, out, outOffset, ldo);
        }
    }

    /** {@link #multiply}'s rows {@code i0 … i0 + 7}. */
    private static void multiply8(float[] a, int i0, int inner, float[] b, int ldb, int bOffset, int width, float[] out,
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

    /** {@link #multiply}'s rows {@code i0 … i0 + 3}. */
    private static void multiply4(float[] a, int i0, int inner, float[] b, int ldb, int bOffset, int width, float[] out,
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
    private static void multiply1(float[] a, int i0, int inner, float[] b, int ldb, int bOffset, int width, float[] out,
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
    private static void multiplyRows(float[] a, int rows, int inner, float[] b, int[] bRows, int bOffset, int width, float[] out, int outOffset,
            int ldo) {
        int i0 = 0;
        for (; EIGHT_ROW_BLOCKS && i0 + 8 <= rows; i0 += 8) {
            multiplyRows8(a, i0, inner, b, bRows, bOffset, width, out, outOffset, ldo);
        }
        for (; i0 + 4 <= rows; i0 += 4) {
            multiplyRows4(a, i0, inner, b, bRows, bOffset, width, out, outOffset, ldo);
        }
        for (; i0 + 1 <= rows; i0 += 1) {
            multiplyRows1(a, i0, inner, b, bRows, bOffset, width, out, outOffset, ldo);
        }
    }

    /** {@link #multiplyRows}' rows {@code i0 … i0 + 7}. */
    private static void multiplyRows8(float[] a, int i0, int inner, float[] b, int[] bRows, int bOffset, int width, float[] out,
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

    /** {@link #multiplyRows}' rows {@code i0 … i0 + 3}. */
    private static void multiplyRows4(float[] a, int i0, int inner, float[] b, int[] bRows, int bOffset, int width, float[] out,
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
    private static void multiplyRows1(float[] a, int i0, int inner, float[] b, int[] bRows, int bOffset, int width, float[] out,
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

    /**
     * {@link #weightGrad} for a padded input already thresholded ({@link #thresholdByChannel}):
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

    /**
     * Whether the thresholds {@code [C·K]} are one per channel: equal (as floats compare, so −0 and
     * +0 are one) over each channel's K kernel positions.
     */
    private static boolean onePerChannel(float[] theta, int kernelVolume) {
        for (int r = 0; r < theta.length; r++) {
            if (theta[r] != theta[r - r % kernelVolume]) {
                return false;
            }
        }
        return true;
    }

    /**
     * {@code xp[c, i] = max(xp[c, i], θ_c)} for thresholds one per channel ({@code θ_c = theta[c·K]}):
     * the patches' thresholds applied once to the padded input, its zero frame included, as the
     * kernels apply them to every patch they read. It leaves {@code xp[c, i] > θ_c} as it was, so
     * {@link #maskByChannel} may follow.
     */
    private static void thresholdByChannel(Plan p, float[] xp, float[] theta) {
        int plane = p.planeLength(); // a multiple of the vector length
        for (int ch = 0; ch < p.c(); ch++) {
            float threshold = theta[ch * p.kernelVolume()];
            if (threshold == Float.NEGATIVE_INFINITY) {
                continue;
            }
            FloatVector tv = FloatVector.broadcast(S, threshold);
            for (int i = ch * plane; i < (ch + 1) * plane; i += L) {
                FloatVector.fromArray(S, xp, i).max(tv).intoArray(xp, i);
            }
        }
    }

    /**
     * {@code dxp[c, i] = 0} unless {@code xp[c, i] > θ_c} (ties stop too, eq. 6), for thresholds one per
     * channel ({@code θ_c = theta[c·K]}); a channel at {@code θ_c = −∞} passes everything and is skipped.
     */
    private static void maskByChannel(Plan p, float[] xp, float[] theta, float[] dxp) {
        int plane = p.planeLength(); // a multiple of the vector length
        for (int ch = 0; ch < p.c(); ch++) {
            float threshold = theta[ch * p.kernelVolume()];
            if (threshold == Float.NEGATIVE_INFINITY) {
                continue;
            }
            FloatVector tv = FloatVector.broadcast(S, threshold);
            for (int i = ch * plane; i < (ch + 1) * plane; i += L) {
                VectorMask<Float> above = FloatVector.fromArray(S, xp, i).compare(VectorOperators.GT, tv);
                FloatVector.zero(S).blend(FloatVector.fromArray(S, dxp, i), above).intoArray(dxp, i);
            }
        }
    }
}
