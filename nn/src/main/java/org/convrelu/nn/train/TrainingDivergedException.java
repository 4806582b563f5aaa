package org.convrelu.nn.train;

/** The loss became NaN or infinite; the message names the epoch and the step. */
public final class TrainingDivergedException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    public TrainingDivergedException(int epoch, int step, double loss) {
        super("training diverged at epoch " + epoch + ", step " + step + ": loss is " + loss
                + " (try a lower learning rate; the last checkpoint is the previous epoch)");
    }
}
