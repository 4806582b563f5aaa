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

    /** Zhang et al.'s text recipe: {@code base}, halved every {@code everySteps} steps. */
    static LearningRate halving(double base, long everySteps) {
        return (epoch, step) -> base * Math.pow(0.5, step / everySteps);
    }
}
