package org.convrelu.datasets.batch;

import org.nd4j.linalg.api.ndarray.INDArray;

/** A mini-batch: inputs {@code x [B, *example]} (float32), labels, and the example indices it holds. */
public record Batch(INDArray x, int[] labels, int[] indices) {
    public int size() {
        return labels.length;
    }
}
