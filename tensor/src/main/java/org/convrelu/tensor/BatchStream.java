package org.convrelu.tensor;

import java.util.Iterator;

/** Mini-batches epoch by epoch; an epoch's batches depend only on the epoch number (so runs can resume). */
public interface BatchStream {
    int batchesPerEpoch();

    /** Examples per epoch. */
    int examplesPerEpoch();

    Iterator<Batch> epoch(int epoch);
}
