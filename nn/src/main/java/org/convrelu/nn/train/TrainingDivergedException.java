package org.convrelu.nn.train;

/** The loss, a parameter, a gradient or a running statistic became NaN or infinite; the message names it, the epoch and the step. */
public final class TrainingDivergedException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    public TrainingDivergedException(int epoch, int step, double loss) {
        this(epoch, step, "loss is " + loss);
    }

    /** @param what what is not finite, e.g. "block1.layer1.bn1.running_var contains NaN" */
    public TrainingDivergedException(int epoch, int step, String what) {
        super("training diverged at epoch " + epoch + ", step " + step + ": " + what
                + " (try a lower learning rate; the last checkpoint is the previous epoch)");
    }
}
