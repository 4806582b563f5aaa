package org.convrelu.experiments.recipe;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.IntStream;
import org.convrelu.datasets.text.Alphabet;
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
 * Everything that trains a cell, as one typed record: the data (subset, split or fold), the network
 * and its initialisation, the activation and where it replaces ReLU, the optimiser, schedule,
 * epochs, batch, augmentation, precision and, for text, the frame, alphabet and named text recipe.
 * The same record trains the cell ({@link #build}, {@link #learningRate}, the run's data preparation),
 * keys it ({@link #canonicalJson()}, hashed by {@link Cell#key()}) and is printed in the reports
 * ({@link #fields()}), each field marked as the paper's or ours with the reason.
 *
 * <p>The paper states SGD with learning rate 0.1 divided by 10 at epochs 150 and 250, batch 128,
 * "the standard data augmentation scheme" for images, one setup shared by images and text
 * (§ Experimental Setup). Everything else here is ours and says so.
 *
 * @param trainPerClass training examples per class (0: the whole training split)
 * @param evalPerClass evaluation examples per class (0: the whole evaluation split)
 * @param fold MR's held-out fold of 10-fold cross-validation, 1-based; 0 in a table's entry (every
 *        fold of {@link #folds()}) and for data with a test split
 * @param cropPadding zero padding of the random crop in pixels (images; 0 for text)
 * @param frame characters per text frame (0 for images)
 * @param alphabet the character alphabet (null for images)
 * @param textRecipe the named optimiser and schedule of a text cell (null for images)
 */
public record Recipe(Scale scale, DataId data, int trainPerClass, int evalPerClass, int fold, Arch arch, ActivationSpec activation,
        Replacement replacement, WeightInit weightInit, Sgd.Config optimiser, Schedule schedule, int epochs, int batchSize,
        int cropPadding, Precision precision, int frame, Alphabet alphabet, TextRecipe textRecipe) {

    /** Folds of MR's 10-fold cross-validation (MR has no official split). */
    public static final int MR_FOLDS = 10;

    /** Epochs the paper's milestones (150, 250) belong to: ours, as the DenseNet CIFAR recipe. */
    static final int PAPER_EPOCHS = 300;
    /** Epochs of a reduced CIFAR cell: what one cell trains in about 20 minutes on 2 CPU cores (docs/scales.md). */
    static final int REDUCED_CIFAR_EPOCHS = 11;
    /** The reduced CIFAR schedule's peak learning rate and the epochs it rises over (docs/scales.md: chosen by measurement). */
    static final double REDUCED_CIFAR_PEAK_LR = 0.2;
    static final double REDUCED_CIFAR_WARMUP_EPOCHS = 1.5;
    /** The text triangle's peak learning rate and the fraction of the run it rises over (docs/scales.md: chosen by measurement on MR). */
    static final double TEXT_TRIANGLE_PEAK_LR = 0.05;
    static final double TEXT_TRIANGLE_WARMUP_FRACTION = 0.2;

    public Recipe {
        if ((data == DataId.MR) ? fold < 0 || fold > MR_FOLDS : fold != 0) {
            throw new IllegalArgumentException(data.column() + (data == DataId.MR ? " is cross-validated: fold 1.." + MR_FOLDS
                    + " (0: every fold), got " + fold : " has a test split: no fold, got " + fold));
        }
        if (data.isText() != (textRecipe != null)) {
            throw new IllegalArgumentException("a text recipe belongs to text data and only to it (" + data.column() + ", " + textRecipe + ")");
        }
    }

    /**
     * The named optimiser and schedule of a text cell. The paper shares the image recipe with text;
     * Zhang et al. trained the char-CNN with their own (Crepe). Which one trains Table 2 by default
     * was chosen by running them on the same cells ({@code suite recipes}, report
     * {@code reports/results/reduced/text-recipes.md}) and, for MR at reduced scale, on the PyTorch
     * peer (docs/scales.md).
     */
    public enum TextRecipe {
        /** The paper's shared setup: SGD, lr 0.1 ×0.1 at epochs 150 and 250, batch 128 (momentum and decay as images). */
        PAPER,
        /** Crepe's (Zhang, Zhao and LeCun 2015): lr 0.01 halved every 3 epochs (15,000 steps) 10 times then held, momentum 0.9, decay 1e-5. */
        CREPE,
        /**
         * Ours: SGD with lr linear from 0 to 0.05 over the first fifth of the run, then linear to 0
         * at the last step; momentum 0.9 and decay 1e-5 as Crepe's. With the batch-normalised
         * char-CNN it is the recipe under which the reduced text cells learn (docs/scales.md).
         */
        TRIANGLE;

        /** Whether this recipe takes Crepe's momentum and weight decay (0.9, 1e-5) rather than the image recipe's. */
        boolean crepeOptimiser() {
            return this != PAPER;
        }

        /** The text recipe of Table 2 when none is asked for: the triangle at reduced scale, Crepe's elsewhere (docs/scales.md). */
        public static TextRecipe defaultFor(Scale scale, DataId data) {
            return scale == Scale.REDUCED && data.isText() ? TRIANGLE : CREPE;
        }

        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static TextRecipe parse(String s) {
            try {
                return valueOf(s.strip().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("unknown text recipe '" + s + "': expected paper, crepe or triangle");
            }
        }
    }

    /** The initialisation of the network's weights. */
    public enum WeightInit {
        /** He et al. (2015), as the DenseNet and ResNet CIFAR code. */
        HE,
        /** N(0, 0.05²), Zhang et al.'s for the small char-CNN. */
        NORMAL_005;

        Init init() {
            return this == HE ? Init.he() : Init.normal(0.05);
        }
    }

    /** The recipe of a table entry: the rules of {@code scale} for this data and network, with the default text recipe. */
    public static Recipe of(Scale scale, DataId data, Arch arch, ActivationSpec activation, Replacement replacement) {
        return of(scale, data, arch, activation, replacement, data.isText() ? TextRecipe.defaultFor(scale, data) : null);
    }

    /** The recipe of a table entry at {@code scale}; {@code text} names the text recipe (null for images). */
    public static Recipe of(Scale scale, DataId data, Arch arch, ActivationSpec activation, Replacement replacement, TextRecipe text) {
        Budget budget = Budget.of(scale, data);
        int epochs = budget.epochs();
        boolean crepe = text == TextRecipe.CREPE;
        WeightInit init = arch == Arch.CHARCNN && scale == Scale.PAPER ? WeightInit.NORMAL_005 : WeightInit.HE;
        double decay = text != null && text.crepeOptimiser() ? 1e-5 : 5e-4;
        Sgd.Config sgd = new Sgd.Config(0.9, false, Map.of(ParamRole.WEIGHT, decay, ParamRole.THRESHOLD, decay));
        Schedule schedule;
        if (scale == Scale.REDUCED && (data == DataId.CIFAR10 || data == DataId.CIFAR100)) {
            schedule = Schedule.triangle(REDUCED_CIFAR_PEAK_LR, REDUCED_CIFAR_WARMUP_EPOCHS);
        } else if (text == TextRecipe.TRIANGLE) {
            schedule = Schedule.triangle(TEXT_TRIANGLE_PEAK_LR, TEXT_TRIANGLE_WARMUP_FRACTION * epochs);
        } else if (crepe) {
            schedule = scale == Scale.PAPER ? Schedule.halving(0.01, Schedule.Unit.STEPS, 15_000, 10)
                    : Schedule.halving(0.01, Schedule.Unit.EPOCHS, 3, 10);
        } else {
            StepSchedule step = StepSchedule.paper().scaled(epochs, PAPER_EPOCHS);
            schedule = Schedule.step(step.base(), step.gamma(), step.milestones());
        }
        // an eighth of the side: 4 pixels at 32×32, 8 at 64×64
        int cropPadding = data.isText() ? 0 : (data == DataId.TINY_IMAGENET ? 64 : 32) / 8;
        return new Recipe(scale, data, budget.trainPerClass(), budget.evalPerClass(), 0, arch, activation, replacement, init, sgd, schedule,
                epochs, budget.batch(), cropPadding, Precision.FLOAT32, budget.frame(), data.isText() ? Alphabet.PAPER : null, text);
    }

    public Recipe withFold(int f) {
        return new Recipe(scale, data, trainPerClass, evalPerClass, f, arch, activation, replacement, weightInit, optimiser, schedule,
                epochs, batchSize, cropPadding, precision, frame, alphabet, textRecipe);
    }

    /** The same entry trained with another text recipe (the rules of {@link #of} applied again); images are unchanged. */
    public Recipe withTextRecipe(TextRecipe text) {
        if (!data.isText() || text == textRecipe) {
            return this;
        }
        return of(scale, data, arch, activation, replacement, text).withFold(fold);
    }

    /**
     * The held-out folds a table entry trains, per seed: MR's ten (10-fold cross-validation, the
     * usual protocol), its first alone at smoke scale; {@code [0]} (no folds) for data with a test
     * split.
     */
    public List<Integer> folds() {
        if (data != DataId.MR) {
            return List.of(0);
        }
        return scale == Scale.SMOKE ? List.of(1) : IntStream.rangeClosed(1, MR_FOLDS).boxed().toList();
    }

    /** A learning-rate schedule as data, so the values that train a cell are the ones that key it and are printed. */
    public record Schedule(Kind kind, double base, double factor, int[] milestones, Unit unit, long every, int times, double warmupEpochs) {
        /**
         * Step decay at epoch milestones; halving every {@code every} steps or epochs, {@code times}
         * times, then held; or a triangle: from 0 up to {@code base} over {@code warmupEpochs}, down
         * to 0 at the last step.
         */
        public enum Kind { STEP, HALVING, TRIANGLE }

        public enum Unit { STEPS, EPOCHS }

        public Schedule {
            milestones = milestones.clone();
        }

        static Schedule step(double base, double factor, int[] milestones) {
            return new Schedule(Kind.STEP, base, factor, milestones, Unit.EPOCHS, 0, milestones.length, 0);
        }

        static Schedule halving(double base, Unit unit, long every, int times) {
            return new Schedule(Kind.HALVING, base, 0.5, new int[0], unit, every, times, 0);
        }

        static Schedule triangle(double peak, double warmupEpochs) {
            return new Schedule(Kind.TRIANGLE, peak, 0, new int[0], Unit.STEPS, 0, 0, warmupEpochs);
        }

        @Override
        public int[] milestones() {
            return milestones.clone();
        }

        LearningRate learningRate(int epochs, long stepsPerEpoch) {
            return switch (kind) {
                case STEP -> LearningRate.of(new StepSchedule(base, milestones, factor));
                case HALVING -> LearningRate.halving(base, every, unit == Unit.EPOCHS, times);
                case TRIANGLE -> LearningRate.triangle(base, Math.round(warmupEpochs * stepsPerEpoch), epochs * stepsPerEpoch);
            };
        }

        String describe() {
            return switch (kind) {
                case STEP -> String.format(Locale.ROOT, "%s, ×%s at epochs %s", base, factor, Arrays.toString(milestones));
                case HALVING -> String.format(Locale.ROOT, "%s, ×%s every %d %s, %d times, then held", base, factor, every,
                        unit.name().toLowerCase(Locale.ROOT), times);
                case TRIANGLE -> String.format(Locale.ROOT, "linear from 0 to %s at epoch %s, then linear to 0 at the last step, per step",
                        base, warmupEpochs);
            };
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Schedule s && s.kind == kind && s.base == base && s.factor == factor && Arrays.equals(s.milestones, milestones)
                    && s.unit == unit && s.every == every && s.times == times && s.warmupEpochs == warmupEpochs;
        }

        @Override
        public int hashCode() {
            return java.util.Objects.hash(kind, base, factor, Arrays.hashCode(milestones), unit, every, times, warmupEpochs);
        }

        @Override
        public String toString() {
            return describe();
        }
    }

    /** The learning rate of every step of this recipe's run, whose epochs have {@code stepsPerEpoch} steps each. */
    public LearningRate learningRate(long stepsPerEpoch) {
        return schedule.learningRate(epochs, stepsPerEpoch);
    }

    /** Where a field's value comes from. */
    public enum Origin { PAPER, OURS }

    /** One field of the recipe as printed and keyed: its value, whether the paper states it, and why it is what it is. */
    public record Field(String name, String value, Origin origin, String reason) {}

    /** Every field that trains the cell, in a fixed order: what {@link #canonicalJson()} hashes and the reports print. */
    public List<Field> fields() {
        boolean paper = scale == Scale.PAPER;
        String smaller = "scale " + scale.id() + ": smaller than the paper's so that a cell trains on 2 CPU cores";
        List<Field> f = new ArrayList<>();
        f.add(new Field("data", data.column(), Origin.PAPER, "the paper's dataset"));
        f.add(split());
        f.add(trainPerClass == 0 && evalPerClass == 0 ? new Field("subset", "all", Origin.PAPER, "the whole splits")
                : new Field("subset", "train " + perClass(trainPerClass) + ", evaluation " + perClass(evalPerClass), Origin.OURS,
                        smaller + " (the first examples of each class)"));
        f.add(paper ? new Field("model", modelName(), Origin.PAPER, switch (arch) {
            case DENSENET -> "the DenseNet-BC whose parameter counts are Table 6";
            case VGG16, RESNET18 -> "Table 3's network";
            case CHARCNN -> "the small char-CNN of Zhang, Zhao and LeCun (2015) the paper names";
        }) : new Field("model", modelName(), Origin.OURS, arch == Arch.DENSENET && scale == Scale.REDUCED
                ? smaller + ": a DenseNet-BC whose stem is followed by a 2×2 average pool (as the ImageNet DenseNets), chosen by"
                        + " measurement among networks that train a CIFAR-10 epoch in minutes (docs/scales.md)"
                : (arch == Arch.VGG16 || arch == Arch.RESNET18) && scale == Scale.REDUCED
                        ? smaller + ": the paper's network with its widths divided by " + widthDivisor() + ", the narrowest whose"
                                + " ReLU cell passed 82 % top-1 on CIFAR-10 in this recipe, chosen by measurement (docs/scales.md)"
                : charCnnForm() == Models.CharCnnForm.BATCH_NORM_GLOBAL_MAX
                        ? smaller + ": Zhang et al.'s six convs with batch norm after each and a max over all positions before the"
                                + " FC layers; on MR's 9,600 training sentences their published form stays at a constant guess,"
                                + " and near one on AG's News's 6,080 (docs/scales.md)"
                        : smaller + ", the same family"));
        f.add(new Field("weight init", weightInit == WeightInit.HE ? "He normal" : "N(0, 0.05²)", Origin.OURS, weightInit == WeightInit.HE
                ? "the paper states none; He et al. (2015) as the DenseNet/ResNet CIFAR code"
                : "the paper states none; Zhang et al.'s for the small char-CNN"));
        f.add(new Field("activation", activation.describe(), Origin.PAPER, "the row under test; thresholds initialised as Table 4"));
        f.add(new Field("placement", replacement.describe(), Origin.PAPER, "partial replacement (early layers) or the table's variant"));
        f.add(new Field("optimiser", "SGD", Origin.PAPER, "§ Experimental Setup"));
        boolean crepeDecay = textRecipe != null && textRecipe.crepeOptimiser();
        f.add(new Field("momentum", optimiser.momentum() + (optimiser.nesterov() ? " (Nesterov)" : ""), Origin.OURS,
                crepeDecay ? "Crepe's" : "the paper states none; 0.9 as the DenseNet CIFAR code"));
        f.add(new Field("weight decay", new TreeMap<>(optimiser.weightDecay()).toString(), Origin.OURS, crepeDecay
                ? "Crepe's 1e-5" : "the paper asks L2 on θ without a coefficient; 5e-4 as the DenseNet CIFAR code, on weights and thresholds"));
        f.add(scheduleField());
        f.add(new Field("epochs", Integer.toString(epochs), Origin.OURS, paper ? "the paper gives milestones 150 and 250 but no total;"
                + " 300 as DenseNet's CIFAR recipe" : smaller));
        f.add(batchSize == 128 ? new Field("batch", "128", Origin.PAPER, "§ Experimental Setup")
                : new Field("batch", Integer.toString(batchSize), Origin.OURS, smaller + " (more steps on the smaller data)"));
        f.add(data.isText() ? new Field("augmentation", "none", Origin.PAPER, "the paper states none for text")
                : new Field("augmentation", "random crop with " + cropPadding + "-pixel zero padding, horizontal flip", Origin.PAPER,
                        "\"the standard data augmentation scheme\" of Huang et al. and He et al."));
        if (!data.isText()) {
            f.add(new Field("normalisation", "per channel, statistics of the training subset", Origin.OURS, "the paper states none"));
        }
        f.add(new Field("precision", precision.toString(), Origin.OURS, "the paper states none; float32 as its GPU frameworks"));
        if (data.isText()) {
            f.add(new Field("frame", Integer.toString(frame), frame == 1014 ? Origin.PAPER : Origin.OURS, frame == 1014
                    ? "the input length of Zhang et al.'s char-CNN" : smaller));
            f.add(new Field("alphabet", alphabet.name() + " (" + alphabet.size() + " characters)", Origin.PAPER,
                    "Zhang et al.'s alphabet as the paper counts it"));
            f.add(new Field("text recipe", textRecipe.id(), textRecipe == TextRecipe.PAPER ? Origin.PAPER : Origin.OURS,
                    switch (textRecipe) {
                        case PAPER -> "the paper shares the image setup with text";
                        case CREPE -> "Zhang et al.'s Crepe recipe; chosen by measurement, reports/results/reduced/text-recipes.md";
                        case TRIANGLE -> "ours; with the batch-normalised char-CNN, chosen by measurement on MR (docs/scales.md)";
                    }));
        }
        return f;
    }

    private static String perClass(int n) {
        return n == 0 ? "all" : n + " per class";
    }

    private Field split() {
        return switch (data) {
            case MR -> new Field("split", fold == 0 ? "10-fold cross-validation, folds " + folds() : "10-fold cross-validation, fold " + fold
                    + " of " + MR_FOLDS + " held out", Origin.OURS, "MR has no official split and the paper does not say how it was"
                    + " evaluated; 10-fold cross-validation over a fixed partition (seed 2020) is the usual protocol"
                    + (scale == Scale.SMOKE ? "; " + "scale " + scale.id() + " holds out fold 1 alone" : ""));
            case TINY_IMAGENET -> new Field("split", "official train / validation", Origin.OURS, "Tiny ImageNet's test labels are not public");
            case AG_NEWS -> new Field("split", "official train / test; without train.csv, 80% of the test split trains and a stratified"
                    + " 20% (seed 2020) evaluates", Origin.PAPER, "the dataset's published splits; the fallback is ours, its results"
                    + " are marked partial data");
            default -> new Field("split", "official train / test", Origin.PAPER, "the dataset's published splits");
        };
    }

    private Field scheduleField() {
        String value = "lr " + schedule.describe();
        if (textRecipe == TextRecipe.CREPE) {
            return new Field("schedule", value, Origin.OURS, "Crepe's (Zhang et al. 2015: halved every 3 epochs of 5,000 steps, 10 times)"
                    + (scale == Scale.PAPER ? "" : "; below paper scale every 3 of this run's epochs"));
        }
        if (schedule.kind() == Schedule.Kind.TRIANGLE) {
            return new Field("schedule", value, Origin.OURS, (data.isText()
                    ? "neither the paper's schedule nor Crepe's lifts the reduced char-CNN clear of a constant guess on MR in a short run"
                    : "the paper's step schedule scaled to " + epochs + " epochs fits less in a short run")
                    + "; this triangle (the shape of Smith and Topin's one-cycle policy) was chosen by measurement (docs/scales.md)");
        }
        return scale == Scale.PAPER && epochs == PAPER_EPOCHS
                ? new Field("schedule", value, Origin.PAPER, "§ Experimental Setup, shared by images and text")
                : new Field("schedule", value, Origin.OURS, "the paper's lr 0.1 ×0.1 at epochs 150 and 250 of 300, milestones scaled to "
                        + epochs + " epochs");
    }

    /** The recipe as one JSON object of its fields' values, in {@link #fields()}'s order: what the cell key hashes. */
    public String canonicalJson() {
        Map<String, String> values = new LinkedHashMap<>();
        values.put("scale", scale.id());
        for (Field field : fields()) {
            values.put(field.name(), field.value());
        }
        try {
            return CANONICAL.writeValueAsString(values);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a recipe as JSON", e);
        }
    }

    private static final ObjectMapper CANONICAL = new ObjectMapper();

    public String modelName() {
        boolean full = scale == Scale.PAPER;
        return switch (arch) {
            case DENSENET -> full ? "densenet_cifar" : scale == Scale.SMOKE ? "densenet_bc[2,2,2,2]_g6" : "densenet_bc[3,3,3]_g12_stempool";
            case VGG16 -> full ? "vgg16" : "vgg16_w1/" + widthDivisor();
            case RESNET18 -> full ? "resnet18" : "resnet18_w1/" + widthDivisor();
            case CHARCNN -> full ? "charcnn_small" : scale == Scale.SMOKE ? "charcnn_f32_h64"
                    : charCnnForm() == Models.CharCnnForm.BATCH_NORM_GLOBAL_MAX ? "charcnn_f64_h256_bn_globalmax" : "charcnn_f64_h256";
        };
    }

    /** The network for {@code classes} classes and inputs of {@code inputShape} ({@code [C, H, W]} or {@code [alphabet, frame]}). */
    public Model build(int classes, long[] inputShape, RandomStream init, RandomStream dropout) {
        Models.Options o = new Models.Options(activation, replacement, precision, init);
        boolean full = scale == Scale.PAPER;
        int size = (int) (inputShape.length == 3 ? inputShape[1] : 0);
        return switch (arch) {
            case DENSENET -> full ? Models.densenetCifar(classes, size, o)
                    : scale == Scale.SMOKE ? Models.denseNetBC(modelName(), new int[] {2, 2, 2, 2}, 6, 0.5, classes, size, o)
                    : Models.denseNetBC(modelName(), new int[] {3, 3, 3}, 12, 0.5, true, classes, size, o);
            case VGG16 -> Models.vgg16(classes, size, widthDivisor(), o);
            case RESNET18 -> Models.resnet18(classes, size, widthDivisor(), o);
            case CHARCNN -> full ? Models.charCnn(Models.CharCnnSize.SMALL, (int) inputShape[0], frame, classes, o, dropout)
                    : Models.charCnn(modelName(), charCnnForm(), scale == Scale.SMOKE ? 32 : 64, scale == Scale.SMOKE ? 64 : 256,
                            weightInit.init(), (int) inputShape[0], frame, classes, o, dropout);
        };
    }

    /**
     * What Table 3's VGG-16 and ResNet-18 divide the paper's widths by: 1 at paper scale, 8 at smoke
     * scale; at reduced scale the narrowest that took a ReLU cell past 82 % top-1 on CIFAR-10 in the
     * reduced recipe's 11 epochs (docs/scales.md: VGG-16 at 1/8 reached 79.7 %, at 1/6 82.2 %;
     * ResNet-18 at 1/8 83.5 %).
     */
    int widthDivisor() {
        return switch (scale) {
            case PAPER -> 1;
            case SMOKE -> 8;
            case REDUCED -> arch == Arch.VGG16 ? 6 : 8;
        };
    }

    /** The form of the char-CNN: batch-normalised with a global max at reduced scale (docs/scales.md), Zhang et al.'s elsewhere. */
    Models.CharCnnForm charCnnForm() {
        return scale == Scale.REDUCED && data.isText() ? Models.CharCnnForm.BATCH_NORM_GLOBAL_MAX : Models.CharCnnForm.ZHANG;
    }
}
