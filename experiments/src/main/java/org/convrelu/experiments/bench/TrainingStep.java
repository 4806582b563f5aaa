package org.convrelu.experiments.bench;

import org.convrelu.experiments.recipe.Arch;
import org.convrelu.experiments.recipe.DataId;
import org.convrelu.experiments.recipe.Recipe;
import org.convrelu.experiments.recipe.Scale;
import org.convrelu.nn.Mode;
import org.convrelu.nn.loss.SoftmaxCrossEntropy;
import org.convrelu.nn.models.ActivationSpec;
import org.convrelu.nn.models.Model;
import org.convrelu.nn.models.Models;
import org.convrelu.nn.models.Replacement;
import org.convrelu.nn.optim.Sgd;
import org.convrelu.tensor.Precision;
import org.convrelu.tensor.RandomStream;
import org.convrelu.tensor.memory.StepWorkspace;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * One of the benchmarked networks with its optimiser and a fixed random batch (for the char-CNNs,
 * random characters quantised one-hot as real text is), with the activation placed as the paper's
 * partial replacement. {@link #runMs} times one forward, backward and SGD update.
 */
final class TrainingStep {
    /** The benchmarked networks. */
    enum Network {
        /** densenet_cifar, 100 classes, 32×32: the paper's image network. */
        DENSENET_CIFAR("densenet_cifar training step", "images", 1.5),
        /** DenseNet-BC [2,2,2,2] growth 6, 10 classes, 32×32: the narrow network of smoke runs. */
        DENSENET_NARROW("DenseNet-BC [2,2,2,2] growth 6 training step", "images", 1.0),
        /** The network of reduced CIFAR cells (DenseNet-BC [3,3,3] growth 12, stem pool), 10 classes, 32×32, built by its recipe. */
        DENSENET_REDUCED("reduced CIFAR-10 DenseNet-BC [3,3,3] growth 12 training step", "images", 1.0),
        /** The small char-CNN of Zhang et al. (2015), frame 1014, 70 characters, 4 classes. */
        CHARCNN_SMALL("char-CNN small training step, frame 1014", "documents", 1.2),
        /** The network of reduced MR cells (64 features, batch norm, global max), frame 256, 2 classes, built by its recipe. */
        CHARCNN_REDUCED("reduced MR char-CNN training step, frame 256", "documents", 1.2);

        final String benchmark;
        final String unit;
        /** The performance target: our ReLU step takes at most this multiple of PyTorch's. */
        final double pytorchTimeTarget;

        Network(String benchmark, String unit, double pytorchTimeTarget) {
            this.benchmark = benchmark;
            this.unit = unit;
            this.pytorchTimeTarget = pytorchTimeTarget;
        }

        static Network of(String benchmark) {
            for (Network n : values()) {
                if (n.benchmark.equals(benchmark)) {
                    return n;
                }
            }
            throw new IllegalArgumentException("no benchmarked network is called " + benchmark);
        }

        Model build(Models.Options o, RandomStream dropout) {
            return switch (this) {
                case DENSENET_CIFAR -> Models.densenetCifar(100, 32, o);
                case DENSENET_NARROW -> Models.denseNetBC("densenet_bc[2,2,2,2]_g6", new int[] {2, 2, 2, 2}, 6, 0.5, 10, 32, o);
                case CHARCNN_SMALL -> Models.charCnn(Models.CharCnnSize.SMALL, 70, 1014, 4, o, dropout);
                case DENSENET_REDUCED -> reduced(DataId.CIFAR10, Arch.DENSENET, o).build(10, new long[] {3, 32, 32}, o.rng(), dropout);
                case CHARCNN_REDUCED -> {
                    Recipe r = reduced(DataId.MR, Arch.CHARCNN, o);
                    yield r.build(2, new long[] {r.alphabet().size(), r.frame()}, o.rng(), dropout);
                }
            };
        }

        /** The recipe of a reduced cell with {@code o}'s activation and placement: the bench times the network that cell trains. */
        private static Recipe reduced(DataId data, Arch arch, Models.Options o) {
            return Recipe.of(Scale.REDUCED, data, arch, o.activation(), o.replacement());
        }
    }

    final Model model;
    private final Sgd sgd;
    private final INDArray x;
    private final int[] labels;
    private final SoftmaxCrossEntropy loss = new SoftmaxCrossEntropy();

    TrainingStep(Network network, ActivationSpec activation, int batch) {
        this(network.build(options(activation), RandomStream.root(1).child("dropout")), batch);
    }

    /** A step of {@code model} on a fixed random batch of {@code batch} examples with labels cycling over the classes. */
    TrainingStep(Model model, int batch) {
        RandomStream rng = RandomStream.root(1);
        this.model = model;
        model.net().inputGradient(false); // as the trainer: nobody reads the network's dx
        sgd = new Sgd(model.net().params(), Sgd.Config.cifarDenseNet());
        long[] shape = new long[model.inputShape().length + 1];
        shape[0] = batch;
        System.arraycopy(model.inputShape(), 0, shape, 1, model.inputShape().length);
        x = shape.length == 3 ? quantisedText(rng.child("x"), shape) : rng.child("x").normal(Precision.FLOAT32, 0, 1, shape);
        labels = new int[batch];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = i % model.classes();
        }
    }

    /** A batch {@code [N, alphabet, frame]} as the quantiser writes text: one random character (a 1 in its channel) per position. */
    private static INDArray quantisedText(RandomStream rng, long[] shape) {
        INDArray x = Nd4j.zeros(DataType.FLOAT, shape);
        INDArray characters = rng.uniform(Precision.FLOAT64, 0, shape[1], shape[0], shape[2]);
        for (long n = 0; n < shape[0]; n++) {
            for (long l = 0; l < shape[2]; l++) {
                x.putScalar(new long[] {n, (long) characters.getDouble(n, l), l}, 1f);
            }
        }
        return x;
    }

    /** Float32, the activation placed as the paper's partial replacement, weights from the seed-1 stream. */
    static Models.Options options(ActivationSpec activation) {
        return new Models.Options(activation, Replacement.partial(), Precision.FLOAT32, RandomStream.root(1).child("init"));
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
