package org.convrelu.tensor;

/**
 * Per-thread scratch arrays of the fused CPU kernels, reused across calls: a training step
 * calls the kernels hundreds of times, and fresh multi-megabyte arrays each time would keep the
 * collector (and the resident heap) busy. A slot's contents are undefined on return; callers
 * overwrite or clear what they read.
 */
final class Scratch {
    private static final int SLOTS = 8;
    private static final ThreadLocal<float[][]> ARRAYS = ThreadLocal.withInitial(() -> new float[SLOTS][]);

    private Scratch() {}

    /** This thread's array in {@code slot}, of at least {@code length} floats. */
    static float[] floats(int slot, int length) {
        float[][] arrays = ARRAYS.get();
        float[] a = arrays[slot];
        if (a == null || a.length < length) {
            a = new float[length];
            arrays[slot] = a;
        }
        return a;
    }
}
