package org.convrelu.nn;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.convrelu.nn.check.GradientChecker;
import org.convrelu.nn.init.Init;
import org.convrelu.nn.layers.BatchNorm;
import org.convrelu.nn.layers.Conv;
import org.convrelu.nn.layers.ConvReLU;
import org.convrelu.nn.layers.ConvSpec;
import org.convrelu.nn.layers.Flatten;
import org.convrelu.nn.layers.Linear;
import org.convrelu.nn.layers.Pool;
import org.convrelu.nn.layers.Sequential;
import org.convrelu.nn.loss.SoftmaxCrossEntropy;
import org.convrelu.nn.optim.Sgd;
import org.convrelu.tensor.PaddedInput;
import org.convrelu.tensor.Precision;
import org.convrelu.tensor.RandomStream;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

/** conv → BN → ConvReLU → pool → linear → loss, checked end to end and trained on a fixed batch. */
class SmallStackTest {
    private static final int[] LABELS = {0, 2, 1, 2, 0, 1};

    private static Sequential stack(Precision precision) {
        RandomStream init = RandomStream.root(17).child("init");
        return new Sequential("net", List.of(
                new Conv("net.conv1", ConvSpec.conv2d(3, 4, 3, 1, 1), precision, init),
                new BatchNorm("net.bn1", 4, precision),
                new ConvReLU("net.convrelu2", ConvSpec.conv2d(4, 5, 3, 1, 1), Init.he(), Init.normal(0.2),
                        PaddedInput.THRESHOLDED, precision, init),
                Pool.max2d("net.pool", 2, 2, 0),
                new Flatten("net.flatten"),
                new Linear("net.fc", 5 * 3 * 3, 3, true, Init.he(), precision, init)));
    }

    private static INDArray batch(Precision precision) {
        return RandomStream.root(5).child("data").normal(precision, 0, 1, LABELS.length, 3, 6, 6);
    }

    @Test
    void passesTheGradientCheckEndToEnd() {
        Sequential net = stack(Precision.FLOAT64);
        GradientChecker.Result r = GradientChecker.check(net, batch(Precision.FLOAT64), Mode.TRAIN,
                GradientChecker.Objective.crossEntropy(LABELS), GradientChecker.Options.defaults());
        assertThat(r.passed()).as(r.toString()).isTrue();
        assertThat(r.checked()).isGreaterThan(100);
        assertThat(net.params()).extracting(Param::name).contains("net.convrelu2.theta", "net.bn1.gamma", "net.fc.bias");
    }

    @Test
    void aFewSgdStepsLowerTheLossOnAFixedBatch() {
        Sequential net = stack(Precision.FLOAT32);
        INDArray x = batch(Precision.FLOAT32);
        SoftmaxCrossEntropy loss = new SoftmaxCrossEntropy();
        Sgd sgd = new Sgd(net.params(), new Sgd.Config(0.9, false, Map.of(ParamRole.WEIGHT, 5e-4, ParamRole.THRESHOLD, 5e-4)));
        double first = Double.NaN;
        double last = Double.NaN;
        for (int step = 0; step < 20; step++) {
            sgd.zeroGrad();
            double l = loss.forward(net.forward(x, Mode.TRAIN), LABELS);
            net.backward(loss.backward());
            sgd.step(0.05);
            if (step == 0) {
                first = l;
            }
            last = l;
        }
        assertThat(last).isLessThan(first * 0.5);
        assertThat(SoftmaxCrossEntropy.argmax(net.forward(x, Mode.TRAIN))).containsExactly(LABELS);
    }
}
