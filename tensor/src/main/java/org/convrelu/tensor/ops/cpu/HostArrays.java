package org.convrelu.tensor.ops.cpu;

import java.lang.ref.Reference;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import org.convrelu.tensor.memory.HeapCopy;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A network's small arrays updated in place from Java on the CPU, in one pass each: a
 * parameter's gradient accumulated or cleared, batch normalisation's running statistics. Each is
 * otherwise one to four ND4J calls, and a call's fixed cost exceeds the arithmetic of the small
 * networks' arrays: a reduced DenseNet-BC has 65 parameters (71,686 values) and 21 pairs of
 * running statistics, cleared, accumulated and updated every step.
 */
public final class HostArrays {
    private HostArrays() {}

    /** Whether the methods here cover {@code a}: float32 or float64, owning its buffer in c order, with the fused CPU kernels on. */
    public static boolean covers(INDArray a) {
        DataType dtype = a.dataType();
        return (dtype == DataType.FLOAT || dtype == DataType.DOUBLE) && HeapCopy.plain(a) && CpuKernels.available();
    }

    /** Whether {@link #add} covers the pair: both {@link #covers}, of one dtype and length. */
    public static boolean covers(INDArray into, INDArray values) {
        return covers(into) && covers(values) && into.dataType() == values.dataType() && into.length() == values.length();
    }

    /** {@code into += values}, element by element in c order (shapes may differ; lengths may not). */
    public static void add(INDArray into, INDArray values) {
        require(covers(into, values), "add", into, values);
        int n = Math.toIntExact(into.length());
        if (into.dataType() == DataType.FLOAT) {
            FloatBuffer to = into.data().asNioFloat(), from = values.data().asNioFloat();
            for (int i = 0; i < n; i++) {
                to.put(i, to.get(i) + from.get(i));
            }
        } else {
            DoubleBuffer to = into.data().asNioDouble(), from = values.data().asNioDouble();
            for (int i = 0; i < n; i++) {
                to.put(i, to.get(i) + from.get(i));
            }
        }
        Reference.reachabilityFence(into); // the buffers view native memory that ND4J frees once its array is collected
        Reference.reachabilityFence(values);
    }

    /**
     * Whether no element is NaN or infinite: one pass on the host where a training step checks every
     * parameter, gradient and running statistic, instead of an ND4J reduction per array.
     */
    public static boolean allFinite(INDArray a) {
        require(covers(a), "check", a, null);
        int n = Math.toIntExact(a.length());
        boolean finite = true;
        if (a.dataType() == DataType.FLOAT) {
            FloatBuffer b = a.data().asNioFloat();
            for (int i = 0; i < n && finite; i++) {
                finite = Float.isFinite(b.get(i));
            }
        } else {
            DoubleBuffer b = a.data().asNioDouble();
            for (int i = 0; i < n && finite; i++) {
                finite = Double.isFinite(b.get(i));
            }
        }
        Reference.reachabilityFence(a);
        return finite;
    }

    /** The values of a float32 array in c order, copied to the heap in one call (no ND4J op, unlike {@code toFloatVector}). */
    public static float[] floats(INDArray a) {
        return HeapCopy.floats(a);
    }

    /** Sets every element to 0. */
    public static void zero(INDArray a) {
        require(covers(a), "zero", a, null);
        int n = Math.toIntExact(a.length());
        if (a.dataType() == DataType.FLOAT) {
            FloatBuffer b = a.data().asNioFloat();
            for (int i = 0; i < n; i++) {
                b.put(i, 0f);
            }
        } else {
            DoubleBuffer b = a.data().asNioDouble();
            for (int i = 0; i < n; i++) {
                b.put(i, 0d);
            }
        }
        Reference.reachabilityFence(a);
    }

    /**
     * {@code into = into·keep + values·take} for float32 {@code into}, in float32 as ND4J's scalar ops
     * would round it: a running statistic moved towards a batch's.
     */
    public static void mix(INDArray into, double keep, float[] values, double take) {
        require(covers(into) && into.dataType() == DataType.FLOAT && into.length() == values.length, "mix " + values.length
                + " floats into", into, null);
        FloatBuffer to = into.data().asNioFloat();
        float k = (float) keep, t = (float) take;
        for (int i = 0; i < values.length; i++) {
            to.put(i, to.get(i) * k + values[i] * t);
        }
        Reference.reachabilityFence(into);
    }

    private static void require(boolean holds, String what, INDArray into, INDArray values) {
        if (!holds) {
            throw new IllegalArgumentException("cannot " + what + " " + describe(into) + (values == null ? "" : " and " + describe(values))
                    + " on the host: float32 or float64 arrays owning their buffers, of one dtype and length, are taken ("
                    + CpuKernels.describe() + ")");
        }
    }

    public static String describe(INDArray a) {
        return a.dataType() + " " + java.util.Arrays.toString(a.shape()) + (HeapCopy.plain(a) ? "" : " (a view or another order)");
    }
}
