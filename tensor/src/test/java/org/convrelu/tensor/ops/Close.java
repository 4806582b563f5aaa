package org.convrelu.tensor.ops;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import static org.assertj.core.api.Assertions.assertThat;

/** Closeness of an implementation's result to the float64 reference, relative to the reference's largest magnitude. */
final class Close {
    private Close() {}

    /** 1e-4 for float32 results, 1e-9 for float64. */
    static double tolerance(DataType type) {
        return type == DataType.FLOAT ? 1e-4 : 1e-9;
    }

    static void assertClose(INDArray actual, INDArray expected, String what) {
        assertThat(actual).as(what + " is missing").isNotNull();
        assertThat(actual.shape()).as(what + " shape").isEqualTo(expected.shape());
        double scale = Math.max(1e-6, expected.amaxNumber().doubleValue());
        double error = actual.castTo(DataType.DOUBLE).sub(expected.castTo(DataType.DOUBLE)).amaxNumber().doubleValue();
        assertThat(error / scale).as("%s (%s): max error %g against max magnitude %g", what, actual.dataType(), error, scale)
                .isLessThan(tolerance(actual.dataType()));
    }
}
