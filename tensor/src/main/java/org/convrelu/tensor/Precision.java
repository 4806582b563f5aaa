package org.convrelu.tensor;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The suite's dtype policy: float32 for training, float64 for gradient checks and reference math.
 *
 * <p>Every array the suite creates gets its dtype from a {@code Precision} passed in explicitly;
 * nothing reads or changes ND4J's global default dtype.
 */
public enum Precision {
    /** Training precision. */
    FLOAT32(DataType.FLOAT),
    /** Gradient checks and reference computations. */
    FLOAT64(DataType.DOUBLE);

    private final DataType dataType;

    Precision(DataType dataType) {
        this.dataType = dataType;
    }

    /** The ND4J dtype of arrays at this precision. */
    public DataType dataType() {
        return dataType;
    }

    /** The precision of an array; fails for non-floating dtypes and half precision. */
    public static Precision of(INDArray array) {
        return of(array.dataType());
    }

    /** The precision of a dtype; fails for non-floating dtypes and half precision. */
    public static Precision of(DataType dataType) {
        return switch (dataType) {
            case FLOAT -> FLOAT32;
            case DOUBLE -> FLOAT64;
            default -> throw new IllegalArgumentException(
                    "unsupported dtype " + dataType + ": expected FLOAT (float32) or DOUBLE (float64)");
        };
    }

    /** Fails unless {@code array} has this precision, naming {@code what} in the message. */
    public void require(INDArray array, String what) {
        if (array.dataType() != dataType) {
            throw new IllegalArgumentException(
                    what + " has dtype " + array.dataType() + ", expected " + dataType + " (" + this + ")");
        }
    }
}
