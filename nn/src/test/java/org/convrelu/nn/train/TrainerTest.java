package org.convrelu.nn.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.convrelu.nn.Param;
import org.convrelu.nn.ParamRole;
import org.convrelu.nn.init.Init;
import org.convrelu.nn.layers.BatchNorm;
import org.convrelu.nn.layers.ConvReLU;
import org.convrelu.nn.layers.ConvSpec;
import org.convrelu.nn.layers.Dropout;
import org.convrelu.nn.layers.Flatten;
import org.convrelu.nn.layers.GlobalAvgPool;
import org.convrelu.nn.layers.Linear;
import org.convrelu.nn.layers.ReLU;
import org.convrelu.nn.layers.Sequential;
import org.convrelu.nn.models.ActivationSpec;
import org.convrelu.nn.models.Model;
import org.convrelu.nn.models.Replacement;
import org.convrelu.nn.optim.StepSchedule;
import org.convrelu.nn.optim.Sgd;
import org.convrelu.tensor.PaddedInput;
import org.convrelu.tensor.Precision;
import org.convrelu.tensor.RandomStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

class TrainerTest {
    @TempDir
    Path tmp;

    /** ConvReLU → BN → ReLU → pool → dropout → linear: every kind of state a checkpoint must carry. */
    static Model model(long seed) {
        RandomStream root = RandomStream.root(seed);
        RandomStream init = root.child("init");
        Sequential net = new Sequential("net", List.of(
                new ConvReLU("net.convrelu", ConvSpec.conv2d(3, 6, 3, 1, 1), Init.he(), Init.normal(0.1), PaddedInput.THRESHOLDED,
                        Precision.FLOAT32, init.child("convrelu")),
                new BatchNorm("net.bn", 6, Precision.FLOAT32),
                new ReLU("net.relu"),
                new GlobalAvgPool("net.pool"),
                new Dropout("net.dropout", 0.3, root.child("dropout")),
                new Linear("net.fc", 6, 3, true, Init.lecun(), Precision.FLOAT32, init.child("fc"))));
        return new Model("tiny", net, ActivationSpec.convRelu(), Replacement.partial(), List.of("net.relu"), List.of(),
                new long[] {3, 6, 6}, 3);
    }

    /** Three separable classes: the mean colour of each 6×6 image depends on its label. */
    static ArrayBatches data(long seed) {
        RandomStream rng = RandomStream.root(seed).child("data");
        int n = 60;
        int[] labels = new int[n];
        INDArray x = rng.normal(Precision.FLOAT32, 0, 1, n, 3, 6, 6);
        for (int i = 0; i < n; i++) {
            labels[i] = i % 3;
            x.get(org.nd4j.linalg.indexing.NDArrayIndex.point(i), org.nd4j.linalg.indexing.NDArrayIndex.point(labels[i])).addi(1.5);
        }
        return new ArrayBatches(x, labels, 16, RandomStream.root(seed).child("batches"), true);
    }

    static Trainer.Config config(int epochs, Path dir) {
        return new Trainer.Config(epochs, LearningRate.of(new StepSchedule(0.05, new int[] {3}, 0.1)),
                new Sgd.Config(0.9, false, Map.of(ParamRole.WEIGHT, 5e-4, ParamRole.THRESHOLD, 5e-4)), dir, null);
    }

    private static Trainer.Result train(Model m, int epochs, Path dir, Trainer.Listener listener) {
        ArrayBatches d = data(3);
        ArrayBatches eval = new ArrayBatches(d.x(), d.labels(), 32, d.root(), false);
        return new Trainer(m, d, eval, config(epochs, dir), listener).run();
    }

    private static double[] flatParams(Model m) {
        return m.net().params().stream().map(Param::value)
                .flatMapToDouble(v -> java.util.Arrays.stream(v.castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE).dup().data().asDouble()))
                .toArray();
    }

    @Test
    void learnsTheSeparableTask() {
        Trainer.Result r = train(model(1), 6, null, null);
        assertThat(r.finalEvalTop1()).isGreaterThan(90.0);
        assertThat(r.epochs()).hasSize(6);
        assertThat(r.epochs().get(5).lr()).isCloseTo(0.005, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(r.thresholds()).hasSize(3 * 9);
        assertThat(r.epochs().get(0).theta().count()).isEqualTo(27);
    }

    @Test
    void sameSeedSameNumbers() {
        Model a = model(1);
        Model b = model(1);
        Trainer.Result ra = train(a, 2, null, null);
        Trainer.Result rb = train(b, 2, null, null);
        assertThat(flatParams(a)).containsExactly(flatParams(b));
        assertThat(ra.epochs().get(1).trainLoss()).isEqualTo(rb.epochs().get(1).trainLoss());
        assertThat(flatParams(model(2))).isNotEqualTo(flatParams(model(1)));
    }

    /**
     * Training in step workspaces gives the same numbers as ordinary allocation, and ND4J's workspace
     * checks find no array of a closed step in use (the tiny model, and a narrow DenseNet-BC with
     * ConvReLU in its first block: dense concatenations, transitions, batch norms, ReLU → conv). The
     * step workspace is first filled with NaN, so that a layer keeping an array made inside a step
     * (state that must outlive it) reads another step's data and the numbers differ.
     */
    @Test
    void stepWorkspacesChangeNoNumberAndLeakNoArray() {
        for (boolean denseNet : new boolean[] {false, true}) {
            java.util.function.Supplier<Model> build = () -> denseNet
                    ? org.convrelu.nn.models.Models.denseNetBC("dn", new int[] {2, 2}, 4, 0.5, 3, 6, new org.convrelu.nn.models.Models.Options(
                            ActivationSpec.convRelu(), Replacement.partial(), Precision.FLOAT32, RandomStream.root(5)))
                    : model(1);
            Model plain = build.get();
            Model pooled = build.get();
            String before = System.getProperty("convrelu.workspaces");
            Trainer.Result rPlain;
            Trainer.Result rPooled;
            try {
                System.setProperty("convrelu.workspaces", "false");
                rPlain = train(plain, 2, null, null);
                System.setProperty("convrelu.workspaces", "true");
                org.nd4j.linalg.factory.Nd4j.getExecutioner().setProfilingConfig(
                        org.nd4j.linalg.profiler.ProfilerConfig.builder().checkWorkspaces(true).build());
                INDArray leaked;
                try (var ws = org.convrelu.tensor.memory.StepWorkspace.open("leak-probe")) {
                    leaked = org.nd4j.linalg.factory.Nd4j.ones(4);
                }
                assertThatThrownBy(() -> leaked.add(1)).as("the workspace check is on").isInstanceOf(RuntimeException.class);
                try (var ws = org.convrelu.tensor.memory.StepWorkspace.open(Trainer.TRAIN_STEP)) {
                    org.nd4j.linalg.factory.Nd4j.valueArrayOf(new long[] {4_000_000}, Float.NaN, org.nd4j.linalg.api.buffer.DataType.FLOAT);
                }
                rPooled = train(pooled, 2, null, null);
            } finally {
                org.nd4j.linalg.factory.Nd4j.getExecutioner().setProfilingConfig(
                        org.nd4j.linalg.profiler.ProfilerConfig.builder().checkWorkspaces(false).build());
                if (before == null) {
                    System.clearProperty("convrelu.workspaces");
                } else {
                    System.setProperty("convrelu.workspaces", before);
                }
            }
            assertThat(flatParams(pooled)).as(denseNet ? "DenseNet-BC" : "tiny").containsExactly(flatParams(plain));
            assertThat(rPooled.epochs().get(1).trainLoss()).isEqualTo(rPlain.epochs().get(1).trainLoss());
            assertThat(rPooled.finalEvalTop1()).isEqualTo(rPlain.finalEvalTop1());
            assertThat(rPooled.sites()).as("dead units and off fractions, counted batch by batch in the evaluation workspace")
                    .isNotEmpty().isEqualTo(rPlain.sites());
        }
    }

    @Test
    void aRunKilledMidEpochResumesToTheSameNumbers() {
        Model uninterrupted = model(1);
        Trainer.Result full = train(uninterrupted, 4, tmp.resolve("a"), null);

        Model killed = model(1);
        Trainer.Listener kill = new Trainer.Listener() {
            @Override
            public void onStep(int epoch, int step, double loss) {
                if (epoch == 2 && step == 1) {
                    throw new IllegalStateException("killed");
                }
            }
        };
        assertThatThrownBy(() -> train(killed, 4, tmp.resolve("b"), kill)).hasMessage("killed");
        assertThat(tmp.resolve("b/checkpoint.bin")).exists();
        assertThat(tmp.resolve("b/checkpoint.bin.tmp")).doesNotExist();

        Model resumed = model(1); // a fresh process: new model, state from the checkpoint
        Trainer.Result rest = train(resumed, 4, tmp.resolve("b"), null);
        assertThat(flatParams(resumed)).containsExactly(flatParams(uninterrupted));
        assertThat(rest.epochs()).hasSize(4);
        for (int e = 0; e < 4; e++) {
            assertThat(rest.epochs().get(e).trainLoss()).isEqualTo(full.epochs().get(e).trainLoss());
            assertThat(rest.epochs().get(e).evalTop1()).isEqualTo(full.epochs().get(e).evalTop1());
        }
    }

    /**
     * A stop requested mid-epoch (after the second step of epoch 2) or during an evaluation (epoch
     * 2's, whose training batches had all run) writes a checkpoint where the run stood and
     * throws {@link TrainingStopped}; the run resumed from it ends with the uninterrupted run's parameters.
     */
    @ParameterizedTest(name = "stop after {0} stop question(s)")
    @ValueSource(ints = {8, 11})
    void aStopRequestCheckpointsWhereItStandsAndTheResumedRunEndsTheSame(int questions) {
        ArrayBatches d = data(3);
        ArrayBatches eval = new ArrayBatches(d.x(), d.labels(), 32, d.root(), false);
        Model uninterrupted = model(1);
        Trainer.Result full = new Trainer(uninterrupted, d, eval, config(3, null), null).run();

        // each epoch asks once per step (4) and once per evaluation batch (2): the 8th question follows epoch 2's second
        // step, the 11th comes before epoch 2's first evaluation batch
        java.util.concurrent.atomic.AtomicInteger asked = new java.util.concurrent.atomic.AtomicInteger();
        Trainer.Listener stop = new Trainer.Listener() {
            @Override
            public boolean stopRequested() {
                return asked.incrementAndGet() >= questions;
            }
        };
        assertThatThrownBy(() -> new Trainer(model(1), d, eval, config(3, tmp.resolve("s")), stop).run())
                .isInstanceOfSatisfying(TrainingStopped.class, e -> {
                    assertThat(e.epoch()).isEqualTo(2);
                    assertThat(e.batch()).isEqualTo(questions == 8 ? 2 : 4);
                    assertThat(e.batches()).isEqualTo(4);
                });
        Checkpoint saved = Checkpoint.load(tmp.resolve("s/checkpoint.bin"));
        assertThat(saved.epoch()).as("the last finished epoch").isZero();
        assertThat(saved.position().batch()).isEqualTo(questions == 8 ? 2 : 4);

        Model resumed = model(1);
        Trainer.Result rest = new Trainer(resumed, d, eval, config(3, tmp.resolve("s")), null).run();
        assertThat(flatParams(resumed)).containsExactly(flatParams(uninterrupted));
        for (int e = 0; e < 3; e++) {
            assertThat(rest.epochs().get(e).trainLoss()).isEqualTo(full.epochs().get(e).trainLoss());
            assertThat(rest.epochs().get(e).evalTop1()).isEqualTo(full.epochs().get(e).evalTop1());
        }
    }

    @Test
    void aRunKilledMidEpochResumesFromAMidEpochCheckpointToTheSameNumbers() {
        ArrayBatches d = data(3);
        ArrayBatches eval = new ArrayBatches(d.x(), d.labels(), 32, d.root(), false);
        Trainer.Config everyBatch = new Trainer.Config(3, config(3, null).lr(), config(3, null).sgd(), tmp.resolve("b"), null, "run",
                java.time.Duration.ZERO); // a checkpoint after every batch
        Model uninterrupted = model(1);
        Trainer.Result full = new Trainer(uninterrupted, d, eval, config(3, null), null).run();

        Trainer.Listener kill = new Trainer.Listener() {
            @Override
            public void onStep(int epoch, int step, double loss) {
                if (epoch == 1 && step == 2) {
                    throw new IllegalStateException("killed");
                }
            }
        };
        assertThatThrownBy(() -> new Trainer(model(1), d, eval, everyBatch, kill).run()).hasMessage("killed");
        Checkpoint saved = Checkpoint.load(tmp.resolve("b/checkpoint.bin"));
        assertThat(saved.epoch()).as("the last finished epoch").isZero();
        assertThat(saved.position().batch()).as("batches of epoch 2 done").isEqualTo(2);
        assertThat(saved.position().totalSeconds()).isPositive();

        Model resumed = model(1);
        Trainer.Result rest = new Trainer(resumed, d, eval, everyBatch, null).run();
        assertThat(flatParams(resumed)).containsExactly(flatParams(uninterrupted));
        for (int e = 0; e < 3; e++) {
            assertThat(rest.epochs().get(e).trainLoss()).as("epoch %d loss", e).isEqualTo(full.epochs().get(e).trainLoss());
            assertThat(rest.epochs().get(e).trainTop1()).isEqualTo(full.epochs().get(e).trainTop1());
            assertThat(rest.epochs().get(e).evalTop1()).isEqualTo(full.epochs().get(e).evalTop1());
        }
        assertThat(rest.seconds()).as("time of both processes").isGreaterThan(saved.position().totalSeconds());
    }

    @Test
    void writesOneMetricsLinePerEpoch() throws IOException {
        train(model(1), 2, tmp, null);
        List<String> lines = Files.readAllLines(tmp.resolve("metrics.jsonl"));
        assertThat(lines).hasSize(2);
        EpochMetrics m = new ObjectMapper().readValue(lines.get(1), EpochMetrics.class);
        assertThat(m.epoch()).isEqualTo(1);
        assertThat(m.examplesPerSecond()).isPositive();
        assertThat(m.theta().count()).isEqualTo(27);
    }

    @Test
    void aNanLossStopsTheRunNamingEpochAndStep() {
        ArrayBatches d = data(3);
        d.x().putScalar(new long[] {5, 0, 0, 0}, Float.NaN);
        ArrayBatches ordered = new ArrayBatches(d.x(), d.labels(), 4, d.root(), false);
        Trainer t = new Trainer(model(1), ordered, ordered, config(2, null), null);
        assertThatThrownBy(t::run).isInstanceOf(TrainingDivergedException.class)
                .hasMessageContaining("epoch 1, step 2").hasMessageContaining("NaN");
    }

    @Test
    void deadUnitsAndOffFractionAreMeasured() {
        Linear alwaysNegative = new Linear("fc1", 4, 5, true, Init.zero(), Precision.FLOAT32, RandomStream.root(1));
        alwaysNegative.params().get(1).value().assign(-1); // every pre-activation is −1
        Sequential net = new Sequential("net", List.of(new Flatten("flat"), alwaysNegative, new ReLU("dead"),
                new Linear("fc2", 5, 2, true, Init.lecun(), Precision.FLOAT32, RandomStream.root(2))));
        Model m = new Model("dead", net, ActivationSpec.relu(), Replacement.partial(), List.of("dead"), List.of(), new long[] {4}, 2);
        INDArray x = RandomStream.root(3).normal(Precision.FLOAT32, 0, 1, 8, 4);
        ArrayBatches eval = new ArrayBatches(x, new int[8], 4, RandomStream.root(1), false);
        List<SiteStats> stats = new Trainer(m, eval, eval, config(1, null), null).siteStats();
        assertThat(stats).singleElement().satisfies(s -> {
            assertThat(s.layer()).isEqualTo("dead");
            assertThat(s.units()).isEqualTo(5);
            assertThat(s.deadFraction()).isEqualTo(1.0);
            assertThat(s.offFraction()).isEqualTo(1.0);
        });
        List<SiteStats> live = new Trainer(model(1), data(3), data(3), config(1, null), null).siteStats();
        assertThat(live).extracting(SiteStats::layer).containsExactly("net.convrelu", "net.relu");
        assertThat(live.get(1).offFraction()).isBetween(0.05, 0.95);
    }

    @Test
    void aCheckpointWithOneFlippedBitOrCutShortIsRefusedByName() throws IOException {
        Path dir = tmp.resolve("run");
        train(model(1), 1, dir, null);
        Path file = dir.resolve("checkpoint.bin");
        byte[] good = Files.readAllBytes(file);

        byte[] flipped = good.clone();
        flipped[flipped.length / 2] ^= 0x10; // inside the arrays
        Files.write(file, flipped);
        assertThatThrownBy(() -> train(model(1), 2, dir, null)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(file.toString()).hasMessageContaining("SHA-256");

        Files.write(file, java.util.Arrays.copyOf(good, good.length - 1000)); // cut inside the array data
        assertThatThrownBy(() -> train(model(1), 2, dir, null)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(file.toString()).hasMessageContaining("damaged");

        Files.write(file, good);
        assertThat(train(model(1), 2, dir, null).epochs()).hasSize(2);
    }

    @Test
    void aRunResumesOnlyFromItsOwnCheckpoint() {
        Path dir = tmp.resolve("cell");
        ArrayBatches d = data(3);
        Trainer.Config seed1 = new Trainer.Config(1, (epoch, step) -> 0.05, config(1, dir).sgd(), dir, null, "cell A seed=1");
        new Trainer(model(1), d, d, seed1, null).run();
        Trainer.Config seed2 = new Trainer.Config(2, (epoch, step) -> 0.05, config(1, dir).sgd(), dir, null, "cell A seed=2");
        assertThatThrownBy(() -> new Trainer(model(2), d, d, seed2, null).run()).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("belongs to another run").hasMessageContaining("cell A seed=1").hasMessageContaining("cell A seed=2");
        Trainer.Config sameCell = new Trainer.Config(2, (epoch, step) -> 0.05, config(1, dir).sgd(), dir, null, "cell A seed=1");
        assertThat(new Trainer(model(1), d, d, sameCell, null).run().epochs()).hasSize(2);
    }

    @Test
    void aNanRunningStatisticStopsTheRunNamingIt() {
        Model m = model(1);
        BatchNorm bn = (BatchNorm) m.net().layers().stream().filter(l -> l instanceof BatchNorm).findFirst().orElseThrow();
        bn.runningMean().putScalar(2, Float.NaN); // the loss in training mode never sees it: batch statistics normalise
        assertThatThrownBy(() -> train(m, 1, null, null)).isInstanceOf(TrainingDivergedException.class)
                .hasMessageContaining("net.bn.running_mean contains NaN").hasMessageContaining("epoch 1, step 1");
    }

    @Test
    void aDamagedCheckpointIsAClearError() throws IOException {
        Files.createDirectories(tmp);
        Files.writeString(tmp.resolve("checkpoint.bin"), "garbage");
        assertThatThrownBy(() -> train(model(1), 1, tmp, null)).hasMessageContaining("checkpoint.bin");
    }
}
