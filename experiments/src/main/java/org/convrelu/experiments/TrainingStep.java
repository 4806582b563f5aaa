package org.convrelu.experiments;

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
import org.nd4j.linalg.factory.Nd4j;

/**
 * One of the benchmarked networks with its optimiser and a fixed random batch: densenet_cifar
 * (100 classes, 32×32) or the small char-CNN (frame 1014, 4 classes), with the activation placed
 * as the paper's partial replacement. {@link #runMs} times one forward, backward and SGD update.
 */
final class TrainingStep {
    final Model model;
    private final Sgd sgd;
    private final INDArray x;
    private final int[] labels;
    private final SoftmaxCrossEntropy loss = new SoftmaxCrossEntropy();

    TrainingStep(ActivationSpec activation, boolean text, int batch) {
        RandomStream rng = RandomStream.root(1);
        Models.Options o = new Models.Options(activation, Replacement.partial(), Precision.FLOAT32, rng.child("init"));
        model = text ? Models.charCnn(Models.CharCnnSize.SMALL, 70, 1014, 4, o, rng.child("dropout")) : Models.densenetCifar(100, 32, o);
        sgd = new Sgd(model.net().params(), Sgd.Config.cifarDenseNet());
        long[] shape = new long[model.inputShape().length + 1];
        shape[0] = batch;
        System.arraycopy(model.inputShape(), 0, shape, 1, model.inputShape().length);
        x = rng.child("x").normal(Precision.FLOAT32, 0, 1, shape);
        labels = new int[batch];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = i % model.classes();
        }
    }

    /** One step on the fixed batch, in milliseconds. */
    double runMs() {
        long t0 = System.nanoTime();
        train(x, labels);
        return (System.nanoTime() - t0) / 1e6;
    }

    /** One forward, backward and SGD update (lr 0.1) on {@code batch}, finished on the device before it returns. */
    void train(INDArray batch, int[] y) {
        try (MemoryWorkspace ws = StepWorkspace.open("convrelu-bench-step")) { // as the trainer runs a step
            sgd.zeroGrad();
            loss.forward(model.net().forward(batch, Mode.TRAIN), y);
            model.net().backward(loss.backward());
            sgd.step(0.1);
            Nd4j.getExecutioner().commit(); // a GPU queues its kernels: time them to completion
        }
    }
}
