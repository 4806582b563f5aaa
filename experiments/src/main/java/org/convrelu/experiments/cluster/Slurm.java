package org.convrelu.experiments.cluster;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.convrelu.experiments.recipe.Recipe;
import org.convrelu.experiments.recipe.Scale;
import org.convrelu.io.AtomicFiles;

/**
 * Submits cells to Slurm as one job array: an {@code sbatch} script with one task per cell and a
 * manifest beside it mapping each array index to its cell. Each task runs {@code suite cell} for
 * its entry against the shared run store, so a preempted or requeued task resumes from the cell's
 * checkpoint, and a cell that another task is training is left to it (the cell lock).
 */
public final class Slurm {
    /** What to ask Slurm for; null fields are left to the cluster's defaults. */
    public record Resources(String partition, String time, Integer gpusPerTask, int cpusPerTask, String mem, String account,
            Integer maxParallel) {}

    /** The files written for one submission. */
    public record Submission(Path script, Path manifest, Path logs, int tasks) {}

    private Slurm() {}

    /**
     * Writes the array script and manifest for {@code runs} under {@code <runStore>/<scale>/slurm/}.
     *
     * @param suite the {@code suite} launcher every task runs
     * @param data the data root every node reads, or null for the suite's default
     * @param textRecipe the text recipe every task passes on, or null for the default
     */
    public static Submission write(List<Grid.Task> runs, Scale scale, Recipe.TextRecipe textRecipe, Path runStore, Path data, Path suite,
            Resources r) {
        if (runs.isEmpty()) {
            throw new IllegalArgumentException("nothing to submit: every cell of these tables has a result");
        }
        Path dir = runStore.toAbsolutePath().resolve(scale.id()).resolve("slurm");
        String stamp = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss-SSS").withZone(ZoneOffset.UTC).format(Instant.now());
        Path manifest = dir.resolve("array-" + stamp + ".tsv");
        Path script = dir.resolve("array-" + stamp + ".sbatch");
        Path logs = dir.resolve("logs");
        StringBuilder m = new StringBuilder("index\ttable\tentry\tseed\tfold\tkey\n");
        for (int i = 0; i < runs.size(); i++) {
            Grid.Task run = runs.get(i);
            m.append(i).append('\t').append(run.table()).append('\t').append(run.entry()).append('\t').append(run.seed()).append('\t')
                    .append(run.fold()).append('\t').append(run.cell().key()).append('\n');
        }
        StringBuilder s = new StringBuilder("#!/usr/bin/env bash\n");
        s.append("#SBATCH --job-name=convrelu-").append(scale.id()).append('\n');
        s.append("#SBATCH --array=0-").append(runs.size() - 1).append(r.maxParallel() == null ? "" : "%" + r.maxParallel()).append('\n');
        s.append("#SBATCH --output=").append(logs).append("/%A_%a.log\n");
        s.append("#SBATCH --cpus-per-task=").append(r.cpusPerTask()).append('\n');
        s.append("#SBATCH --requeue\n");
        s.append("#SBATCH --open-mode=append\n"); // a requeued task's log keeps its earlier run, and where that stopped
        option(s, "partition", r.partition());
        option(s, "time", r.time());
        option(s, "gpus-per-task", r.gpusPerTask() == null ? null : r.gpusPerTask().toString());
        option(s, "mem", r.mem());
        option(s, "account", r.account());
        s.append("# One task per cell; the manifest maps the array index to the cell (").append(manifest.getFileName()).append(").\n");
        s.append("set -euo pipefail\n");
        s.append("line=$(awk -F'\\t' -v i=\"$SLURM_ARRAY_TASK_ID\" 'NR > 1 && $1 == i' ").append(quote(manifest)).append(")\n");
        s.append("[ -n \"$line\" ] || { echo \"no cell for array index $SLURM_ARRAY_TASK_ID in ").append(manifest).append("\" >&2; exit 2; }\n");
        s.append("IFS=$'\\t' read -r index table entry seed fold key <<< \"$line\"\n");
        s.append("echo \"array task $SLURM_ARRAY_TASK_ID: table $table, cell $entry, seed $seed, fold $fold ($key) on $(hostname)\"\n");
        s.append("exec ").append(quote(suite.toAbsolutePath())).append(" cell --table \"$table\" --index \"$entry\" --seed \"$seed\"")
                .append(" --fold \"$fold\" --scale ").append(scale.id()).append(" --runs ").append(quote(runStore.toAbsolutePath()));
        if (data != null) {
            s.append(" --data ").append(quote(data.toAbsolutePath()));
        }
        if (textRecipe != null) {
            s.append(" --text-recipe ").append(textRecipe.id());
        }
        s.append('\n');
        try {
            java.nio.file.Files.createDirectories(logs);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot create " + logs, e);
        }
        AtomicFiles.writeAtomically(manifest, m.toString());
        AtomicFiles.writeAtomically(script, s.toString());
        return new Submission(script, manifest, logs, runs.size());
    }

    private static void option(StringBuilder s, String name, String value) {
        if (value != null && !value.isBlank()) {
            s.append("#SBATCH --").append(name).append('=').append(value).append('\n');
        }
    }

    /** A shell word for {@code p} (single-quoted). */
    private static String quote(Path p) {
        return "'" + p.toString().replace("'", "'\\''") + "'";
    }

    /** Runs {@code sbatch script}; returns the job id. */
    public static String submit(Path script) {
        String out = run(List.of("sbatch", "--parsable", script.toString()), "sbatch")
                .orElseThrow(() -> new IllegalStateException("sbatch is not on the PATH: is this a Slurm cluster's login node?"));
        Matcher m = Pattern.compile("^(\\d+)").matcher(out.strip());
        if (!m.find()) {
            throw new IllegalStateException("sbatch answered '" + out.strip() + "', not a job id");
        }
        return m.group(1);
    }

    /**
     * The state of this suite's jobs in {@code squeue} (array tasks expanded), empty without Slurm;
     * where squeue is installed but cannot reach a cluster, what it said.
     */
    public static Optional<String> queue() {
        try {
            return run(List.of("squeue", "-h", "-r", "-o", "%i %T %j %R"), "squeue").map(out -> {
                List<String> ours = out.lines().filter(l -> l.contains(" convrelu-")).toList();
                return ours.isEmpty() ? "Slurm: no job of this suite in the queue"
                        : "Slurm queue (job, state, name, reason):\n" + String.join("\n", ours);
            });
        } catch (IllegalStateException e) {
            return Optional.of("Slurm: " + e.getMessage().lines().findFirst().orElse("squeue failed"));
        }
    }

    /** The output of a Slurm command, empty when the command is not installed; fails on its errors. */
    private static Optional<String> run(List<String> command, String name) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(name + " did not answer within 60 s");
            }
            if (p.exitValue() != 0) {
                throw new IllegalStateException(name + " failed (exit " + p.exitValue() + "): " + out.strip());
            }
            return Optional.of(out);
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + name, e);
        }
    }

    public static void printSubmission(PrintStream out, Submission s, String jobId) {
        out.printf(Locale.ROOT, "submitted job array %s: %d task(s)%n  script   %s%n  manifest %s%n  logs     %s/%s_<task>.log%n", jobId,
                s.tasks(), s.script(), s.manifest(), s.logs(), jobId);
    }
}
