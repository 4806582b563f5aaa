package org.convrelu.nn.train;

import org.convrelu.nn.optim.StepSchedule;

/** A learning rate as a function of the epoch and the global step. */
@FunctionalInterface
public interface LearningRate {
    double at(int epoch, long step);

    /** Step decay by epochs (the paper's image recipe). */
    static LearningRate of(StepSchedule schedule) {
        return (epoch, step) -> schedule.lr(epoch);
    }

    /**
     * {@code base} halved every {@code every} steps (or epochs, {@code byEpochs}), at most
     * {@code times} times, then held: Crepe's recipe (Zhang et al. 2015) with 10 halvings.
     */
    static LearningRate halving(double base, long every, boolean byEpochs, int times) {
        return (epoch, step) -> base * Math.pow(0.5, Math.min(times, (byEpochs ? epoch : step) / every));
    }

    /**
     * A triangle over the whole run: 0 at step 0, rising linearly to {@code peak} at step
     * {@code warmupSteps}, falling linearly to 0 at step {@code totalSteps}; 0 from then on. The
     * shape of Smith and Topin's one-cycle policy (2019) without its momentum cycle.
     */
    static LearningRate triangle(double peak, long warmupSteps, long totalSteps) {
        if (warmupSteps <= 0 || warmupSteps >= totalSteps) {
            throw new IllegalArgumentException("a triangle rises over 1.." + (totalSteps - 1) + " of its " + totalSteps
                    + " steps, got " + warmupSteps);
        }
        return (epoch, step) -> step < warmupSteps ? peak * step / warmupSteps
                : peak * Math.max(0, totalSteps - step) / (totalSteps - warmupSteps);
    }
}
