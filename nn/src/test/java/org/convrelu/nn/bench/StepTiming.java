package org.convrelu.nn.bench;

import java.util.Arrays;
import java.util.Map;
import org.convrelu.nn.Mode;
import org.convrelu.nn.ParamRole;
import org.convrelu.nn.loss.SoftmaxCrossEntropy;
import org.convrelu.nn.models.ActivationSpec;
import org.convrelu.nn.models.Model;
import org.convrelu.nn.models.Models;
import org.convrelu.nn.models.Replacement;
import org.convrelu.nn.optim.Sgd;
import org.convrelu.tensor.Precision;
import org.convrelu.tensor.RandomStream;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One training step (forward, backward, SGD update) of {@code densenet_cifar}, batch 64 by
 * default, with ReLU and with ConvReLU in block 1; median over repeats after warm-up.
 * Arguments: {@code [batch] [repeats]}.
 *
 * <pre>mvn -q -pl nn test-compile exec:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=org.convrelu.nn.bench.StepTiming</pre>
 */
public final class StepTiming {
    public static void main(String[] args) {
        int batch = args.length > 0 ? Integer.parseInt(args[0]) : 64;
        int repeats = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        double relu = time(ActivationSpec.relu(), batch, repeats);
        double convRelu = time(ActivationSpec.convRelu(), batch, repeats);
        System.out.printf("densenet_cifar, batch %d, float32: ReLU %.0f ms/step (%.1f images/s), ConvReLU block 1 %.0f ms/step (%.1f images/s), ratio %.2f%n",
                batch, relu, batch * 1000 / relu, convRelu, batch * 1000 / convRelu, convRelu / relu);
    }

    static double time(ActivationSpec activation, int batch, int repeats) {
        RandomStream rng = RandomStream.root(1);
        Model m = Models.densenetCifar(100, 32, new Models.Options(activation, Replacement.partial(), Precision.FLOAT32, rng.child("init")));
        Sgd sgd = new Sgd(m.net().params(), new Sgd.Config(0.9, false, Map.of(ParamRole.WEIGHT, 5e-4, ParamRole.THRESHOLD, 5e-4)));
        INDArray x = rng.child("x").normal(Precision.FLOAT32, 0, 1, batch, 3, 32, 32);
        int[] labels = new int[batch];
        for (int i = 0; i < batch; i++) {
            labels[i] = i % 100;
        }
        SoftmaxCrossEntropy loss = new SoftmaxCrossEntropy();
        double[] ms = new double[repeats];
        for (int r = -2; r < repeats; r++) {
            long t0 = System.nanoTime();
            sgd.zeroGrad();
            loss.forward(m.net().forward(x, Mode.TRAIN), labels);
            m.net().backward(loss.backward());
            sgd.step(0.1);
            if (r >= 0) {
                ms[r] = (System.nanoTime() - t0) / 1e6;
            }
        }
        Arrays.sort(ms);
        System.out.printf("%s: steps %s ms%n", activation.describe(), Arrays.toString(Arrays.stream(ms).map(Math::round).toArray()));
        return ms[repeats / 2];
    }
}
