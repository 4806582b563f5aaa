package org.convrelu.nn.train;

/**
 * One epoch of training: learning rate, mean training loss and top-1 (%), evaluation top-1 (%),
 * wall time, training throughput, and a summary of the learned thresholds (null without any).
 */
public record EpochMetrics(int epoch, double lr, double trainLoss, double trainTop1, double evalTop1, double seconds,
        double examplesPerSecond, ThetaSummary theta) {

    /** Count, mean, standard deviation, extremes and mean absolute value of all thresholds. */
    public record ThetaSummary(long count, double mean, double std, double min, double max, double meanAbs) {}
}
