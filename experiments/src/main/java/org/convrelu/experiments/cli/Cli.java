package org.convrelu.experiments.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.convrelu.datasets.DataCheck;
import org.convrelu.datasets.DataDir;
import org.convrelu.experiments.bench.Bench;
import org.convrelu.experiments.bench.DeviceBench;
import org.convrelu.experiments.bench.PerformanceReport;
import org.convrelu.experiments.bench.PytorchPeer;
import org.convrelu.experiments.cluster.CampaignEstimate;
import org.convrelu.experiments.cluster.Grid;
import org.convrelu.experiments.cluster.Slurm;
import org.convrelu.experiments.paper.PaperTable;
import org.convrelu.experiments.paper.TextRecipes;
import org.convrelu.experiments.recipe.Cell;
import org.convrelu.experiments.recipe.Recipe;
import org.convrelu.experiments.recipe.Scale;
import org.convrelu.experiments.report.Suite;
import org.convrelu.experiments.run.CellLock;
import org.convrelu.experiments.run.CellResult;
import org.convrelu.experiments.run.CellRunner;
import org.convrelu.experiments.run.CellStatus;
import org.convrelu.tensor.ops.Backends;
import org.convrelu.tensor.ops.Implementation;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine;

/** The suite's command line: regenerate tables and figures, run single cells, check data. */
@Command(name = "suite", mixinStandardHelpOptions = true, version = "convrelu suite",
        description = "Regenerates the tables and figures of Gao, Cai, Ji: Adaptive Convolutional ReLUs (AAAI 2020).",
        subcommands = {Cli.All.class, Cli.Table.class, Cli.Figure.class, Cli.CellCommand.class, Cli.ListCells.class,
                Cli.Recipes.class, Cli.DataCommand.class, Cli.Submit.class, Cli.Status.class, Cli.BenchCommand.class, Cli.DeviceBenchCommand.class})
public final class Cli implements Runnable {

    /** Exit status of a user error: a bad option, a missing file, a stored state that does not match. */
    static final int USER_ERROR = 2;
    /** Exit status of {@code cell} when a run it asked for has no result: its data is absent, or another live worker trains it. */
    static final int NOT_DONE = 3;
    /** Exit status after a stop on SIGTERM or SIGINT (128 + SIGTERM's 15, as the shell reports a process the signal ended). */
    public static final int STOPPED = 143;

    @Option(names = "--verbose", scope = CommandLine.ScopeType.INHERIT, description = "print the stack trace of an error")
    boolean verbose;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /**
     * The command line: an error caused by the input (an option, a file, stored state) is one line on
     * standard error and exit status 2; a stack trace only with {@code --verbose} or for a bug.
     */
    static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Cli()).setCaseInsensitiveEnumValuesAllowed(true);
        cl.setExecutionExceptionHandler((e, command, parsed) -> {
            if (e instanceof org.convrelu.nn.train.TrainingStopped) {
                command.getErr().println("suite " + command.getCommandName() + ": " + e.getMessage());
                return STOPPED;
            }
            boolean verbose = parsed.matchedOption("--verbose") != null || parsed.subcommands().stream()
                    .anyMatch(p -> p.matchedOption("--verbose") != null);
            boolean userError = e instanceof IllegalArgumentException || e instanceof IllegalStateException
                    || e instanceof java.io.UncheckedIOException || e instanceof org.convrelu.datasets.DataFormatException;
            if (verbose || !userError) {
                e.printStackTrace(command.getErr());
            } else {
                command.getErr().println("suite " + command.getCommandName() + ": " + e.getMessage());
            }
            return userError ? USER_ERROR : 1;
        });
        return cl;
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    /** What a command works on: the scale and the text recipe. */
    static final class Selection {
        @Option(names = "--scale", defaultValue = "smoke", description = "smoke, reduced or paper (default: ${DEFAULT-VALUE})")
        String scale;

        @Option(names = "--text-recipe", description = "the recipe of text cells: paper (the paper's shared lr 0.1 schedule),"
                + " crepe (Zhang et al.'s) or triangle (ours); default: triangle at reduced scale, crepe elsewhere, as measured"
                + " (docs/scales.md)")
        String textRecipe;

        @Option(names = "--command", hidden = true, description = "the command recorded in the provenance")
        String command;

        String textRecipeOption() {
            return textRecipe == null ? "" : " --text-recipe " + Recipe.TextRecipe.parse(textRecipe).id();
        }
    }

    /** How many seeds of each cell a command covers. */
    static final class SeedCount {
        @Option(names = "--seeds", defaultValue = "0", description = "seeds per cell (0: the scale's default, 1 at smoke, 3 otherwise)")
        int seeds;
    }

    /** Where the data, the run directory and the results store are. */
    static final class Stores {
        @Option(names = "--data", description = "data root (default: -Dconvrelu.data, $CONVRELU_DATA, or ../shared/data)")
        Path data;

        @Option(names = "--runs", defaultValue = "runs", description = "where cells keep checkpoints and results (default: ${DEFAULT-VALUE})")
        Path runs;

        @Option(names = "--store", defaultValue = "reports/store", description = "the results store: finished reduced and paper cells"
                + " (result and per-epoch metrics), committed with the reports (default: ${DEFAULT-VALUE})")
        Path store;
    }

    /** How cells train. */
    static final class Training {
        @Option(names = "--retrain", description = "retrain the cells, deleting their stored results and checkpoints first")
        boolean retrain;

        @Option(names = "--allow-modified-data",
                description = "train on data whose files differ from their published checksums (rows then say modified_data)")
        boolean allowModifiedData;

        @Option(names = "--wait", description = "when another worker is training a cell, wait for its result (default: report the"
                + " cell as not run, naming the worker)")
        boolean waitForOthers;
    }

    /** Where reports go, and whether they may train. */
    static final class Reporting {
        @Option(names = "--stored-only", description = "train nothing: build the reports from the run directory and the results store,"
                + " cells without a result reported as not run")
        boolean storedOnly;

        @Option(names = "--out", defaultValue = "reports/results", description = "where reports go, one folder per scale (default: ${DEFAULT-VALUE})")
        Path out;
    }

    /** The options of the commands that write reports: all of the above. */
    static final class Common {
        @Mixin
        Selection selection;

        @Mixin
        SeedCount seeds;

        @Mixin
        Stores stores;

        @Mixin
        Training training;

        @Mixin
        Reporting reporting;

        /** The options that decide what a report holds, as the provenance records its command. */
        String reportOptions() {
            return selection.textRecipeOption() + (reporting.storedOnly ? " --stored-only" : "")
                    + (seeds.seeds > 0 ? " --seeds " + seeds.seeds : "");
        }

        Suite suite(String invocation) {
            return Cli.suite(invocation, selection, seeds.seeds, stores, training, reporting);
        }
    }

    /** The suite for a command with these options; a command without {@code stores}, {@code training} or {@code reporting} gets the defaults. */
    static Suite suite(String invocation, Selection selection, int seeds, Stores stores, Training training, Reporting reporting) {
        if (seeds < 0) {
            throw new IllegalArgumentException("--seeds must be ≥ 0 (0: the scale's default), got " + seeds);
        }
        Stores where = stores == null ? new Stores() : stores;
        Training how = training == null ? new Training() : training;
        boolean storedOnly = reporting != null && reporting.storedOnly;
        DataDir dir = where.data == null ? DataDir.resolve() : new DataDir(where.data);
        Recipe.TextRecipe text = selection.textRecipe == null ? null : Recipe.TextRecipe.parse(selection.textRecipe);
        return new Suite(dir, where.runs == null ? Path.of("runs") : where.runs, reporting == null ? Path.of("reports/results") : reporting.out,
                Scale.parse(selection.scale), seeds, text, selection.command == null ? invocation : selection.command, System.err,
                new CellRunner.Options(how.retrain, how.allowModifiedData, how.waitForOthers, CellLock.STALE_AFTER,
                        where.store == null ? Path.of("reports/store") : where.store, storedOnly));
    }

    @Command(name = "all", mixinStandardHelpOptions = true, description = "Every table and both figures (or --tables), then the index.")
    static final class All implements Callable<Integer> {
        @Mixin
        Common common;

        @Option(names = "--tables", defaultValue = "1,2,3,4,5,6", split = ",", description = "tables to regenerate (default: ${DEFAULT-VALUE})")
        List<String> tables;

        @Option(names = "--no-figures", description = "skip Figures 5 and 6")
        boolean noFigures;

        @Override
        public Integer call() {
            long t0 = System.nanoTime();
            List<PaperTable> chosen = tables.stream().map(t -> Suite.table(t.strip())).toList(); // every id checked before any work
            Suite suite = common.suite("suite all --scale " + common.selection.scale + " --tables " + String.join(",", tables)
                    + common.reportOptions());
            for (PaperTable t : chosen) {
                suite.train(t);
            }
            for (PaperTable t : chosen) {
                suite.table(t);
            }
            if (!noFigures) {
                suite.figure5();
                suite.figure6();
            }
            suite.index();
            System.err.printf(Locale.ROOT, "Done in %.1f min; reports in %s%n", (System.nanoTime() - t0) / 60e9, suite.outputDirectory());
            return 0;
        }
    }

    @Command(name = "table", mixinStandardHelpOptions = true, description = "Regenerate one table.")
    static final class Table implements Callable<Integer> {
        @Mixin
        Common common;

        @Parameters(index = "0", description = "table number, 1 to 6")
        String id;

        @Override
        public Integer call() {
            PaperTable table = Suite.table(id);
            Suite suite = common.suite("suite table " + id + " --scale " + common.selection.scale + common.reportOptions());
            suite.table(table);
            suite.index();
            return 0;
        }
    }

    @Command(name = "recipes", mixinStandardHelpOptions = true, description = "Train the char-CNN cells of MR with every text recipe"
            + " (the paper's, Crepe's and the triangle) and write text-recipes.md and .csv: the measurement behind the default.")
    static final class Recipes implements Callable<Integer> {
        @Mixin
        Common common;

        @Override
        public Integer call() {
            if (common.selection.textRecipe != null) {
                throw new IllegalArgumentException("recipes trains every text recipe; --text-recipe does not apply");
            }
            Suite suite = common.suite("suite recipes --scale " + common.selection.scale + " --seeds " + common.seeds.seeds);
            suite.table(new TextRecipes());
            suite.index();
            return 0;
        }
    }

    @Command(name = "figure", mixinStandardHelpOptions = true, description = "Regenerate Figure 5 (accuracy curves) or 6 (threshold histogram).")
    static final class Figure implements Callable<Integer> {
        @Mixin
        Common common;

        @Parameters(index = "0", description = "5 or 6")
        int id;

        @Override
        public Integer call() {
            if (id != 5 && id != 6) {
                throw new IllegalArgumentException("the paper's figures of results are 5 and 6, got " + id);
            }
            Suite suite = common.suite("suite figure " + id + " --scale " + common.selection.scale + common.reportOptions());
            if (id == 5) {
                suite.figure5();
            } else {
                suite.figure6();
            }
            suite.index();
            return 0;
        }
    }

    @Command(name = "cell", mixinStandardHelpOptions = true, description = "Train one cell of a table for one seed (spread cells over machines; `table` then reuses them)."
            + " Exit status 0 when every run has its result, 3 when one has none (no data, or another live worker trains it), 143 when"
            + " stopped by SIGTERM or SIGINT (after a checkpoint: run it again to resume).")
    static final class CellCommand implements Callable<Integer> {
        @Mixin
        Selection selection;

        @Mixin
        Stores stores;

        @Mixin
        Training training;

        @Option(names = "--table", required = true, description = "table number")
        String table;

        @Option(names = "--index", required = true, description = "cell index, as `list` shows it")
        int index;

        @Option(names = "--seed", defaultValue = "1", description = "seed (default: ${DEFAULT-VALUE})")
        long seed;

        @Option(names = "--fold", defaultValue = "0",
                description = "for cross-validated data (MR): the held-out fold, 1-based (default: every fold the scale trains)")
        int fold;

        @Override
        public Integer call() {
            if (seed < 1) {
                throw new IllegalArgumentException("--seed must be ≥ 1 (the seeds of a table are 1..N), got " + seed);
            }
            if (fold < 0 || fold > Recipe.MR_FOLDS) {
                throw new IllegalArgumentException("--fold must be 1.." + Recipe.MR_FOLDS + " (0: every fold), got " + fold);
            }
            boolean allDone = true;
            for (CellResult r : suite("suite cell", selection, 0, stores, training, null).runCell(Suite.table(table), index, seed, fold)) {
                System.out.println(r.ok() ? String.format(Locale.ROOT, "%s: top-1 %.2f%% (%s)", r.key(), r.top1(), r.model())
                        : r.key() + ": not run: " + r.reason());
                allDone &= r.ok();
            }
            return allDone ? 0 : NOT_DONE; // a Slurm task shows as failed, never as done, when its cell has no result
        }
    }

    @Command(name = "submit", mixinStandardHelpOptions = true, description = "Submit the unfinished cells of tables to Slurm as one"
            + " job array (a task per cell × seed × fold), sharing the run store; prints the job id and where the logs go.")
    static final class Submit implements Callable<Integer> {
        @Mixin
        Selection selection;

        @Mixin
        SeedCount seeds;

        @Mixin
        Stores stores;

        @Option(names = "--tables", defaultValue = "1,2,3,4,5", split = ",", description = "tables (default: ${DEFAULT-VALUE})")
        List<String> tables;

        @Option(names = "--partition", description = "Slurm partition")
        String partition;

        @Option(names = "--time", description = "time limit per task, Slurm's format (e.g. 2-00:00:00)")
        String time;

        @Option(names = "--gpus-per-task", description = "GPUs per task (build with -Pcuda)")
        Integer gpusPerTask;

        @Option(names = "--cpus-per-task", defaultValue = "2", description = "CPUs per task (default: ${DEFAULT-VALUE})")
        int cpusPerTask;

        @Option(names = "--mem", description = "memory per task, Slurm's format (e.g. 16G)")
        String mem;

        @Option(names = "--account", description = "Slurm account")
        String account;

        @Option(names = "--max-parallel", description = "at most this many tasks at once (the array's %%K throttle)")
        Integer maxParallel;

        @Option(names = "--dry-run", description = "write and print the script and the manifest without submitting")
        boolean dryRun;

        @Override
        public Integer call() throws IOException {
            List<PaperTable> chosen = tables.stream().map(t -> Suite.table(t.strip())).toList();
            if (cpusPerTask < 1 || (maxParallel != null && maxParallel < 1) || (gpusPerTask != null && gpusPerTask < 0)) {
                throw new IllegalArgumentException("--cpus-per-task and --max-parallel must be ≥ 1, --gpus-per-task ≥ 0");
            }
            Suite suite = suite("suite submit", selection, seeds.seeds, stores, null, null);
            Grid grid = Grid.of(chosen, suite);
            List<Grid.Task> todo = grid.tasks().stream().filter(r -> suite.runner().resultFile(r.cell()).isEmpty())
                    .toList();
            System.err.printf(Locale.ROOT, "%d cell run(s) in tables %s at scale %s; %d without a result%n", grid.tasks().size(),
                    String.join(",", tables), suite.scale().id(), todo.size());
            Path data = (stores.data != null ? stores.data : DataDir.resolve().root()).toAbsolutePath().normalize(); // as every node sees it
            Slurm.Submission s = Slurm.write(todo, suite.scale(), suite.textRecipe(), stores.runs, data, launcher(),
                    new Slurm.Resources(partition, time, gpusPerTask, cpusPerTask, mem, account, maxParallel));
            if (dryRun) {
                System.out.println(Files.readString(s.script()));
                System.out.println(Files.readString(s.manifest()));
                System.err.println("dry run: nothing submitted; script " + s.script());
                return 0;
            }
            Slurm.printSubmission(System.out, s, Slurm.submit(s.script()));
            return 0;
        }

        /** The suite launcher beside the jar this runs from ({@code <repo>/suite}). */
        private static Path launcher() {
            try {
                Path jar = Path.of(Cli.class.getProtectionDomain().getCodeSource().getLocation().toURI());
                Path suite = jar.getParent().getParent().getParent().resolve("suite"); // experiments/target/x.jar → repo
                if (!Files.isExecutable(suite)) {
                    throw new IllegalStateException("the suite launcher is not at " + suite + "; run submit through ./suite");
                }
                return suite;
            } catch (java.net.URISyntaxException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true, description = "Where the cells of tables stand in the run store: done,"
            + " training (by whom, ETA), failed, interrupted or not started; with Slurm, the queue's view too.")
    static final class Status implements Callable<Integer> {
        @Mixin
        Selection selection;

        @Mixin
        SeedCount seeds;

        @Mixin
        Stores stores;

        @Option(names = "--tables", defaultValue = "1,2,3,4,5", split = ",", description = "tables (default: ${DEFAULT-VALUE})")
        List<String> tables;

        @Override
        public Integer call() {
            List<PaperTable> chosen = tables.stream().map(t -> Suite.table(t.strip())).toList();
            Suite suite = suite("suite status", selection, seeds.seeds, stores, null, null);
            Grid grid = Grid.of(chosen, suite);
            Map<Grid.Task, CellStatus> states = new java.util.LinkedHashMap<>();
            for (Grid.Task r : grid.tasks()) {
                CellStatus st = CellStatus.of(suite.runner(), r.cell());
                states.put(r, st);
                System.out.printf(Locale.ROOT, "table %-2s cell %-3d seed %-2d%s %-12s %s %s%n", r.table(), r.entry(), r.seed(),
                        r.fold() > 0 ? " fold " + r.fold() : "", name(st.state()), r.cell().key(), st.detail());
            }
            CampaignEstimate estimate = CampaignEstimate.of(states);
            for (String table : states.keySet().stream().map(Grid.Task::table).distinct().toList()) {
                System.out.println("table " + table + ": " + estimate.summary(table));
            }
            System.out.println(estimate.summary(null));
            Slurm.queue().ifPresent(System.out::println);
            return 0;
        }

        private static String name(CellStatus.State state) {
            return state.name().toLowerCase(Locale.ROOT).replace('_', ' ');
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the cells of a table with their indices and, for"
            + " every seed, their keys.")
    static final class ListCells implements Callable<Integer> {
        @Mixin
        Selection selection;

        @Mixin
        SeedCount seeds;

        @Option(names = "--table", required = true, description = "table number")
        String table;

        @Override
        public Integer call() {
            PaperTable t = Suite.table(table);
            Suite suite = suite("suite list", selection, seeds.seeds, null, null, null);
            List<PaperTable.Entry> entries = suite.entries(t);
            PrintStream out = System.out;
            for (int i = 0; i < entries.size(); i++) {
                PaperTable.Entry e = entries.get(i);
                for (long seed : suite.seeds()) { // every seed's key: the cell a `cell --index i --seed s` trains
                    out.printf(Locale.ROOT, "%3d  %-16s %-22s seed %-3d %s%n", i, e.row().text(), e.column().text(), seed,
                            String.join(" ", e.cell().runs(seed).stream().map(Cell::key).toList()));
                }
            }
            if (entries.isEmpty()) {
                out.println("table " + table + " trains nothing (its numbers come from building the networks)");
            }
            return 0;
        }
    }

    @Command(name = "bench", mixinStandardHelpOptions = true, description = "Time ConvReLU against the native convolution (JMH), the networks' training steps, "
            + "the data pipeline, and the PyTorch peer where PyTorch is installed; writes performance.md and performance.csv.")
    static final class BenchCommand implements Callable<Integer> {
        @Option(names = "--repeats", defaultValue = "10", description = "repeats per figure after warm-up (default: ${DEFAULT-VALUE})")
        int repeats;

        @Option(names = "--quick", description = "one shape per layer kind and no step of the small char-CNN")
        boolean quick;

        @Option(names = "--out", defaultValue = "reports/results", description = "output folder (default: ${DEFAULT-VALUE})")
        Path out;

        @Option(names = "--peer-script", defaultValue = PytorchPeer.SCRIPT,
                description = "the PyTorch peer, run with $CONVRELU_PYTHON, python3 or /usr/bin/python3 (default: ${DEFAULT-VALUE})")
        Path peerScript;

        @Override
        public Integer call() {
            if (repeats < 1) {
                throw new IllegalArgumentException("--repeats must be ≥ 1, got " + repeats);
            }
            Bench bench = new Bench(repeats, System.err);
            PerformanceReport.write(out, bench.run(quick, peerScript), "suite bench --repeats " + repeats + (quick ? " --quick" : ""));
            System.err.println("performance report written to " + out.resolve("performance.md"));
            return 0;
        }
    }

    @Command(name = "device-bench", mixinStandardHelpOptions = true, description = "Time densenet_cifar training steps (ReLU, and ConvReLU in block 1) and a CIFAR-10"
            + " epoch on ND4J's current backend; writes performance.md and performance.csv. scripts/gpu-check runs it.")
    static final class DeviceBenchCommand implements Callable<Integer> {
        @Option(names = "--cpu", description = "run on ND4J's CPU backend (checks the flow; the targets are not judged)")
        boolean cpu;

        @Option(names = "--batch", defaultValue = "128", description = "batch size (default: ${DEFAULT-VALUE}, the paper's)")
        int batch;

        @Option(names = "--warm-up", defaultValue = "3", description = "warm-up steps of each network (default: ${DEFAULT-VALUE})")
        int warmUp;

        @Option(names = "--steps", defaultValue = "10", description = "timed steps of each network (default: ${DEFAULT-VALUE})")
        int steps;

        @Option(names = "--epoch-batches", defaultValue = "0",
                description = "batches of the CIFAR-10 epoch to time; 0 times the whole epoch, fewer are extrapolated (default: ${DEFAULT-VALUE})")
        int epochBatches;

        @Option(names = "--force", description = "force one implementation on every op kind that has it: reference, patches, direct or nd4j")
        String force;

        @Option(names = "--driver", description = "the GPU driver's version, for the report (scripts/gpu-check passes nvidia-smi's)")
        String driver;

        @Option(names = "--out", defaultValue = "reports/results/gpu", description = "output folder (default: ${DEFAULT-VALUE})")
        Path out;

        @Option(names = "--command", hidden = true, description = "the command recorded in the report")
        String command;

        @Override
        public Integer call() {
            if (batch < 2 || warmUp < 0 || steps < 1 || epochBatches < 0) {
                throw new CommandLine.ParameterException(new CommandLine(this),
                        "--batch must be ≥ 2, --steps ≥ 1, --warm-up and --epoch-batches ≥ 0");
            }
            String invocation = command != null ? command : "suite device-bench" + (cpu ? " --cpu" : "") + " --batch " + batch
                    + " --steps " + steps + " --epoch-batches " + epochBatches + (force == null ? "" : " --force " + force);
            Implementation forced = force == null ? null : Implementation.byId(force, "--force");
            try (Backends.Forcing f = Backends.force(forced)) {
                new DeviceBench(new DeviceBench.Config(!cpu, batch, warmUp, steps, epochBatches, driver, invocation), System.err).run(out);
            } catch (IllegalStateException e) {
                System.err.println("device-bench: " + e.getMessage());
                return 1;
            }
            System.err.println("device report written to " + out.resolve("performance.md"));
            return 0;
        }
    }

    @Command(name = "data", mixinStandardHelpOptions = true, description = "Check the data directory (checksums, sizes, class counts, channel statistics).")
    static final class DataCommand implements Callable<Integer> {
        @Option(names = "--data", description = "data root")
        Path data;

        @Option(names = "--download", description = "download missing datasets from their official addresses")
        boolean download;

        @Override
        public Integer call() {
            List<String> args = new ArrayList<>();
            if (data != null) {
                args.add("--data");
                args.add(data.toString());
            }
            if (download) {
                args.add("--download");
            }
            return new CommandLine(new DataCheck(System.out)).execute(args.toArray(String[]::new));
        }
    }
}
