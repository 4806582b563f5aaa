package org.convrelu.tensor;

import org.nd4j.linalg.api.ndarray.INDArray;

/** A mini-batch: inputs {@code x [B, *example]}, labels, and the indices of the examples it holds. */
public record Batch(INDArray x, int[] labels, int[] indices) {
    public int size() {
        return labels.length;
    }

    /**
     * Frees the native memory of {@code x} now, not when the garbage collector finds the array; the
     * batch is unusable after. An {@code x} that shares its buffer (a view, a workspace array) is left
     * alone. A CIFAR-10 batch of 128 holds 1.5 MB, an epoch 600 MB; with a large heap the collector
     * finds them late.
     */
    public void release() {
        if (x.closeable()) {
            x.close();
        }
    }
}
