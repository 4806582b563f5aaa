package org.convrelu.experiments.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import static org.assertj.core.api.Assertions.assertThat;

/** User errors are one line and exit status 2, found before any work; every subcommand has --help. */
class CliTest {
    @TempDir
    Path tmp;

    record Run(int status, String out, String err) {}

    /** Runs the command line, capturing standard output and error (picocli writes to them, as the commands do). */
    private static Run run(String... args) {
        PrintStream savedOut = System.out;
        PrintStream savedErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            int status = Cli.commandLine().execute(args);
            return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(savedOut);
            System.setErr(savedErr);
        }
    }

    @Test
    void helpListsTheSubcommands() {
        Run r = run("--help");
        assertThat(r.status()).isZero();
        assertThat(r.out()).contains("all", "table", "figure", "cell", "list", "data", "bench", "device-bench");
    }

    @Test
    void listShowsIndicesAndEverySeedsKeys() {
        Run r = run("list", "--table", "5");
        assertThat(r.out()).contains("0  CIFAR-10         R1 (First)").contains("densenet-convrelu-lastblock-cifar10-s1-");
        assertThat(run("list", "--table", "5", "--scale", "reduced", "--seeds", "3").out().lines()
                .filter(l -> l.contains("densenet-convrelu-lastblock-cifar10-s"))).hasSize(3)
                .anySatisfy(l -> assertThat(l).contains("seed 3 ").contains("-s3-"));
        assertThat(run("list", "--table", "6").out()).contains("trains nothing");
    }

    /** A subcommand offers the options it uses, and no others. */
    @Test
    void eachSubcommandOffersOnlyTheOptionsItUses() {
        assertThat(run("list", "--help").out()).contains("--seeds").doesNotContain("--retrain").doesNotContain("--wait")
                .doesNotContain("--allow-modified-data").doesNotContain("--runs");
        assertThat(run("cell", "--help").out()).contains("--retrain").contains("--wait").doesNotContain("--seeds")
                .doesNotContain("--stored-only").doesNotContain("--out");
        assertThat(run("status", "--help").out()).contains("--runs").contains("--store").doesNotContain("--retrain");
        assertThat(run("list", "--table", "5", "--retrain").status()).isEqualTo(Cli.USER_ERROR);
    }

    @Test
    void aCellOfAMissingDatasetSaysNotRunAndExitsNotDone() {
        Run r = run("cell", "--table", "1", "--index", "1", "--data", tmp.toString(), "--runs", tmp.resolve("runs").toString());
        assertThat(r.status()).isEqualTo(Cli.NOT_DONE); // a Slurm task without its result never shows as done
        assertThat(r.out()).contains("not run").contains("CIFAR-100 is not in the data directory");
    }

    @Test
    void figuresNameTheRunsTheyLack() throws Exception {
        String[] common = {"--scale", "reduced", "--stored-only", "--runs", tmp.resolve("runs").toString(), "--store",
                tmp.resolve("store").toString(), "--out", tmp.resolve("out").toString()};
        assertThat(run(concat(new String[] {"figure", "5"}, common)).status()).isZero();
        assertThat(run(concat(new String[] {"figure", "6"}, common)).status()).isZero();
        Path out = tmp.resolve("out").resolve("reduced");
        assertThat(java.nio.file.Files.readString(out.resolve("figure5.md")))
                .contains("Not run, so not plotted: ReLU, LeakyReLU, LeakyReLU (A), PReLU, PReLU (A), ConvReLU.");
        assertThat(java.nio.file.Files.readString(out.resolve("figure6.md"))).contains("reduced scale, 0 of 3 seeds pooled")
                .contains("No thresholds").contains("Command `suite figure 6 --scale reduced --stored-only`");
        assertThat(run(concat(new String[] {"figure", "6", "--seeds", "10"}, common)).status()).isZero();
        assertThat(java.nio.file.Files.readString(out.resolve("figure6.md"))).as("the seeds asked for are part of the command")
                .contains("0 of 10 seeds pooled").contains("Command `suite figure 6 --scale reduced --stored-only --seeds 10`");
    }

    private static String[] concat(String[] a, String[] b) {
        return java.util.stream.Stream.concat(java.util.Arrays.stream(a), java.util.Arrays.stream(b)).toArray(String[]::new);
    }

    private void assertOneLineUserError(Run r, String expected) {
        assertThat(r.status()).as(r.err()).isEqualTo(Cli.USER_ERROR);
        assertThat(r.err()).contains(expected).doesNotContain("\tat org.").doesNotContain("Exception");
        assertThat(r.err().strip().lines().count()).as(r.err()).isEqualTo(1);
    }

    @Test
    void anUnknownTableOrIndexOrScaleIsOneLine() {
        String runs = tmp.resolve("runs").toString();
        String out = tmp.resolve("out").toString();
        assertOneLineUserError(run("table", "9", "--runs", runs, "--out", out), "no table 9");
        assertOneLineUserError(run("cell", "--table", "1", "--index", "99", "--runs", runs), "indices 0..17");
        assertOneLineUserError(run("table", "1", "--scale", "huge", "--runs", runs, "--out", out), "unknown scale 'huge'");
        assertOneLineUserError(run("figure", "7", "--runs", runs, "--out", out), "figures of results are 5 and 6");
    }

    @Test
    void negativeSeedsAreRefused() {
        assertOneLineUserError(run("cell", "--table", "1", "--index", "0", "--seed", "-1", "--runs", tmp.toString()), "--seed must be ≥ 1");
        assertOneLineUserError(run("table", "6", "--seeds", "-3", "--out", tmp.resolve("out").toString()), "--seeds must be ≥ 0");
    }

    @Test
    void everyTableIdIsCheckedBeforeAnyTableIsWritten() {
        Path out = tmp.resolve("out");
        assertOneLineUserError(run("all", "--tables", "6,9", "--out", out.toString(), "--runs", tmp.resolve("runs").toString()),
                "no table 9");
        assertThat(out).doesNotExist();
    }

    @Test
    void verboseShowsTheStackTrace() {
        Run r = run("--verbose", "table", "9", "--out", tmp.resolve("out").toString());
        assertThat(r.status()).isEqualTo(Cli.USER_ERROR);
        assertThat(r.err()).contains("IllegalArgumentException").contains("\tat org.convrelu");
    }

    @Test
    void aMissingDataRootFailsTheDataCheck() {
        assertThat(run("data", "--data", tmp.resolve("nonexistent").toString()).status()).isEqualTo(Cli.USER_ERROR);
    }

    @Test
    void submitWritesOneArrayTaskPerCellAndItsManifest() {
        Path runs = tmp.resolve("runs");
        Run r = run("submit", "--tables", "1", "--scale", "paper", "--seeds", "3", "--runs", runs.toString(), "--partition", "gpu",
                "--gpus-per-task", "1", "--cpus-per-task", "8", "--mem", "32G", "--time", "2-00:00:00", "--max-parallel", "16", "--dry-run");
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out()).contains("#SBATCH --array=0-53%16", "#SBATCH --partition=gpu", "#SBATCH --gpus-per-task=1",
                "#SBATCH --cpus-per-task=8", "#SBATCH --mem=32G", "#SBATCH --time=2-00:00:00", "#SBATCH --requeue", "#SBATCH --open-mode=append",
                " cell --table \"$table\" --index \"$entry\" --seed \"$seed\" --fold \"$fold\" --scale paper --runs ")
                .contains("index\ttable\tentry\tseed\tfold\tkey\n0\t1\t0\t1\t0\t");
        assertThat(r.out().lines().filter(l -> l.matches("\\d+\t1\t\\d+\t[123]\t0\t.*"))).hasSize(54); // 18 cells × 3 seeds
        assertThat(r.err()).contains("nothing submitted");
    }

    @Test
    void statusReportsEveryCellOfTheTables() {
        Run r = run("status", "--tables", "5", "--scale", "smoke", "--runs", tmp.resolve("runs").toString());
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out()).contains("3 cell run(s): 3 not started").contains("table 5  cell 2   seed 1  not started");
    }

    @Test
    void everySubcommandHasHelp() {
        for (String sub : new String[] {"all", "table", "figure", "cell", "list", "data", "submit", "status", "bench", "device-bench"}) {
            Run r = run(sub, "--help");
            assertThat(r.status()).as(sub).isZero();
            assertThat(r.out()).as(sub).contains("Usage: suite " + sub);
        }
    }
}
