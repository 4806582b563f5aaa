package org.convrelu.nn.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.convrelu.io.AtomicFiles;
import org.convrelu.nn.ActivationGate;
import org.convrelu.nn.Layer;
import org.convrelu.nn.Mode;
import org.convrelu.nn.Param;
import org.convrelu.nn.ParamRole;
import org.convrelu.nn.layers.BatchNorm;
import org.convrelu.nn.layers.Dropout;
import org.convrelu.nn.loss.SoftmaxCrossEntropy;
import org.convrelu.nn.models.Model;
import org.convrelu.nn.optim.Sgd;
import org.convrelu.tensor.Batch;
import org.convrelu.tensor.BatchStream;
import org.convrelu.tensor.memory.NativeHeap;
import org.convrelu.tensor.RandomStream;
import org.convrelu.tensor.memory.StepWorkspace;
import org.convrelu.tensor.ops.cpu.HostArrays;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Trains a {@link Model} with SGD: per epoch the training pass, an evaluation pass, metrics
 * appended to {@code metrics.jsonl}, and an atomic checkpoint; within an epoch a checkpoint too
 * whenever {@link Config#checkpointInterval()} has passed since the last. A run whose directory
 * already holds a checkpoint resumes where it stood, mid-epoch included; since batches,
 * augmentation and dropout depend only on the seed, the epoch, the batch's position and the
 * checkpointed streams, a resumed run ends with the same numbers as an uninterrupted one, and its
 * training time counts every process that worked on it. At the end it measures, per activation site, dead units
 * and the off fraction on the evaluation set, and collects the learned thresholds.
 */
public final class Trainer {

    /**
     * Epochs, learning rate, optimiser, run directory (null: no checkpoints or logs), progress
     * output, and the run's identity (e.g. a cell's configuration), which its checkpoints carry:
     * a run resumes only from a checkpoint of the same identity.
     */
    public record Config(int epochs, LearningRate lr, Sgd.Config sgd, Path runDir, PrintStream progress, String identity,
            Duration checkpointInterval) {
        /** A checkpoint at every epoch's end, and within an epoch once this much time has passed since the last. */
        public static final Duration CHECKPOINT_INTERVAL = Duration.ofMinutes(5);

        public Config {
            if (epochs < 1) {
                throw new IllegalArgumentException("epochs must be ≥ 1, got " + epochs);
            }
            identity = identity == null ? "" : identity;
            checkpointInterval = checkpointInterval == null ? CHECKPOINT_INTERVAL : checkpointInterval;
        }

        public Config(int epochs, LearningRate lr, Sgd.Config sgd, Path runDir, PrintStream progress, String identity) {
            this(epochs, lr, sgd, runDir, progress, identity, CHECKPOINT_INTERVAL);
        }

        /** A run without an identity of its own. */
        public Config(int epochs, LearningRate lr, Sgd.Config sgd, Path runDir, PrintStream progress) {
            this(epochs, lr, sgd, runDir, progress, "", CHECKPOINT_INTERVAL);
        }
    }

    /** Hooks into training, e.g. for tests that stop a run part-way. */
    public interface Listener {
        default void onStep(int epoch, int step, double loss) {}

        default void onEpoch(EpochMetrics metrics) {}

        /**
         * Asked after every step and every evaluation batch: once true, training writes a checkpoint
         * where it stands and throws {@link TrainingStopped} (a run with a run directory; without
         * one it stops all the same).
         */
        default boolean stopRequested() {
            return false;
        }
    }

    /**
     * The whole run: per-epoch metrics, activation statistics per site, every learned threshold, and
     * the seconds it trained, summed over every process that worked on it.
     */
    public record Result(List<EpochMetrics> epochs, List<SiteStats> sites, double[] thresholds, double seconds) {
        public double finalEvalTop1() {
            return epochs.get(epochs.size() - 1).evalTop1();
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    /**
     * The workspace of a training step ({@link StepWorkspace}). Evaluation batches run in it too: a
     * forward pass needs less than a step, so they fit in its block. A second workspace would hold a
     * second block, and the first pass that sizes it allocates as much again outside it (memory the C
     * allocator keeps): a reduced CIFAR-10 cell's resident set grew by about 250 MB at its first
     * evaluation.
     */
    static final String TRAIN_STEP = "convrelu-train-step";
    static final String EVAL_BATCH = TRAIN_STEP;

    /**
     * How often training returns the C heap's free memory to the system ({@link NativeHeap}). Freed
     * native temporaries stay in glibc's arenas: a reduced CIFAR-10 PReLU (A) cell's resident set
     * grew by 2 MB a second within an epoch, and a trim took back 210 MB of it.
     */
    static final Duration TRIM_INTERVAL = Duration.ofSeconds(30);

    private final Model model;
    private final BatchStream train;
    private final BatchStream eval;
    private final Config config;
    private final Listener listener;
    private final Sgd sgd;
    private final SoftmaxCrossEntropy loss = new SoftmaxCrossEntropy();
    private final Map<String, RandomStream> streams = new LinkedHashMap<>();
    private final List<Param> params; // the model's, in order
    private final Map<String, INDArray> runningStats = new LinkedHashMap<>(); // "<bn>.running_mean|var" → [C], state beside the params

    public Trainer(Model model, BatchStream train, BatchStream eval, Config config, Listener listener) {
        this.model = model;
        this.train = train;
        this.eval = eval;
        this.config = config;
        this.listener = listener == null ? new Listener() {} : listener;
        this.params = model.net().params();
        this.sgd = new Sgd(params, config.sgd());
        model.net().inputGradient(false); // the trainer never reads the network's dx
        for (Layer l : model.net().layers()) {
            if (l instanceof Dropout d && d.stream() != null) {
                streams.put(l.name(), d.stream());
            }
            if (l instanceof BatchNorm bn) {
                runningStats.put(l.name() + ".running_mean", bn.runningMean());
                runningStats.put(l.name() + ".running_var", bn.runningVar());
            }
        }
    }

    public Result run() {
        int start = 0;
        long step = 0;
        Checkpoint.Position resumeAt = Checkpoint.Position.atEpochStart(0);
        List<EpochMetrics> history = new ArrayList<>();
        Path checkpointFile = config.runDir() == null ? null : config.runDir().resolve("checkpoint.bin");
        if (checkpointFile != null && Files.exists(checkpointFile)) {
            Checkpoint c = Checkpoint.load(checkpointFile);
            if (!c.identity().equals(config.identity())) {
                throw new IllegalStateException("checkpoint " + checkpointFile + " belongs to another run:\n  its run:  " + c.identity()
                        + "\n  this run: " + config.identity() + "\nDelete it (or retrain the cell) to train this run from the start.");
            }
            restore(c);
            start = c.epoch() + 1;
            step = c.step();
            history.addAll(c.metrics());
            resumeAt = c.position();
            if (config.progress() != null) {
                config.progress().println("resuming " + config.runDir() + (resumeAt.batch() == 0 ? " after epoch " + (c.epoch() + 1)
                        : " in epoch " + (start + 1) + " after batch " + resumeAt.batch()));
            }
        }
        double earlierSeconds = resumeAt.totalSeconds();
        long processStart = System.nanoTime();
        long lastTrim = processStart;
        Progress progress = config.progress() == null ? null
                : new Progress(config.progress(), Progress.isInteractive(), config.epochs());
        for (int epoch = start; epoch < config.epochs(); epoch++) {
            Checkpoint.Position from = epoch == start ? resumeAt : Checkpoint.Position.atEpochStart(0);
            long t0 = System.nanoTime();
            long lastSave = t0;
            if (progress != null) {
                progress.startEpoch(from.batch());
            }
            double lossSum = from.lossSum();
            long correct = from.correct();
            long seen = from.seen();
            double lr = config.lr().at(epoch, step);
            int steps = train.batchesPerEpoch();
            int s = from.batch();
            for (Iterator<Batch> it = train.epoch(epoch, s); it.hasNext(); s++, step++) {
                Batch b = it.next();
                lr = config.lr().at(epoch, step);
                double l;
                try (MemoryWorkspace ws = StepWorkspace.open(TRAIN_STEP)) { // every temporary of the step, reused by the next
                    sgd.zeroGrad();
                    INDArray logits = model.net().forward(b.x(), Mode.TRAIN);
                    l = loss.forward(logits, b.labels());
                    if (!Double.isFinite(l)) {
                        throw new TrainingDivergedException(epoch + 1, s + 1, l);
                    }
                    model.net().backward(loss.backward());
                    for (Param p : params) {
                        requireFinite(p.grad(), "the gradient of " + p.name(), epoch + 1, s + 1);
                    }
                    sgd.step(lr);
                    requireFiniteState(epoch + 1, s + 1);
                    correct += countCorrect(logits, b.labels());
                }
                b.release();
                long stepEnd = System.nanoTime();
                // This run's first step sized the workspace: what it allocated outside goes back; then what
                // the native ops' temporaries leave in the C heap, every TRIM_INTERVAL.
                if (epoch == start && s == resumeAt.batch() || stepEnd - lastTrim >= TRIM_INTERVAL.toNanos()) {
                    NativeHeap.trim();
                    lastTrim = stepEnd;
                }
                lossSum += l * b.size();
                seen += b.size();
                listener.onStep(epoch, s, l);
                if (progress != null) {
                    progress.step(epoch, s + 1, steps, lossSum / seen, 100.0 * correct / seen, seen - from.seen());
                }
                long now = System.nanoTime();
                if (listener.stopRequested()) {
                    if (checkpointFile != null) {
                        Checkpoint.Position here = new Checkpoint.Position(s + 1, lossSum, correct, seen,
                                from.epochSeconds() + (now - t0) / 1e9, earlierSeconds + (now - processStart) / 1e9);
                        checkpoint(epoch - 1, step + 1, history, here).save(checkpointFile);
                    }
                    throw new TrainingStopped(epoch + 1, s + 1, steps);
                }
                if (checkpointFile != null && it.hasNext() && now - lastSave >= config.checkpointInterval().toNanos()) {
                    Checkpoint.Position here = new Checkpoint.Position(s + 1, lossSum, correct, seen,
                            from.epochSeconds() + (now - t0) / 1e9, earlierSeconds + (now - processStart) / 1e9);
                    checkpoint(epoch - 1, step + 1, history, here).save(checkpointFile);
                    lastSave = now;
                }
            }
            double trainSeconds = from.epochSeconds() + (System.nanoTime() - t0) / 1e9;
            double evalTop1 = evaluate();
            if (Double.isNaN(evalTop1)) { // stopped during the evaluation: resume from the end of this epoch's batches
                long now = System.nanoTime();
                if (checkpointFile != null) {
                    Checkpoint.Position here = new Checkpoint.Position(s, lossSum, correct, seen, from.epochSeconds() + (now - t0) / 1e9,
                            earlierSeconds + (now - processStart) / 1e9);
                    checkpoint(epoch - 1, step, history, here).save(checkpointFile);
                }
                throw new TrainingStopped(epoch + 1, s, steps);
            }
            NativeHeap.trim(); // what the C heap kept of an epoch's native temporaries
            lastTrim = System.nanoTime();
            EpochMetrics m = new EpochMetrics(epoch, lr, lossSum / seen, 100.0 * correct / seen, evalTop1,
                    from.epochSeconds() + (System.nanoTime() - t0) / 1e9, seen / trainSeconds, thetaSummary());
            history.add(m);
            if (checkpointFile != null) {
                Checkpoint.Position next = Checkpoint.Position.atEpochStart(earlierSeconds + (System.nanoTime() - processStart) / 1e9);
                checkpoint(epoch, step, history, next).save(checkpointFile);
                writeMetrics(history);
            }
            if (progress != null) {
                progress.endEpoch(m);
            }
            listener.onEpoch(m);
        }
        double seconds = earlierSeconds + (System.nanoTime() - processStart) / 1e9;
        return new Result(List.copyOf(history), siteStats(), thresholds(), seconds);
    }

    /** Stops training at the first parameter or running statistic that is not finite, naming it. */
    private void requireFiniteState(int epoch, int step) {
        for (Param p : params) {
            requireFinite(p.value(), p.name(), epoch, step);
        }
        runningStats.forEach((name, a) -> requireFinite(a, name, epoch, step));
    }

    /**
     * One pass on the host where {@link HostArrays} covers the array; otherwise one reduction, whose sum
     * is finite exactly when no entry is NaN or infinite (and the sum does not overflow).
     */
    private static void requireFinite(INDArray a, String name, int epoch, int step) {
        if (HostArrays.covers(a) ? HostArrays.allFinite(a) : Double.isFinite(a.sumNumber().doubleValue())) {
            return;
        }
        String what = a.isNaN().any() ? " contains NaN" : a.isInfinite().any() ? " contains ±Inf" : " sums beyond the float range";
        throw new TrainingDivergedException(epoch, step, name + what);
    }

    /** Evaluation top-1 (%) over the evaluation stream; NaN if a stop was requested before it finished. */
    public double evaluate() {
        long correct = 0;
        long seen = 0;
        for (Iterator<Batch> it = eval.epoch(0); it.hasNext(); ) {
            if (listener.stopRequested()) {
                while (it.hasNext()) { // let the loader's producer finish rather than leave it blocked
                    it.next().release();
                }
                return Double.NaN;
            }
            Batch b = it.next();
            try (MemoryWorkspace ws = StepWorkspace.open(EVAL_BATCH)) {
                correct += countCorrect(model.net().forward(b.x(), Mode.EVAL), b.labels());
            }
            seen += b.size();
            b.release();
        }
        return 100.0 * correct / seen;
    }

    private static long countCorrect(INDArray logits, int[] labels) {
        int[] predicted = SoftmaxCrossEntropy.argmax(logits);
        long c = 0;
        for (int i = 0; i < labels.length; i++) {
            if (predicted[i] == labels[i]) {
                c++;
            }
        }
        return c;
    }

    private EpochMetrics.ThetaSummary thetaSummary() {
        double[] t = thresholds();
        if (t.length == 0) {
            return null;
        }
        double sum = 0;
        double sq = 0;
        double abs = 0;
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (double v : t) {
            sum += v;
            sq += v * v;
            abs += Math.abs(v);
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        double mean = sum / t.length;
        return new EpochMetrics.ThetaSummary(t.length, mean, Math.sqrt(Math.max(0, sq / t.length - mean * mean)), min, max,
                abs / t.length);
    }

    /** Every threshold of the model (ConvReLU and AdaReLU), in parameter order. */
    public double[] thresholds() {
        List<double[]> parts = new ArrayList<>();
        for (Param p : params) {
            if (p.role() == ParamRole.THRESHOLD) {
                parts.add(p.value().castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE).dup('c').data().asDouble());
            }
        }
        return parts.stream().flatMapToDouble(java.util.Arrays::stream).toArray();
    }

    /** Dead units and off fraction per activation site, over one pass of the evaluation set. */
    public List<SiteStats> siteStats() {
        List<Layer> gates = model.net().layers().stream().filter(l -> l instanceof ActivationGate).toList();
        Map<String, INDArray> everOn = new LinkedHashMap<>();
        Map<String, double[]> off = new LinkedHashMap<>(); // [off count, total]
        for (Iterator<Batch> it = eval.epoch(0); it.hasNext(); ) {
            Batch b = it.next();
            try (MemoryWorkspace ws = StepWorkspace.open(EVAL_BATCH)) { // a batch's masks live in its workspace
                model.net().forward(b.x(), Mode.EVAL);
                for (Layer l : gates) {
                    INDArray on = ((ActivationGate) l).onMask();
                    INDArray anyOn = on.max(0); // [C, *S]
                    INDArray ever = everOn.get(l.name());
                    if (ever == null) {
                        try (MemoryWorkspace kept = StepWorkspace.persistent()) { // the union outlives the batch
                            everOn.put(l.name(), anyOn.dup());
                        }
                    } else {
                        Transforms.max(ever, anyOn, false); // 0/1 masks: max is OR, in place
                    }
                    double[] counts = off.computeIfAbsent(l.name(), k -> new double[2]);
                    counts[0] += on.length() - on.sumNumber().doubleValue();
                    counts[1] += on.length();
                }
            }
            b.release();
        }
        List<SiteStats> stats = new ArrayList<>();
        for (Layer l : gates) {
            INDArray ever = everOn.get(l.name());
            if (ever == null) {
                continue;
            }
            double dead = 1 - ever.sumNumber().doubleValue() / ever.length();
            double[] c = off.get(l.name());
            stats.add(new SiteStats(l.name(), ((ActivationGate) l).kind(), ever.length(), dead, c[0] / c[1]));
        }
        return stats;
    }

    private Checkpoint checkpoint(int epoch, long step, List<EpochMetrics> history, Checkpoint.Position position) {
        Map<String, INDArray> arrays = new LinkedHashMap<>();
        for (Param p : params) {
            arrays.put(p.name(), p.value());
            arrays.put("sgd.velocity/" + p.name(), sgd.velocity().get(p.name()));
        }
        arrays.putAll(runningStats);
        Map<String, long[]> states = new LinkedHashMap<>();
        streams.forEach((name, s) -> states.put(name, s.state()));
        return new Checkpoint(config.identity(), epoch, step, List.copyOf(history), position, states, arrays);
    }

    private void restore(Checkpoint c) {
        for (Param p : params) {
            c.restore(p.name(), p.value());
            c.restore("sgd.velocity/" + p.name(), sgd.velocity().get(p.name()));
        }
        runningStats.forEach(c::restore);
        streams.forEach((name, s) -> s.resumeFrom(c.stream(name)));
    }

    private void writeMetrics(List<EpochMetrics> history) {
        StringBuilder sb = new StringBuilder();
        try {
            for (EpochMetrics m : history) {
                sb.append(JSON.writeValueAsString(m)).append('\n');
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        AtomicFiles.writeAtomically(config.runDir().resolve("metrics.jsonl"), sb.toString());
    }
}
