package org.convrelu.nn.optim;

import java.util.Arrays;

/**
 * Step learning-rate schedule: {@code lr(epoch) = base · γ^(number of milestones ≤ epoch)}, epochs
 * counted from 0. The paper's schedule is base 0.1, γ 0.1, milestones 150 and 250 (300 epochs is ours: the paper
 * states no total).
 */
public record StepSchedule(double base, int[] milestones, double gamma) {

    public StepSchedule {
        milestones = milestones.clone();
        for (int i = 1; i < milestones.length; i++) {
            if (milestones[i] <= milestones[i - 1]) {
                throw new IllegalArgumentException("milestones must increase, got " + Arrays.toString(milestones));
            }
        }
        if (base <= 0 || gamma <= 0) {
            throw new IllegalArgumentException("base learning rate and γ must be positive, got " + base + " and " + gamma);
        }
    }

    /** The paper's schedule: 0.1, ×0.1 at epochs 150 and 250 (of 300). */
    public static StepSchedule paper() {
        return new StepSchedule(0.1, new int[] {150, 250}, 0.1);
    }

    public double lr(int epoch) {
        double lr = base;
        for (int m : milestones) {
            if (epoch >= m) {
                lr *= gamma;
            }
        }
        return lr;
    }

    /** The same schedule for a run of {@code epochs} instead of {@code ofEpochs}: milestones scale proportionally. */
    public StepSchedule scaled(int epochs, int ofEpochs) {
        int[] m = new int[milestones.length];
        for (int i = 0; i < m.length; i++) {
            m[i] = (int) Math.round((double) milestones[i] * epochs / ofEpochs);
        }
        int[] strictlyIncreasing = Arrays.stream(m).distinct().toArray();
        return new StepSchedule(base, strictlyIncreasing, gamma);
    }

    @Override
    public int[] milestones() {
        return milestones.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StepSchedule s && s.base == base && s.gamma == gamma && Arrays.equals(s.milestones, milestones);
    }

    @Override
    public int hashCode() {
        return Double.hashCode(base) * 31 + Arrays.hashCode(milestones) * 7 + Double.hashCode(gamma);
    }

    @Override
    public String toString() {
        return "StepSchedule[base=" + base + ", milestones=" + Arrays.toString(milestones) + ", gamma=" + gamma + "]";
    }
}
