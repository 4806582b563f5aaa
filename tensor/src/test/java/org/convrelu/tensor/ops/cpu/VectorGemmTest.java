package org.convrelu.tensor.ops.cpu;

import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The GEMM's register blocks against float64 loops, for every row count that ends a block plan differently. */
class VectorGemmTest {

    @BeforeAll
    static void withTheFusedKernels() {
        assumeTrue(CpuKernels.available(), CpuKernels.describe());
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 20, 21, 26, 27})
    void stridedAndShiftedRowsMatchFloat64Products(int rows) {
        int lanes = VectorGemm.vectorLength(), inner = 11, width = 7 * lanes, ldb = width + 3 * lanes, bOffset = lanes;
        SplittableRandom random = new SplittableRandom(rows);
        float[] a = floats(random, rows * inner);
        float[] b = floats(random, inner * ldb + 2 * lanes);
        int[] bRows = new int[inner];
        for (int k = 0; k < inner; k++) {
            bRows[k] = (inner - 1 - k) * ldb + k % 3; // out of order and off the vector grid, as a padded plane's shifted rows
        }
        int ldo = width + lanes, outOffset = 2;
        float[] strided = new float[outOffset + rows * ldo];
        float[] shifted = new float[outOffset + rows * ldo];
        VectorGemm.multiply(a, rows, inner, b, ldb, bOffset, width, strided, outOffset, ldo);
        VectorGemm.multiplyRows(a, rows, inner, b, bRows, bOffset, width, shifted, outOffset, ldo);
        for (int i = 0; i < rows; i++) {
            for (int t = 0; t < width; t++) {
                double byStride = 0, byRow = 0;
                for (int k = 0; k < inner; k++) {
                    byStride += (double) a[i * inner + k] * b[k * ldb + bOffset + t];
                    byRow += (double) a[i * inner + k] * b[bRows[k] + bOffset + t];
                }
                assertThat((double) strided[outOffset + i * ldo + t]).as("strided row %d, column %d", i, t).isCloseTo(byStride, within(1e-4));
                assertThat((double) shifted[outOffset + i * ldo + t]).as("shifted row %d, column %d", i, t).isCloseTo(byRow, within(1e-4));
            }
        }
    }

    private static float[] floats(SplittableRandom random, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (random.nextDouble() * 2 - 1);
        }
        return v;
    }
}
