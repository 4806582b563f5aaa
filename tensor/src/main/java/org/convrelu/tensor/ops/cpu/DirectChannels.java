package org.convrelu.tensor.ops.cpu;

import java.lang.ref.Reference;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.stream.IntStream;
import org.convrelu.tensor.memory.HeapCopy;
import org.convrelu.tensor.memory.Scratch;
import org.convrelu.tensor.ops.Backends;
import org.convrelu.tensor.ops.Implementation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Channel concatenation and channel slices of {@code [N, C, *S]} arrays, the data movement of a
 * DenseNet layer ({@code y = concat(x, branch(x))}, and back). An array is read as {@code [N, C, P]},
 * {@code P = Π S}: a sample's channels {@code [from, to)} are one contiguous run of
 * {@code (to − from)·P} values, so each operation is one bulk copy (or one add loop) per
 * sample, spread over the cores, where ND4J's strided views take an element-wise path.
 *
 * <p>{@link Backends#channels} chooses per call: float32 arrays on the CPU backend run here; other
 * dtypes and backends (a GPU) run on ND4J's {@code concat} and views. Both give the same values bit
 * for bit: copies, and one IEEE addition per element.
 */
public final class DirectChannels {
    /** Below this many values a call runs on one thread. */
    private static final long PARALLEL_FROM = 1 << 16;

    private DirectChannels() {}

    /** {@code concat(a, b)} along axis 1: {@code [N, Ca + Cb, *S]}. */
    public static INDArray concat(INDArray a, INDArray b) {
        requireMatching(a, b);
        if (a.length() + b.length() > Integer.MAX_VALUE || Backends.channels(a, b) != Implementation.DIRECT) {
            return Nd4j.concat(1, a, b);
        }
        INDArray ad = HeapCopy.dense(a), bd = HeapCopy.dense(b);
        long[] shape = a.shape().clone();
        shape[1] = a.size(1) + b.size(1);
        INDArray y = Nd4j.createUninitialized(DataType.FLOAT, shape);
        int n = Math.toIntExact(a.size(0));
        int runA = Math.toIntExact(a.length() / n), runB = Math.toIntExact(b.length() / n);
        FloatBuffer as = ad.data().asNioFloat(), bs = bd.data().asNioFloat(), ys = y.data().asNioFloat();
        forSamples(n, y.length(), i -> {
            int at = i * (runA + runB);
            ys.put(at, as, i * runA, runA);
            ys.put(at + runA, bs, i * runB, runB);
        });
        Reference.reachabilityFence(ad);
        Reference.reachabilityFence(bd);
        return y;
    }

    /** A dense copy of channels {@code [from, to)} of {@code y}: {@code [N, to − from, *S]}. */
    public static INDArray slice(INDArray y, long from, long to) {
        requireChannels(y, from, to);
        if (Backends.channels(y) != Implementation.DIRECT) {
            return y.get(channels(y.rank(), from, to)).dup('c');
        }
        INDArray yd = HeapCopy.dense(y);
        long[] shape = y.shape().clone();
        shape[1] = to - from;
        INDArray out = Nd4j.createUninitialized(DataType.FLOAT, shape);
        int n = Math.toIntExact(y.size(0));
        int p = Math.toIntExact(y.length() / n / y.size(1));
        int run = Math.toIntExact((to - from) * p), stride = Math.toIntExact(y.size(1) * p), offset = Math.toIntExact(from * p);
        FloatBuffer ys = yd.data().asNioFloat(), os = out.data().asNioFloat();
        forSamples(n, out.length(), i -> os.put(i * run, ys, i * stride + offset, run));
        Reference.reachabilityFence(yd);
        return out;
    }

    /**
     * {@code into + y[:, from : from + C]}, {@code C} the channels of {@code into}, written into
     * {@code into} where it is a dense float32 array on the CPU (else a new array); returns the sum.
     */
    public static INDArray addSlice(INDArray into, INDArray y, long from) {
        requireChannels(y, from, from + into.size(1));
        long[] expected = y.shape().clone();
        expected[1] = into.size(1);
        if (!Arrays.equals(into.shape(), expected)) {
            throw new IllegalArgumentException("cannot add channels [" + from + ", " + (from + into.size(1)) + ") of "
                    + Arrays.toString(y.shape()) + " to " + Arrays.toString(into.shape()));
        }
        if (!HeapCopy.plain(into) || Backends.channels(into, y) != Implementation.DIRECT) {
            return into.add(y.get(channels(y.rank(), from, from + into.size(1))));
        }
        INDArray yd = HeapCopy.dense(y);
        int n = Math.toIntExact(y.size(0));
        int p = Math.toIntExact(y.length() / n / y.size(1));
        int run = Math.toIntExact(into.size(1) * p), stride = Math.toIntExact(y.size(1) * p), offset = Math.toIntExact(from * p);
        FloatBuffer ys = yd.data().asNioFloat(), is = into.data().asNioFloat();
        forSamples(n, into.length(), i -> {
            float[] sum = Scratch.floats(0, run);
            float[] add = Scratch.floats(1, run);
            is.get(i * run, sum, 0, run);
            ys.get(i * stride + offset, add, 0, run);
            for (int j = 0; j < run; j++) {
                sum[j] += add[j];
            }
            is.put(i * run, sum, 0, run);
        });
        Reference.reachabilityFence(yd);
        return into;
    }

    /** Whether the copies here cover {@code a}: float32 on the CPU, within the heap. */
    public static boolean covers(INDArray a) {
        return a.dataType() == DataType.FLOAT && CpuKernels.available() && a.length() <= Integer.MAX_VALUE;
    }

    private interface SampleWork {
        void run(int sample);
    }

    private static void forSamples(int n, long values, SampleWork work) {
        IntStream samples = IntStream.range(0, n);
        (values >= PARALLEL_FROM ? samples.parallel() : samples).forEach(work::run);
    }

    private static void requireMatching(INDArray a, INDArray b) {
        long[] as = a.shape().clone(), bs = b.shape().clone();
        if (a.rank() < 2 || a.rank() != b.rank() || a.dataType() != b.dataType()) {
            throw new IllegalArgumentException("cannot concatenate channels of " + a.dataType() + " " + Arrays.toString(as) + " and "
                    + b.dataType() + " " + Arrays.toString(bs));
        }
        as[1] = bs[1] = 0;
        if (!Arrays.equals(as, bs)) {
            throw new IllegalArgumentException("cannot concatenate channels of " + Arrays.toString(a.shape()) + " and "
                    + Arrays.toString(b.shape()) + ": the other axes differ");
        }
    }

    private static void requireChannels(INDArray y, long from, long to) {
        if (y.rank() < 2 || from < 0 || to > y.size(1) || from >= to) {
            throw new IllegalArgumentException("channels [" + from + ", " + to + ") are not a slice of " + Arrays.toString(y.shape()));
        }
    }

    private static INDArrayIndex[] channels(int rank, long from, long to) {
        INDArrayIndex[] idx = new INDArrayIndex[rank];
        for (int i = 0; i < rank; i++) {
            idx[i] = NDArrayIndex.all();
        }
        idx[1] = NDArrayIndex.interval(from, to);
        return idx;
    }
}
