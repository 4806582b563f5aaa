package org.convrelu.nn.train;

/**
 * Training stopped on request (a worker asked to stop: SIGTERM from Slurm's preemption, requeue,
 * time limit or {@code scancel}, or Ctrl-C) after writing a checkpoint where it stood, so that the
 * next run resumes from there.
 */
public final class TrainingStopped extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int epoch;
    private final int batch;
    private final int batches;

    /** @param epoch 1-based; @param batch the batches of that epoch done (all of them when the evaluation was cut short) */
    public TrainingStopped(int epoch, int batch, int batches) {
        super("stopped in epoch " + epoch + " after batch " + batch + " of " + batches + "; a checkpoint holds that point");
        this.epoch = epoch;
        this.batch = batch;
        this.batches = batches;
    }

    public int epoch() {
        return epoch;
    }

    public int batch() {
        return batch;
    }

    public int batches() {
        return batches;
    }
}
