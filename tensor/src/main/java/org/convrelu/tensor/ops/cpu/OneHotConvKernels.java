package org.convrelu.tensor.ops.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/** The vector loops of {@link OneHotConv}, apart so that only JVMs with the Vector API load them ({@link CpuKernels#available}). */
final class OneHotConvKernels {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    private OneHotConvKernels() {}

    /** {@code out[at + i] = start[i] + Σ_{j < count} table[rows[j] + i]} for {@code i < n}: one output position's D sums. */
    static void sumRows(float[] table, int[] rows, int count, float[] start, float[] out, int at, int n) {
        int i = 0;
        for (; i <= n - L; i += L) {
            FloatVector acc = FloatVector.fromArray(S, start, i);
            for (int j = 0; j < count; j++) {
                acc = acc.add(FloatVector.fromArray(S, table, rows[j] + i));
            }
            acc.intoArray(out, at + i);
        }
        for (; i < n; i++) {
            float acc = start[i];
            for (int j = 0; j < count; j++) {
                acc += table[rows[j] + i];
            }
            out[at + i] = acc;
        }
    }

    /** {@code table[rows[j] + i] += row[at + i]} for {@code j < count, i < n}; {@code sum[i] += row[at + i]}. */
    static void addRow(float[] row, int at, int n, float[] table, int[] rows, int count, float[] sum) {
        int i = 0;
        for (; i <= n - L; i += L) {
            FloatVector v = FloatVector.fromArray(S, row, at + i);
            FloatVector.fromArray(S, sum, i).add(v).intoArray(sum, i);
            for (int j = 0; j < count; j++) {
                FloatVector.fromArray(S, table, rows[j] + i).add(v).intoArray(table, rows[j] + i);
            }
        }
        for (; i < n; i++) {
            float v = row[at + i];
            sum[i] += v;
            for (int j = 0; j < count; j++) {
                table[rows[j] + i] += v;
            }
        }
    }
}
