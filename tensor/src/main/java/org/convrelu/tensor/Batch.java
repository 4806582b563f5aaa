package org.convrelu.tensor;

import org.nd4j.linalg.api.ndarray.INDArray;

/** A mini-batch: inputs {@code x [B, *example]}, labels, and the indices of the examples it holds. */
public record Batch(INDArray x, int[] labels, int[] indices) {
    public int size() {
        return labels.length;
    }
}
