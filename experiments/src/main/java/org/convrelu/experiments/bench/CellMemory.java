package org.convrelu.experiments.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import org.convrelu.datasets.DataDir;
import org.convrelu.experiments.recipe.Arch;
import org.convrelu.experiments.recipe.Cell;
import org.convrelu.experiments.recipe.DataId;
import org.convrelu.experiments.recipe.Recipe;
import org.convrelu.experiments.recipe.Scale;
import org.convrelu.experiments.run.Data;
import org.convrelu.nn.models.ActivationSpec;
import org.convrelu.nn.models.Model;
import org.convrelu.nn.models.Replacement;
import org.convrelu.nn.train.Trainer;
import org.convrelu.tensor.RandomStream;

/**
 * The resident memory of a reduced CIFAR-10 cell, for {@code suite bench}: in a JVM of its own
 * (the bench's options, so the suite's memory settings), one epoch of the reduced CIFAR-10 ReLU
 * cell's training on the real data, with its evaluation and activation statistics, then the
 * process's peak resident set. A whole cell trains 11 such epochs; trims of the C heap every 30 s
 * keep the resident set level from one epoch to the next.
 */
final class CellMemory {
    private CellMemory() {}

    /** What the bench reports: the peak, or why there is none. */
    record Measured(OptionalLong peakRssMb, String what) {}

    static final String WHAT = "one epoch of the reduced CIFAR-10 ReLU cell (Table 1, index 0, seed 1) with its evaluation, in a fresh JVM";

    /** Runs {@link #main} in a child JVM with this JVM's options and class path. */
    static Measured measure(PrintStream log) {
        List<String> command = command(List.of());
        log.println("cell memory: " + WHAT);
        try {
            Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!p.waitFor(30, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                return new Measured(OptionalLong.empty(), "not measured: timed out");
            }
            String last = out.lines().reduce((a, b) -> b).orElse("");
            if (p.exitValue() != 0 || !last.startsWith("peak RSS MB ")) {
                return new Measured(OptionalLong.empty(), "not measured: " + (last.isEmpty() ? "exit status " + p.exitValue() : last));
            }
            long mb = Long.parseLong(last.substring("peak RSS MB ".length()).trim());
            log.printf(Locale.ROOT, "cell memory: peak RSS %d MB%n", mb);
            return new Measured(OptionalLong.of(mb), WHAT);
        } catch (IOException e) {
            return new Measured(OptionalLong.empty(), "not measured: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Measured(OptionalLong.empty(), "not measured: interrupted");
        }
    }

    /** The command line of {@link #main} in a child JVM: this JVM's options, then {@code options}, and its class path. */
    static List<String> command(List<String> options) {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
        command.addAll(options);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), CellMemory.class.getName()));
        return command;
    }

    /** Trains the epoch; prints its progress on stderr and "peak RSS MB n" (or why not) last on stdout. */
    public static void main(String[] args) {
        Recipe recipe = Cell.entry(Scale.REDUCED, DataId.CIFAR10, Arch.DENSENET, ActivationSpec.relu(), Replacement.partial()).recipe();
        Data.Prepared prepared;
        try {
            prepared = Data.prepare(recipe, DataDir.resolve(), 1);
        } catch (Data.NotAvailable | IllegalArgumentException e) {
            System.out.println(e.getMessage());
            System.exit(3);
            return;
        }
        RandomStream root = RandomStream.root(1);
        Model model = recipe.build(prepared.classes(), prepared.inputShape(), root.child("init"), root.child("dropout"));
        Trainer trainer = new Trainer(model, prepared.train(), prepared.eval(), new Trainer.Config(1,
                recipe.learningRate(prepared.train().batchesPerEpoch()), recipe.optimiser(), (Path) null, System.err), null);
        trainer.run();
        System.out.println("peak RSS MB " + Measurements.peakRssMb());
    }
}
