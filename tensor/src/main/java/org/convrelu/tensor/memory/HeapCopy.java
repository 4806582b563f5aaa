package org.convrelu.tensor.memory;

import java.lang.ref.Reference;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Copies between ND4J arrays (c order) and Java heap arrays, for the fused CPU kernels. */
public final class HeapCopy {
    private HeapCopy() {}

    /** The array's elements in c order, as a dense array with its own buffer. */
    public static INDArray dense(INDArray a) {
        return plain(a) ? a : a.dup('c');
    }

    /**
     * Whether the array owns its buffer and reads it in c order from its start, so that element i
     * (c order) is buffer entry i: {@link #dense} returns it as it is. The strides are checked, as a
     * permuted array owns its whole buffer but reads it in another order; a dimension of size 1 may
     * have any stride (ND4J gives {@code [48, 24, 1, 1]} weights strides that its own default-strides
     * test rejects).
     */
    public static boolean plain(INDArray a) {
        if (a.isView() || a.offset() != 0 || a.data().length() != a.length()) {
            return false;
        }
        long expected = 1;
        for (int i = a.rank() - 1; i >= 0; i--) {
            if (a.size(i) != 1 && a.stride(i) != expected) {
                return false;
            }
            expected *= a.size(i);
        }
        return true;
    }

    // Bulk NIO copies: several times faster than DataBuffer.asFloat() and Nd4j.create(float[]) for large arrays.

    public static float[] floats(INDArray a) {
        require(a, DataType.FLOAT);
        INDArray d = dense(a);
        float[] values = new float[Math.toIntExact(d.length())];
        d.data().asNioFloat().get(0, values);
        Reference.reachabilityFence(d); // the buffer views native memory that is freed once d is collected
        return values;
    }

    public static double[] doubles(INDArray a) {
        require(a, DataType.DOUBLE);
        INDArray d = dense(a);
        double[] values = new double[Math.toIntExact(d.length())];
        d.data().asNioDouble().get(0, values);
        Reference.reachabilityFence(d);
        return values;
    }

    public static INDArray of(float[] values, long... shape) {
        INDArray a = Nd4j.createUninitialized(DataType.FLOAT, shape, 'c');
        requireLength(a, values.length);
        a.data().asNioFloat().put(0, values);
        Reference.reachabilityFence(a);
        return a;
    }

    public static INDArray of(double[] values, long... shape) {
        INDArray a = Nd4j.createUninitialized(DataType.DOUBLE, shape, 'c');
        requireLength(a, values.length);
        a.data().asNioDouble().put(0, values);
        Reference.reachabilityFence(a);
        return a;
    }

    private static void requireLength(INDArray a, int length) {
        if (a.length() != length) {
            throw new IllegalArgumentException(length + " values do not fill shape " + java.util.Arrays.toString(a.shape()));
        }
    }

    private static void require(INDArray a, DataType type) {
        if (a.dataType() != type) {
            throw new IllegalArgumentException("expected dtype " + type + ", got " + a.dataType());
        }
    }
}
