package org.convrelu.nn.train;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.convrelu.tensor.Batch;
import org.convrelu.tensor.BatchStream;
import org.convrelu.tensor.RandomStream;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** In-memory examples in seeded shuffled batches (order depends only on the seed and the epoch). */
record ArrayBatches(INDArray x, int[] labels, int batchSize, RandomStream root, boolean shuffle) implements BatchStream {

    @Override
    public int batchesPerEpoch() {
        return (labels.length + batchSize - 1) / batchSize;
    }

    @Override
    public int examplesPerEpoch() {
        return labels.length;
    }

    @Override
    public Iterator<Batch> epoch(int epoch) {
        int[] order = shuffle ? root.child("order/" + epoch).permutation(labels.length)
                : java.util.stream.IntStream.range(0, labels.length).toArray();
        List<Batch> batches = new ArrayList<>();
        for (int from = 0; from < order.length; from += batchSize) {
            int[] idx = java.util.Arrays.copyOfRange(order, from, Math.min(order.length, from + batchSize));
            long[] rows = java.util.Arrays.stream(idx).asLongStream().toArray();
            INDArray bx = x.get(NDArrayIndex.indices(rows)).dup('c');
            int[] bl = java.util.Arrays.stream(idx).map(i -> labels[i]).toArray();
            batches.add(new Batch(bx, bl, idx));
        }
        return batches.iterator();
    }
}
