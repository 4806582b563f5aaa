package org.convrelu.experiments.recipe;

import java.util.List;
import java.util.Map;
import org.convrelu.nn.ParamRole;
import org.convrelu.nn.models.ActivationSpec;
import org.convrelu.nn.models.Model;
import org.convrelu.nn.models.Replacement;
import org.convrelu.nn.optim.Sgd;
import org.convrelu.nn.train.LearningRate;
import org.convrelu.tensor.RandomStream;
import org.junit.jupiter.api.Test;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A recipe is one record: what trains the cell is what keys it and what the report prints. */
class RecipeTest {
    private static final Recipe CIFAR = Recipe.of(Scale.REDUCED, DataId.CIFAR10, Arch.DENSENET, ActivationSpec.convRelu(),
            Replacement.partial());
    private static final Recipe MR = Recipe.of(Scale.PAPER, DataId.MR, Arch.CHARCNN, ActivationSpec.relu(), Replacement.partial());

    @Test
    void everyTrainingValueChangesTheKey() {
        String key = new Cell(CIFAR, 1).key();
        List<Recipe> variants = List.of(
                new Recipe(CIFAR.scale(), CIFAR.data(), 400, 0, 0, CIFAR.arch(), CIFAR.activation(), CIFAR.replacement(), CIFAR.weightInit(),
                        CIFAR.optimiser(), CIFAR.schedule(), CIFAR.epochs(), CIFAR.batchSize(), CIFAR.cropPadding(), CIFAR.precision(), 0,
                        null, null),
                new Recipe(CIFAR.scale(), CIFAR.data(), 500, 0, 0, CIFAR.arch(), CIFAR.activation(), CIFAR.replacement(), CIFAR.weightInit(),
                        new Sgd.Config(0.9, false, Map.of(ParamRole.WEIGHT, 1e-4, ParamRole.THRESHOLD, 5e-4)), CIFAR.schedule(),
                        CIFAR.epochs(), CIFAR.batchSize(), CIFAR.cropPadding(), CIFAR.precision(), 0, null, null),
                new Recipe(CIFAR.scale(), CIFAR.data(), 500, 0, 0, CIFAR.arch(), CIFAR.activation(), CIFAR.replacement(), CIFAR.weightInit(),
                        CIFAR.optimiser(), Recipe.Schedule.step(0.05, 0.1, new int[] {5, 8}), CIFAR.epochs(), CIFAR.batchSize(),
                        CIFAR.cropPadding(), CIFAR.precision(), 0, null, null),
                new Recipe(CIFAR.scale(), CIFAR.data(), 500, 0, 0, CIFAR.arch(), CIFAR.activation(), CIFAR.replacement(), CIFAR.weightInit(),
                        CIFAR.optimiser(), Recipe.Schedule.triangle(0.2, 2), CIFAR.epochs(), CIFAR.batchSize(), CIFAR.cropPadding(),
                        CIFAR.precision(), 0, null, null),
                new Recipe(CIFAR.scale(), CIFAR.data(), 500, 0, 0, CIFAR.arch(), CIFAR.activation(), CIFAR.replacement(), CIFAR.weightInit(),
                        CIFAR.optimiser(), CIFAR.schedule(), CIFAR.epochs(), CIFAR.batchSize(), 2, CIFAR.precision(), 0, null, null),
                new Recipe(CIFAR.scale(), CIFAR.data(), 500, 0, 0, CIFAR.arch(), CIFAR.activation(), CIFAR.replacement(), CIFAR.weightInit(),
                        new Sgd.Config(0.8, false, CIFAR.optimiser().weightDecay()), CIFAR.schedule(), CIFAR.epochs(), CIFAR.batchSize(),
                        CIFAR.cropPadding(), CIFAR.precision(), 0, null, null),
                new Recipe(CIFAR.scale(), CIFAR.data(), 500, 0, 0, CIFAR.arch(), ActivationSpec.convRelu(ActivationSpec.ThresholdInit.RANDOM),
                        CIFAR.replacement(), CIFAR.weightInit(), CIFAR.optimiser(), CIFAR.schedule(), CIFAR.epochs(), CIFAR.batchSize(),
                        CIFAR.cropPadding(), CIFAR.precision(), 0, null, null),
                new Recipe(CIFAR.scale(), CIFAR.data(), 500, 0, 0, CIFAR.arch(), CIFAR.activation(), CIFAR.replacement(), CIFAR.weightInit(),
                        CIFAR.optimiser(), CIFAR.schedule(), CIFAR.epochs(), CIFAR.batchSize(), CIFAR.cropPadding(),
                        org.convrelu.tensor.Precision.FLOAT64, 0, null, null));
        assertThat(variants.get(1).canonicalJson()).isNotEqualTo(CIFAR.canonicalJson());
        for (Recipe v : variants) {
            assertThat(new Cell(v, 1).key()).as(v.canonicalJson()).isNotEqualTo(key);
        }
        assertThat(new Cell(CIFAR, 1).key()).isEqualTo(key).isNotEqualTo(new Cell(CIFAR, 2).key());
        assertThat(new Cell(MR.withFold(1), 1).key()).isNotEqualTo(new Cell(MR.withFold(2), 1).key());
        assertThat(new Cell(MR.withTextRecipe(Recipe.TextRecipe.PAPER), 1).key()).isNotEqualTo(
                new Cell(MR.withTextRecipe(Recipe.TextRecipe.CREPE), 1).key());
    }

    @Test
    void theReportPrintsEveryFieldWithItsOriginAndReason() {
        List<Recipe.Field> fields = CIFAR.fields();
        assertThat(fields).extracting(Recipe.Field::name).contains("data", "split", "subset", "model", "weight init", "activation",
                "placement", "optimiser", "momentum", "weight decay", "schedule", "epochs", "batch", "augmentation", "precision");
        assertThat(fields).allSatisfy(f -> assertThat(f.reason()).isNotBlank());
        // reduced CIFAR: the whole splits and the paper's batch; a smaller network for fewer epochs, ours
        assertThat(fields).filteredOn(f -> f.name().equals("batch") || f.name().equals("subset")).extracting(Recipe.Field::origin)
                .containsOnly(Recipe.Origin.PAPER);
        assertThat(fields).filteredOn(f -> f.name().equals("model") || f.name().equals("epochs") || f.name().equals("schedule"))
                .extracting(Recipe.Field::origin).containsOnly(Recipe.Origin.OURS);
        assertThat(fields).filteredOn(f -> f.name().equals("schedule")).singleElement().satisfies(f -> assertThat(f.value())
                .isEqualTo("lr linear from 0 to 0.2 at epoch 1.5, then linear to 0 at the last step, per step"));
        assertThat(Recipe.of(Scale.PAPER, DataId.CIFAR10, Arch.DENSENET, ActivationSpec.relu(), Replacement.partial()).fields())
                .filteredOn(f -> f.name().equals("schedule") || f.name().equals("batch")).extracting(Recipe.Field::origin)
                .containsOnly(Recipe.Origin.PAPER);
        assertThat(MR.fields()).extracting(Recipe.Field::name).contains("frame", "alphabet", "text recipe");
        assertThat(MR.canonicalJson()).contains("\"split\":\"10-fold cross-validation, folds [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]\"");
    }

    @Test
    void crepeHalvesTenTimesThenHolds() {
        Recipe crepe = MR.withTextRecipe(Recipe.TextRecipe.CREPE);
        LearningRate lr = crepe.learningRate(1);
        assertThat(lr.at(0, 14_999)).isEqualTo(0.01);
        assertThat(lr.at(0, 15_000)).isEqualTo(0.005);
        assertThat(lr.at(0, 150_000)).isEqualTo(0.01 / 1024);
        assertThat(lr.at(0, 1_000_000)).isEqualTo(0.01 / 1024);
        assertThat(crepe.optimiser().weightDecay()).containsEntry(ParamRole.WEIGHT, 1e-5);
        Recipe paper = MR.withTextRecipe(Recipe.TextRecipe.PAPER);
        assertThat(paper.learningRate(1).at(149, 0)).isEqualTo(0.1);
        assertThat(paper.learningRate(1).at(150, 0)).isCloseTo(0.01, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(Recipe.of(Scale.REDUCED, DataId.MR, Arch.CHARCNN, ActivationSpec.relu(), Replacement.partial(),
                Recipe.TextRecipe.CREPE).learningRate(1).at(9, 0)).isEqualTo(0.01 / 8);
    }

    @Test
    void theReducedCifarTriangleRisesOverItsWarmupAndEndsAtZero() {
        long steps = 391; // 50,000 images in batches of 128
        LearningRate lr = CIFAR.learningRate(steps);
        long peak = Math.round(Recipe.REDUCED_CIFAR_WARMUP_EPOCHS * steps);
        long total = CIFAR.epochs() * steps;
        assertThat(lr.at(0, 0)).isZero();
        assertThat(lr.at(1, peak)).isEqualTo(Recipe.REDUCED_CIFAR_PEAK_LR);
        assertThat(lr.at(1, peak - 1)).isLessThan(Recipe.REDUCED_CIFAR_PEAK_LR);
        assertThat(lr.at(1, peak + 1)).isLessThan(Recipe.REDUCED_CIFAR_PEAK_LR);
        assertThat(lr.at(CIFAR.epochs() - 1, total - 1)).isPositive().isLessThan(1e-3);
        assertThat(Recipe.of(Scale.REDUCED, DataId.CIFAR100, Arch.DENSENET, ActivationSpec.relu(), Replacement.partial()).schedule())
                .isEqualTo(CIFAR.schedule());
        assertThat(Recipe.of(Scale.PAPER, DataId.CIFAR10, Arch.DENSENET, ActivationSpec.relu(), Replacement.partial()).schedule().kind())
                .isEqualTo(Recipe.Schedule.Kind.STEP);
    }

    @Test
    void reducedMrTrainsTheNormalisedCharCnnWithTheTextTriangleOnEveryFold() {
        Recipe mr = Recipe.of(Scale.REDUCED, DataId.MR, Arch.CHARCNN, ActivationSpec.convRelu(), Replacement.partial());
        assertThat(mr.textRecipe()).isEqualTo(Recipe.TextRecipe.TRIANGLE);
        assertThat(mr.modelName()).isEqualTo("charcnn_f64_h256_bn_globalmax");
        assertThat(mr.folds()).containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 9, 10);
        assertThat(mr.optimiser().weightDecay()).containsEntry(ParamRole.WEIGHT, 1e-5).containsEntry(ParamRole.THRESHOLD, 1e-5);
        long steps = 150; // 9,594 sentences in batches of 64
        LearningRate lr = mr.learningRate(steps);
        long peak = Math.round(Recipe.TEXT_TRIANGLE_WARMUP_FRACTION * mr.epochs() * steps);
        assertThat(lr.at(0, 0)).isZero();
        assertThat(lr.at(2, peak)).isEqualTo(Recipe.TEXT_TRIANGLE_PEAK_LR);
        assertThat(lr.at(mr.epochs() - 1, mr.epochs() * steps - 1)).isPositive().isLessThan(1e-3);
        assertThat(mr.fields()).filteredOn(f -> f.name().equals("model") || f.name().equals("schedule") || f.name().equals("text recipe"))
                .hasSize(3).allSatisfy(f -> {
                    assertThat(f.origin()).isEqualTo(Recipe.Origin.OURS);
                    assertThat(f.reason()).contains("docs/scales.md");
                });
        int[] inputShape = {70, mr.frame()};
        org.convrelu.nn.models.Model m = mr.build(2, new long[] {inputShape[0], inputShape[1]}, org.convrelu.tensor.RandomStream.root(1),
                org.convrelu.tensor.RandomStream.root(2));
        assertThat(m.parameterCount(ParamRole.BATCH_NORM)).isEqualTo(6 * 2 * 64);
        // Crepe's recipe still trains the same network when asked for; the other text data at reduced scale take the same
        // form and recipe, while smoke and paper scales keep Zhang's form and Crepe's recipe.
        assertThat(mr.withTextRecipe(Recipe.TextRecipe.CREPE).modelName()).isEqualTo(mr.modelName());
        Recipe ag = Recipe.of(Scale.REDUCED, DataId.AG_NEWS, Arch.CHARCNN, ActivationSpec.relu(), Replacement.partial());
        assertThat(ag.textRecipe()).isEqualTo(Recipe.TextRecipe.TRIANGLE);
        assertThat(ag.modelName()).isEqualTo("charcnn_f64_h256_bn_globalmax");
        assertThat(ag.frame()).isEqualTo(512);
        Recipe smoke = Recipe.of(Scale.SMOKE, DataId.MR, Arch.CHARCNN, ActivationSpec.relu(), Replacement.partial());
        assertThat(smoke.folds()).containsExactly(1);
        assertThat(smoke.textRecipe()).isEqualTo(Recipe.TextRecipe.CREPE);
        assertThat(smoke.modelName()).isEqualTo("charcnn_f32_h64");
        Recipe paperAg = Recipe.of(Scale.PAPER, DataId.AG_NEWS, Arch.CHARCNN, ActivationSpec.relu(), Replacement.partial());
        assertThat(paperAg.textRecipe()).isEqualTo(Recipe.TextRecipe.CREPE);
        assertThat(paperAg.modelName()).isEqualTo("charcnn_small");
    }

    @Test
    void foldsBelongToCrossValidatedDataAndTextRecipesToText() {
        assertThatThrownBy(() -> CIFAR.withFold(1)).hasMessageContaining("has a test split");
        assertThatThrownBy(() -> MR.withFold(11)).hasMessageContaining("fold 1..10");
        assertThat(CIFAR.withTextRecipe(Recipe.TextRecipe.PAPER)).isSameAs(CIFAR);
    }

    @Test
    void table3NetworksAreNarrowedPerScale() {
        for (Arch arch : new Arch[] {Arch.VGG16, Arch.RESNET18}) {
            assertThat(Recipe.of(Scale.PAPER, DataId.CIFAR10, arch, ActivationSpec.relu(), Replacement.partial()).modelName())
                    .isEqualTo(arch == Arch.VGG16 ? "vgg16" : "resnet18");
            assertThat(Recipe.of(Scale.SMOKE, DataId.CIFAR10, arch, ActivationSpec.relu(), Replacement.partial()).modelName())
                    .isEqualTo(arch == Arch.VGG16 ? "vgg16_w1/8" : "resnet18_w1/8");
        }
        Recipe vgg = Recipe.of(Scale.REDUCED, DataId.CIFAR10, Arch.VGG16, ActivationSpec.relu(), Replacement.partial());
        assertThat(vgg.modelName()).isEqualTo("vgg16_w1/6");
        Model built = vgg.build(10, new long[] {3, 32, 32}, RandomStream.root(1), RandomStream.root(2));
        assertThat(built.architecture()).isEqualTo(vgg.modelName());
        assertThat(built.parameterCount()).isEqualTo(406_928);
        assertThat(Recipe.of(Scale.REDUCED, DataId.CIFAR10, Arch.RESNET18, ActivationSpec.relu(), Replacement.partial()).modelName())
                .isEqualTo("resnet18_w1/8");
    }
}
