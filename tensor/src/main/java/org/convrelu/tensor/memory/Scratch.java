package org.convrelu.tensor.memory;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Per-thread scratch arrays of the fused CPU kernels, reused across calls: a training step
 * calls the kernels hundreds of times, and fresh multi-megabyte arrays each time would keep the
 * collector (and the resident heap) busy. A slot's contents are undefined on return; callers
 * overwrite or clear what they read.
 *
 * <p>The arrays are kept in a map keyed by thread, not in a {@code ThreadLocal}: the kernels'
 * parallel loops run on the common {@code ForkJoinPool}, whose workers erase their thread-locals
 * after each parallel loop they take part in (JDK 17), so a worker's scratch arrays were allocated
 * afresh on every call: 1.1 GB a minute in a reduced CIFAR-10 cell, measured with JFR's allocation
 * samples. The map is concurrent, so that a lookup takes no lock (batch norm looks up a scratch
 * array per channel and pass); a thread new to it first drops the arrays of threads that have
 * ended, such as a pool's workers retired while idle.
 */
public final class Scratch {
    private static final int SLOTS = 10;
    private static final Map<Thread, float[][]> ARRAYS = new ConcurrentHashMap<>();

    private Scratch() {}

    /** This thread's array in {@code slot}, of at least {@code length} floats. */
    public static float[] floats(int slot, int length) {
        Thread thread = Thread.currentThread();
        float[][] arrays = ARRAYS.get(thread); // each thread reads and writes only its own entry
        if (arrays == null) {
            ARRAYS.keySet().removeIf(t -> !t.isAlive());
            arrays = new float[SLOTS][];
            ARRAYS.put(thread, arrays);
        }
        float[] a = arrays[slot];
        if (a == null || a.length < length) {
            a = new float[length];
            arrays[slot] = a;
        }
        return a;
    }

    /** Whether the arrays of {@code thread} are still held. */
    static boolean holdsArraysOf(Thread thread) {
        return ARRAYS.containsKey(thread);
    }
}
