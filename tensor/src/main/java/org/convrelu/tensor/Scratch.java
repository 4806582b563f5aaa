package org.convrelu.tensor;

import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * Per-thread scratch arrays of the fused CPU kernels, reused across calls: a training step
 * calls the kernels hundreds of times, and fresh multi-megabyte arrays each time would keep the
 * collector (and the resident heap) busy. A slot's contents are undefined on return; callers
 * overwrite or clear what they read.
 *
 * <p>The arrays are kept in a map keyed weakly by thread, not in a {@code ThreadLocal}: the
 * kernels' parallel loops run on the common {@code ForkJoinPool}, whose workers erase their
 * thread-locals after each parallel loop they take part in (JDK 17), so a worker's scratch arrays
 * were allocated afresh on every call: 1.1 GB a minute in a reduced CIFAR-10 cell, measured with
 * JFR's allocation samples.
 */
final class Scratch {
    private static final int SLOTS = 10;
    private static final Map<Thread, float[][]> ARRAYS = Collections.synchronizedMap(new WeakHashMap<>());

    private Scratch() {}

    /** This thread's array in {@code slot}, of at least {@code length} floats. */
    static float[] floats(int slot, int length) {
        float[][] arrays = ARRAYS.computeIfAbsent(Thread.currentThread(), t -> new float[SLOTS][]);
        float[] a = arrays[slot];
        if (a == null || a.length < length) {
            a = new float[length];
            arrays[slot] = a;
        }
        return a;
    }
}
