package org.convrelu.datasets.batch;

import org.convrelu.tensor.RandomStream;

/** Labelled examples that write themselves as floats, e.g. augmented images or quantised texts. */
public interface ExampleSource {
    int size();

    /** The label of example {@code i}, in {@code 0..classes-1}. */
    int label(int i);

    int classes();

    /** The shape of one example, e.g. {@code [C, H, W]} or {@code [alphabet, length]}. */
    long[] exampleShape();

    /** Writes example {@code i} into {@code dst} at {@code offset}; {@code rng} drives any augmentation. */
    void write(int i, float[] dst, int offset, RandomStream rng);

    /** Floats per example. */
    default int exampleSize() {
        long n = 1;
        for (long s : exampleShape()) {
            n *= s;
        }
        return Math.toIntExact(n);
    }
}
