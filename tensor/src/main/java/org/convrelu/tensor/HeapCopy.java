package org.convrelu.tensor;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Copies between ND4J arrays (c order) and Java heap arrays, for the fused CPU kernels. */
final class HeapCopy {
    private HeapCopy() {}

    /** The array's elements in c order, as a dense array with its own buffer. */
    static INDArray dense(INDArray a) {
        boolean plain = !a.isView() && a.ordering() == 'c' && a.offset() == 0 && a.data().length() == a.length();
        return plain ? a : a.dup('c');
    }

    static float[] floats(INDArray a) {
        require(a, DataType.FLOAT);
        return dense(a).data().asFloat();
    }

    static double[] doubles(INDArray a) {
        require(a, DataType.DOUBLE);
        return dense(a).data().asDouble();
    }

    static INDArray of(float[] values, long... shape) {
        return Nd4j.create(values, shape, 'c');
    }

    static INDArray of(double[] values, long... shape) {
        return Nd4j.create(values, shape, 'c');
    }

    private static void require(INDArray a, DataType type) {
        if (a.dataType() != type) {
            throw new IllegalArgumentException("expected dtype " + type + ", got " + a.dataType());
        }
    }
}
