package org.convrelu.experiments;

import java.util.Arrays;
import java.util.Locale;
import org.convrelu.nn.models.ActivationSpec;

/**
 * Times one network's training step, for profiling outside the full bench:
 * {@code java … org.convrelu.experiments.StepTiming DENSENET_NARROW relu 128 30}.
 */
public final class StepTiming {
    private StepTiming() {}

    public static void main(String[] args) {
        TrainingStep.Network network = TrainingStep.Network.valueOf(args[0]);
        ActivationSpec activation = args[1].equals("convrelu") ? ActivationSpec.convRelu() : ActivationSpec.relu();
        int batch = Integer.parseInt(args[2]);
        int steps = Integer.parseInt(args[3]);
        TrainingStep step = new TrainingStep(network, activation, batch);
        double[] ms = new double[steps];
        for (int i = 0; i < 5; i++) {
            step.runMs();
        }
        for (int i = 0; i < steps; i++) {
            ms[i] = step.runMs();
        }
        Arrays.sort(ms);
        double median = ms[steps / 2];
        System.out.printf(Locale.ROOT, "%s %s batch %d: median %.1f ms (min %.1f, max %.1f), %.0f %s/s, peak RSS %d MB%n", network, args[1],
                batch, median, ms[0], ms[steps - 1], batch * 1000 / median, network.unit, Measurements.peakRssMb());
    }
}
