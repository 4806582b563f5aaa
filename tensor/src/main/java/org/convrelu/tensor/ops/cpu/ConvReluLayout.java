package org.convrelu.tensor.ops.cpu;

import java.nio.FloatBuffer;
import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.convrelu.tensor.ops.cpu.DirectConvRelu.Plan;

/**
 * The layouts of {@link ConvReluForwardKernels} and {@link ConvReluBackwardKernels}: padding a group of samples into planes of whole
 * vectors and cropping gradients back, the patch rows' offsets and the flipped kernel, transposes,
 * and the per-channel threshold and mask passes used where one threshold serves a whole channel.
 */
final class ConvReluLayout {
    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    static final int L = S.length();

    private ConvReluLayout() {}

    /** {@code dWt[c·K + k, d] += dWk[k, d, c]} for {@code dWk [K, D, cPad]}. */
    static void addChannelLast(float[] dWk, Plan p, int cPad, float[] dWt) {
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
    static void zeroPaddingChannels(float[] xt, int c, int plane, int cPad) {
        for (int i = 0; c < cPad && i < plane; i++) {
            Arrays.fill(xt, i * cPad + c, (i + 1) * cPad, 0f);
        }
    }

    /** {@code sums[i] += Σ_lane lanes[i, lane]} for {@code lanes [count, L]}. */
    static void addLaneSums(float[] lanes, int count, float[] sums) {
        for (int i = 0; i < count; i++) {
            float sum = 0f;
            for (int lane = 0; lane < L; lane++) {
                sum += lanes[i * L + lane];
            }
            sums[i] += sum;
        }
    }

    /** {@code m[r, t] += c[r]} for {@code m [rows, columns]}. */
    static void addRowConstants(float[] m, int rows, int columns, float[] c) {
        for (int r = 0; r < rows; r++) {
            FloatVector v = FloatVector.broadcast(S, c[r]);
            for (int t = 0; t < columns; t += L) {
                FloatVector.fromArray(S, m, r * columns + t).add(v).intoArray(m, r * columns + t);
            }
        }
    }

    /** {@code sums[r] += Σ_t m[r, t]} for {@code m [rows, columns]}, columns a multiple of the vector length. */
    static void addRowSums(float[] m, int rows, int columns, float[] sums) {
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
    static int[] rowStarts(Plan p) {
        int[] src = new int[p.rows()];
        for (int r = 0; r < src.length; r++) {
            src[r] = r / p.kernelVolume() * p.planeLength() + p.shifts()[r % p.kernelVolume()];
        }
        return src;
    }

    /** The weights as the input gradient's GEMM takes them, {@code [C, D·K]}: {@code wt[c·K + k, d]} at {@code (c, d·K + k)}. */
    static float[] flippedWeights(float[] wt, Plan p) {
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
    static int[] flippedRowStarts(Plan p, int margin, int stride) {
        int k = p.kernelVolume();
        int[] starts = new int[p.d() * k];
        for (int r = 0; r < starts.length; r++) {
            starts[r] = r / k * stride + margin - p.shifts()[r % k];
        }
        return starts;
    }

    /** {@code framed[r, margin + q] = m[r, q]} for {@code m [rows, columns]}, zero elsewhere in {@code framed [rows, stride]}. */
    static void frame(float[] m, int rows, int columns, int margin, int stride, float[] framed) {
        for (int r = 0; r < rows; r++) {
            Arrays.fill(framed, r * stride, r * stride + margin, 0f);
            System.arraycopy(m, r * columns, framed, r * stride + margin, columns);
            Arrays.fill(framed, r * stride + margin + columns, (r + 1) * stride, 0f);
        }
    }

    /** Where sample {@code s} of a group has input row {@code i} in each channel's plane of {@code xp}. */
    static int inputRow(Plan p, int s, int i) {
        return s * p.sampleStride() + (i + p.padH()) * p.wp() + p.padW();
    }

    /**
     * {@code xp[c]} ← {@code x[n0 + s, c]} for the group's samples, framed by zeros. The samples are
     * copied out of native memory in one call and laid out from the heap: a call per row costs more
     * than its copy on small planes.
     */
    static void padInput(Plan p, FloatBuffer x, int n0, int samples, float[] staging, float[] xp) {
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
    static boolean unpadded(Plan p) {
        return p.padH() == 0 && p.padW() == 0 && p.wp() == p.w() && p.sampleStride() == p.h() * p.w() && p.oh() == p.h()
                && p.ow() == p.w();
    }

    /** {@code dx[n0 + s, c]} ← the inputs' positions of {@code dxp[c]}, gathered on the heap and copied out in one call. */
    static void cropInputGrad(Plan p, float[] dxp, int n0, int samples, float[] staging, FloatBuffer dx) {
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
    static void padOutputGrad(Plan p, FloatBuffer dy, int n0, int samples, float[] staging, float[] dyp) {
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
    static void storeOutput(Plan p, float[] yTile, int q0, int samples, float[] y) {
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

    /**
     * Whether the thresholds {@code [C·K]} are one per channel: equal (as floats compare, so −0 and
     * +0 are one) over each channel's K kernel positions.
     */
    static boolean onePerChannel(float[] theta, int kernelVolume) {
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
    static void thresholdByChannel(Plan p, float[] xp, float[] theta) {
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
    static void maskByChannel(Plan p, float[] xp, float[] theta, float[] dxp) {
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
