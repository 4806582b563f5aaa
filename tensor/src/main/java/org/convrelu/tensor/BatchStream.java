package org.convrelu.tensor;

import java.util.Iterator;

/**
 * Mini-batches epoch by epoch; an epoch's batches depend only on the epoch number (so runs can resume).
 * Each call makes its batches anew: their arrays belong to the caller, who may free them when done
 * ({@link Batch#release}).
 */
public interface BatchStream {
    int batchesPerEpoch();

    /** Examples per epoch. */
    int examplesPerEpoch();

    Iterator<Batch> epoch(int epoch);

    /**
     * The batches of {@code epoch} from batch {@code from} on: the same batches {@link #epoch(int)}
     * gives after its first {@code from}, so a run resumes mid-epoch exactly. This default draws and
     * drops the first ones; a stream that can build a batch alone should start there.
     */
    default Iterator<Batch> epoch(int epoch, int from) {
        Iterator<Batch> it = epoch(epoch);
        for (int b = 0; b < from && it.hasNext(); b++) {
            it.next();
        }
        return it;
    }
}
