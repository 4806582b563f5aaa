package org.convrelu.experiments.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Reduced CIFAR-10 cells per hour, serial against parallel, for {@code suite bench}: {@link CellMemory}'s
 * epoch of the reduced CIFAR-10 ReLU cell, one process per core, timed whole (JVM start, data,
 * training, evaluation). Serially, one after another on every core, as one campaign worker per
 * machine trains; in parallel, all at once, each held to a core of its own as {@code scripts/campaign}'s
 * workers are. Both sides split the samples into as many partitions, and give ND4J as many OpenMP
 * threads, as the machine has cores, so every process computes the same numbers.
 */
final class CellThroughput {
    private CellThroughput() {}

    /** A reduced CIFAR-10 cell trains this many epochs. */
    static final int EPOCHS_PER_CELL = 11;

    static final String BENCHMARK = "reduced CIFAR-10 cells per hour";

    /** Times both campaigns on this machine; a row with NaN times, and the reason in its note, where one could not run. */
    static PerformanceReport.Row measure(PrintStream log) {
        int cores = Runtime.getRuntime().availableProcessors();
        log.printf(Locale.ROOT, "cell throughput: %d epochs serially on %d cores, then %d at once, one per core%n", cores, cores, cores);
        try {
            long t0 = System.nanoTime();
            for (int i = 0; i < cores; i++) {
                finish(start(cores, -1));
            }
            long t1 = System.nanoTime();
            List<Epoch> parallel = new ArrayList<>();
            try {
                for (int core = 0; core < cores; core++) {
                    parallel.add(start(cores, core));
                }
                for (Epoch e : parallel) {
                    finish(e);
                }
            } finally {
                parallel.forEach(e -> e.process().destroy()); // the others, where one failed
            }
            long t2 = System.nanoTime();
            PerformanceReport.Row row = row(cores, (t1 - t0) / 1e6, (t2 - t1) / 1e6);
            log.println("cell throughput: " + row.note());
            return row;
        } catch (IOException | IllegalStateException e) {
            return row(cores, Double.NaN, Double.NaN, "not measured: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return row(cores, Double.NaN, Double.NaN, "not measured: interrupted");
        }
    }

    /** The row for {@code workers} epochs that took {@code serialMs} one after another and {@code parallelMs} at once. */
    static PerformanceReport.Row row(int workers, double serialMs, double parallelMs) {
        return row(workers, serialMs, parallelMs, String.format(Locale.ROOT, "parallel %.2f, serial %.2f cells/h (%d epochs a cell)",
                cellsPerHour(workers, parallelMs), cellsPerHour(workers, serialMs), EPOCHS_PER_CELL));
    }

    private static PerformanceReport.Row row(int workers, double serialMs, double parallelMs, String note) {
        return new PerformanceReport.Row(BENCHMARK, workers + " epochs of " + CellMemory.WHAT.replace("one epoch of ", "") + " each",
                "parallel: " + workers + " workers × 1 core", parallelMs, "serial: 1 worker × " + workers + " cores", serialMs, note);
    }

    /** Cells per hour when {@code epochs} epochs take {@code ms}. */
    static double cellsPerHour(int epochs, double ms) {
        return 3_600_000.0 * epochs / ms / EPOCHS_PER_CELL;
    }

    /** A child JVM training the epoch, and the file its output goes to. */
    private record Epoch(Process process, Path output) {}

    /** {@link CellMemory#main} in a child JVM with this JVM's options; held to {@code core} unless it is negative. */
    private static Epoch start(int cores, int core) throws IOException {
        List<String> command = new ArrayList<>();
        if (core >= 0) {
            command.addAll(List.of("taskset", "-c", Integer.toString(core)));
        }
        command.addAll(CellMemory.command(core >= 0 ? List.of("-XX:ActiveProcessorCount=1", "-Dconvrelu.partitions=" + cores) : List.of()));
        Path output = Files.createTempFile("cell-throughput", ".log");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile());
        builder.environment().put("OMP_NUM_THREADS", Integer.toString(cores));
        return new Epoch(builder.start(), output);
    }

    /** Waits for an epoch; throws with its last line of output where it failed. */
    private static void finish(Epoch epoch) throws InterruptedException, IOException {
        try {
            if (!epoch.process().waitFor(60, TimeUnit.MINUTES)) {
                epoch.process().destroyForcibly();
                throw new IllegalStateException("an epoch took over an hour");
            }
            if (epoch.process().exitValue() != 0) {
                String last = Files.readString(epoch.output(), StandardCharsets.UTF_8).strip().lines().reduce((a, b) -> b).orElse("");
                throw new IllegalStateException("exit status " + epoch.process().exitValue() + (last.isEmpty() ? "" : ": " + last));
            }
        } finally {
            Files.deleteIfExists(epoch.output());
        }
    }
}
