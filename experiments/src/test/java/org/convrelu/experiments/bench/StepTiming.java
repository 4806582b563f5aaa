package org.convrelu.experiments.bench;

import java.util.Arrays;
import java.util.Locale;
import org.convrelu.nn.models.ActivationSpec;
import org.convrelu.nn.models.Model;
import org.convrelu.nn.models.Models;

/**
 * Times one network's training step, for profiling outside the full bench and for comparing
 * candidate networks: {@code StepTiming <network> relu|convrelu <batch> <steps>}, the network one of
 * {@link TrainingStep.Network}, a DenseNet-BC for CIFAR-10 written {@code densenet-bc:<blocks>:<growth>[:pooled]},
 * e.g. {@code densenet-bc:3,3,3:12:pooled} (its stem pooled), or a CIFAR-10 VGG-16 or ResNet-18 with
 * its widths divided by a number, {@code vgg16:8}, {@code resnet18:4} ({@code resnet18:4:pooled}: its stem pooled).
 *
 * <pre>java --add-modules jdk.incubator.vector -cp experiments/target/convrelu-experiments.jar:experiments/target/test-classes \
 *     org.convrelu.experiments.bench.StepTiming DENSENET_NARROW relu 128 20</pre>
 */
public final class StepTiming {
    private StepTiming() {}

    public static void main(String[] args) {
        ActivationSpec activation = args[1].equals("convrelu") ? ActivationSpec.convRelu() : ActivationSpec.relu();
        int batch = Integer.parseInt(args[2]);
        int steps = Integer.parseInt(args[3]);
        TrainingStep step;
        String unit;
        if (args[0].startsWith("densenet-bc:")) {
            String[] spec = args[0].split(":");
            int[] blocks = Arrays.stream(spec[1].split(",")).mapToInt(Integer::parseInt).toArray();
            boolean pooled = spec.length > 3 && spec[3].equals("pooled");
            Model model = Models.denseNetBC(args[0], blocks, Integer.parseInt(spec[2]), 0.5, pooled, 10, 32, TrainingStep.options(activation));
            step = new TrainingStep(model, batch);
            unit = "images";
        } else if (args[0].startsWith("vgg16:") || args[0].startsWith("resnet18:")) {
            String[] spec = args[0].split(":");
            int divisor = Integer.parseInt(spec[1]);
            boolean pooled = spec.length > 2 && spec[2].equals("pooled");
            Model model = args[0].startsWith("vgg16:") ? Models.vgg16(10, 32, divisor, TrainingStep.options(activation))
                    : Models.resnet18(10, 32, divisor, pooled, TrainingStep.options(activation));
            step = new TrainingStep(model, batch);
            unit = "images";
        } else {
            TrainingStep.Network network = TrainingStep.Network.valueOf(args[0]);
            step = new TrainingStep(network, activation, batch);
            unit = network.unit;
        }
        double mmac = step.model.multiplyAdds() / 1e6; // before the steps: its forward pass replaces what a backward would read
        double[] ms = new double[steps];
        for (int i = 0; i < 5; i++) {
            step.runMs();
        }
        for (int i = 0; i < steps; i++) {
            ms[i] = step.runMs();
        }
        Arrays.sort(ms);
        double median = ms[steps / 2];
        System.out.printf(Locale.ROOT, "%s %s batch %d, %d parameters, %.1f MMAC per example: median %.1f ms (min %.1f, max %.1f), %.0f %s/s, peak RSS %d MB%n",
                args[0], args[1], batch, step.model.parameterCount(), mmac, median, ms[0], ms[steps - 1], batch * 1000 / median, unit,
                Measurements.peakRssMb());
    }
}
