package org.convrelu.experiments;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.convrelu.nn.ParamRole;
import org.convrelu.nn.init.Init;
import org.convrelu.nn.models.ActivationSpec;
import org.convrelu.nn.models.Model;
import org.convrelu.nn.models.Models;
import org.convrelu.nn.models.Replacement;
import org.convrelu.nn.optim.Sgd;
import org.convrelu.nn.optim.StepSchedule;
import org.convrelu.nn.train.LearningRate;
import org.convrelu.tensor.Precision;
import org.convrelu.tensor.RandomStream;

/**
 * The training protocol of a cell at a scale: data subset sizes, epochs, batch size and network.
 *
 * <p>The paper states only SGD with learning rate 0.1 divided by 10 at epochs 150 and 250, and
 * batch 128, shared by images and text (§ Experimental Setup). Images here take that schedule
 * (milestones scaled to the run's length) and add what the paper leaves unstated, as the
 * DenseNet/ResNet CIFAR code it builds on does: 300 epochs, momentum 0.9, weight decay 5e-4 on
 * weights and thresholds, random crops with zero padding (4 pixels at 32×32, 8 at 64×64) and
 * horizontal flips, normalisation statistics from the training subset. Text departs from the
 * paper's schedule for Zhang et al.'s (learning rate 0.01 halved every 15,000 steps, momentum 0.9)
 * with the same weight decay.
 *
 * <p>{@code smoke} and {@code reduced} shrink the data (per-class subsets), the epochs and the
 * networks (DenseNet-BC with blocks [2,2,2,2] and growth 6; VGG-16 and ResNet-18 at 1/8 width;
 * a char-CNN with 32 or 64 features), so only {@code paper} trains the published networks.
 *
 * @param trainPerClass training examples per class (0: all available)
 * @param evalPerClass evaluation examples per class (0: the whole evaluation split)
 * @param frame characters per text frame (text only)
 */
public record Protocol(Scale scale, DataId data, Arch arch, int trainPerClass, int evalPerClass, int epochs, int batchSize,
        int frame) {

    public static Protocol of(Scale scale, DataId data, Arch arch) {
        boolean tiny = data == DataId.TINY_IMAGENET;
        boolean c100 = data == DataId.CIFAR100;
        return switch (scale) {
            case SMOKE -> data.isText() ? new Protocol(scale, data, arch, 128, 64, 2, 64, 256)
                    : tiny ? new Protocol(scale, data, arch, 2, 2, 1, 50, 0)
                    : new Protocol(scale, data, arch, c100 ? 10 : 100, c100 ? 5 : 50, 2, 64, 0);
            case REDUCED -> data.isText() ? new Protocol(scale, data, arch, 0, 0, 10, 64, data == DataId.MR ? 256 : 512)
                    : tiny ? new Protocol(scale, data, arch, 10, 10, 4, 50, 0)
                    : new Protocol(scale, data, arch, c100 ? 50 : 500, 0, 10, 64, 0);
            case PAPER -> new Protocol(scale, data, arch, 0, 0, 300, 128, 1014);
        };
    }

    /**
     * One line built from the values that train the cell (part of its key): data subsets, epochs,
     * batch, frame and alphabet, network and its initialisation, the learning-rate schedule, the
     * optimiser, augmentation and precision. Change any of them and the key changes.
     */
    public String describe() {
        Sgd.Config sgd = sgd();
        String decay = new TreeMap<>(sgd.weightDecay()).toString();
        return String.format(Locale.ROOT, "%s train/class=%s eval/class=%s epochs=%d batch=%d%s model=%s init=%s lr=%s"
                        + " sgd(momentum=%s, nesterov=%s, decay=%s) augment=%s precision=%s", scale.id(),
                trainPerClass == 0 ? "all" : trainPerClass, evalPerClass == 0 ? "all" : evalPerClass, epochs, batchSize,
                data.isText() ? " frame=" + frame + " alphabet=paper-70" : "", modelName(), weightInit(), schedule().describe(),
                sgd.momentum(), sgd.nesterov(), decay, augmentation(), Precision.FLOAT32);
    }

    /** Folds of MR's 10-fold cross-validation (MR has no official split). */
    public static final int MR_FOLDS = 10;

    /**
     * The held-out folds a table entry trains, per seed: MR's ten at paper scale (10-fold
     * cross-validation, the usual protocol), its first alone at the smaller scales; {@code [0]}
     * (no folds) for data with a test split.
     */
    public List<Integer> folds() {
        if (data != DataId.MR) {
            return List.of(0);
        }
        return scale == Scale.PAPER ? java.util.stream.IntStream.rangeClosed(1, MR_FOLDS).boxed().toList() : List.of(1);
    }

    /** A learning-rate schedule as data, so the values that train a cell are the ones that key it. */
    public record Schedule(Kind kind, double base, double factor, long every, int[] milestones) {
        /** Step decay at epoch milestones; halving every {@code every} steps; halving every {@code every} epochs. */
        public enum Kind { STEP, HALVE_EVERY_STEPS, HALVE_EVERY_EPOCHS }

        LearningRate learningRate() {
            return switch (kind) {
                case STEP -> LearningRate.of(new StepSchedule(base, milestones, factor));
                case HALVE_EVERY_STEPS -> (epoch, step) -> base * Math.pow(factor, step / every);
                case HALVE_EVERY_EPOCHS -> (epoch, step) -> base * Math.pow(factor, epoch / every);
            };
        }

        String describe() {
            return switch (kind) {
                case STEP -> String.format(Locale.ROOT, "%s ×%s at epochs %s", base, factor, java.util.Arrays.toString(milestones));
                case HALVE_EVERY_STEPS -> String.format(Locale.ROOT, "%s ×%s every %d steps", base, factor, every);
                case HALVE_EVERY_EPOCHS -> String.format(Locale.ROOT, "%s ×%s every %d epochs", base, factor, every);
            };
        }
    }

    /**
     * Images: the paper's schedule with milestones scaled to this run's epochs. Text: Zhang et al.'s
     * recipe, 0.01 halved every 15,000 steps at paper scale and every 3 epochs at the smaller scales.
     */
    public Schedule schedule() {
        if (data.isText()) {
            return scale == Scale.PAPER ? new Schedule(Schedule.Kind.HALVE_EVERY_STEPS, 0.01, 0.5, 15_000, new int[0])
                    : new Schedule(Schedule.Kind.HALVE_EVERY_EPOCHS, 0.01, 0.5, 3, new int[0]);
        }
        StepSchedule step = StepSchedule.paper().scaled(epochs, 300);
        return new Schedule(Schedule.Kind.STEP, step.base(), step.gamma(), 0, step.milestones());
    }

    public LearningRate learningRate() {
        return schedule().learningRate();
    }

    public Sgd.Config sgd() {
        return new Sgd.Config(0.9, false, Map.of(ParamRole.WEIGHT, 5e-4, ParamRole.THRESHOLD, 5e-4));
    }

    /** The weight initialisation {@link #build} gives the network. */
    String weightInit() {
        return arch == Arch.CHARCNN && scale == Scale.PAPER ? "normal(0.05) (Zhang et al.)" : "he";
    }

    /** The training augmentation {@code Data} applies: images crop + flip, text none. */
    String augmentation() {
        return data.isText() ? "none" : "crop(zero-pad size/8)+hflip, per-channel normalisation from the training subset";
    }

    /** Zero padding of the random crop: 4 pixels at 32×32, 8 at 64×64. */
    public int cropPadding(int imageSize) {
        return imageSize / 8;
    }

    public String modelName() {
        boolean full = scale == Scale.PAPER;
        return switch (arch) {
            case DENSENET -> full ? "densenet_cifar" : "densenet_bc[2,2,2,2]_g6";
            case VGG16 -> full ? "vgg16" : "vgg16_w1/8";
            case RESNET18 -> full ? "resnet18" : "resnet18_w1/8";
            case CHARCNN -> full ? "charcnn_small" : scale == Scale.SMOKE ? "charcnn_f32_h64" : "charcnn_f64_h256";
        };
    }

    /** The network for {@code classes} classes and inputs of {@code inputShape} ({@code [C, H, W]} or {@code [alphabet, frame]}). */
    public Model build(int classes, long[] inputShape, ActivationSpec activation, Replacement replacement, RandomStream init,
            RandomStream dropout) {
        Models.Options o = new Models.Options(activation, replacement, Precision.FLOAT32, init);
        boolean full = scale == Scale.PAPER;
        int size = (int) (inputShape.length == 3 ? inputShape[1] : 0);
        return switch (arch) {
            case DENSENET -> full ? Models.densenetCifar(classes, size, o)
                    : Models.denseNetBC(modelName(), new int[] {2, 2, 2, 2}, 6, 0.5, classes, size, o);
            case VGG16 -> Models.vgg16(classes, size, full ? 1 : 8, o);
            case RESNET18 -> Models.resnet18(classes, size, full ? 1 : 8, o);
            case CHARCNN -> full ? Models.charCnn(Models.CharCnnSize.SMALL, (int) inputShape[0], frame, classes, o, dropout)
                    : Models.charCnn(modelName(), scale == Scale.SMOKE ? 32 : 64, scale == Scale.SMOKE ? 64 : 256, Init.he(),
                            (int) inputShape[0], frame, classes, o, dropout);
        };
    }
}
