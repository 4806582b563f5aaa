package org.convrelu.experiments;

import java.util.Arrays;
import java.util.Locale;
import org.convrelu.nn.Mode;
import org.convrelu.nn.loss.SoftmaxCrossEntropy;
import org.convrelu.nn.models.ActivationSpec;
import org.convrelu.nn.models.Model;
import org.convrelu.nn.models.Models;
import org.convrelu.nn.models.Replacement;
import org.convrelu.nn.optim.Sgd;
import org.convrelu.tensor.Precision;
import org.convrelu.tensor.RandomStream;
import org.convrelu.tensor.StepWorkspace;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Training-step time of a DenseNet-BC variant: {@code blocks(comma) growth stemPool(0|1) batch steps [convrelu]}. */
public final class DenseNetTiming {
    public static void main(String[] args) {
        int[] blocks = Arrays.stream(args[0].split(",")).mapToInt(Integer::parseInt).toArray();
        int growth = Integer.parseInt(args[1]);
        boolean pool = args[2].equals("1");
        int batch = Integer.parseInt(args[3]), steps = Integer.parseInt(args[4]);
        ActivationSpec act = args.length > 5 && args[5].equals("convrelu") ? ActivationSpec.convRelu() : ActivationSpec.relu();
        RandomStream rng = RandomStream.root(1);
        Model m = Models.denseNetBC("d", blocks, growth, 0.5, pool, 10, 32,
                new Models.Options(act, Replacement.partial(), Precision.FLOAT32, rng.child("init")));
        Sgd sgd = new Sgd(m.net().params(), Sgd.Config.cifarDenseNet());
        INDArray x = rng.child("x").normal(Precision.FLOAT32, 0, 1, batch, 3, 32, 32);
        int[] y = new int[batch];
        SoftmaxCrossEntropy loss = new SoftmaxCrossEntropy();
        double[] ms = new double[steps];
        for (int i = -5; i < steps; i++) {
            long t0 = System.nanoTime();
            try (MemoryWorkspace ws = StepWorkspace.open("t")) {
                sgd.zeroGrad();
                loss.forward(m.net().forward(x, Mode.TRAIN), y);
                m.net().backward(loss.backward());
                sgd.step(0.1);
            }
            if (i >= 0) {
                ms[i] = (System.nanoTime() - t0) / 1e6;
            }
        }
        Arrays.sort(ms);
        System.out.printf(Locale.ROOT, "%s g%d pool=%b batch %d: median %.1f ms, %.0f images/s, %d params%n", args[0], growth, pool, batch,
                ms[steps / 2], batch * 1000 / ms[steps / 2], m.parameterCount());
    }
}
