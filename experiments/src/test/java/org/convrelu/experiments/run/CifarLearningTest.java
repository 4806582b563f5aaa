package org.convrelu.experiments.run;

import java.util.Map;
import org.convrelu.datasets.DataDir;
import org.convrelu.datasets.batch.BatchLoader;
import org.convrelu.datasets.batch.ImageExamples;
import org.convrelu.datasets.batch.Subsets;
import org.convrelu.datasets.image.Augmentation;
import org.convrelu.datasets.image.ChannelStats;
import org.convrelu.datasets.image.Cifar;
import org.convrelu.datasets.image.ImageSet;
import org.convrelu.nn.ParamRole;
import org.convrelu.nn.models.ActivationSpec;
import org.convrelu.nn.models.Model;
import org.convrelu.nn.models.Models;
import org.convrelu.nn.models.Replacement;
import org.convrelu.nn.optim.Sgd;
import org.convrelu.nn.train.LearningRate;
import org.convrelu.nn.train.Trainer;
import org.convrelu.tensor.Precision;
import org.convrelu.tensor.RandomStream;
import org.junit.jupiter.api.Test;
import static org.assertj.core.api.Assertions.assertThat;

/** A short run on real CIFAR-10 images learns: well above chance after one short epoch on a subset. */
class CifarLearningTest {

    @Test
    void oneShortEpochOnRealCifar10IsWellAboveChance() {
        Cifar.Splits cifar = Cifar.cifar10(DataDir.resolve(), false);
        ImageSet train = cifar.train().subset("train-5000", Subsets.firstPerClass(cifar.train().labels(), 10, 500));
        ImageSet eval = cifar.test().subset("test-1000", Subsets.firstPerClass(cifar.test().labels(), 10, 100));
        ChannelStats stats = ChannelStats.of(train);
        RandomStream root = RandomStream.root(7);
        BatchLoader trainBatches = new BatchLoader(new ImageExamples(train, Augmentation.none(stats)), 32,
                BatchLoader.Order.SHUFFLE, BatchLoader.Remainder.KEEP, root.child("data"), 4);
        BatchLoader evalBatches = new BatchLoader(new ImageExamples(eval, Augmentation.none(stats)), 100,
                BatchLoader.Order.SEQUENTIAL, BatchLoader.Remainder.KEEP, root.child("eval"), 2);
        Model model = Models.vgg16(10, 32, 8,
                new Models.Options(ActivationSpec.convRelu(), Replacement.partial(), Precision.FLOAT32, root.child("init")));
        Trainer.Result r = new Trainer(model, trainBatches, evalBatches, new Trainer.Config(1, (epoch, step) -> 0.02,
                new Sgd.Config(0.9, false, Map.of(ParamRole.WEIGHT, 5e-4, ParamRole.THRESHOLD, 5e-4)), null, null), null).run();
        assertThat(r.finalEvalTop1()).as("top-1 after one epoch on 5,000 images (chance: 10%)").isGreaterThan(25.0);
        assertThat(r.epochs().get(0).trainLoss()).isLessThan(Math.log(10));
        assertThat(r.sites()).isNotEmpty();
        assertThat(LearningRate.halving(0.01, 2, false, 10).at(0, 4)).isEqualTo(0.0025);
    }
}
