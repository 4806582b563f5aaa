package org.convrelu.experiments.run;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.convrelu.datasets.DataDir;
import org.convrelu.experiments.cli.Cli;
import org.convrelu.experiments.recipe.Scale;
import org.convrelu.experiments.report.Suite;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Workers stopped the ways a cluster stops them, on real processes: SIGTERM (Slurm's preemption,
 * requeue, time limit and {@code scancel}) checkpoints, releases the lock and exits 143, and the
 * rerun resumes to the parameters of an uninterrupted run; SIGKILL (or the OOM killer) leaves a lock
 * whose owner is gone, which the next worker on the host takes over at once.
 */
class PreemptionTest {
    /** Table 1's ConvReLU entry on CIFAR-10 at smoke scale: 2 epochs of 8 batches, seconds. */
    private static final List<String> CELL = List.of("cell", "--table", "1", "--index", "15", "--seed", "1");

    @TempDir
    Path tmp;

    /** The suite's command line in a JVM of its own, on the test classpath, training into {@code runs}. */
    private static ProcessBuilder suite(Path runs, Path log) {
        return new ProcessBuilder(SuiteProcesses.cellCommand(List.of(), CELL, runs)).redirectErrorStream(true).redirectOutput(log.toFile());
    }

    /** Waits until the cell's lock exists: the worker holds the cell (and is loading data or training). */
    private static Path awaitLock(Path runs, Process p) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofMinutes(2));
        while (Instant.now().isBefore(deadline) && p.isAlive()) {
            if (Files.isDirectory(runs.resolve("smoke"))) {
                Path lock = SuiteProcesses.smokeCellDir(runs).resolve(CellLock.FILE);
                if (Files.exists(lock)) {
                    return lock;
                }
            }
            Thread.sleep(50);
        }
        throw new AssertionError("the worker took no lock within two minutes (alive: " + p.isAlive() + ")");
    }

    private static int finish(Process p) throws Exception {
        assertThat(p.waitFor(5, TimeUnit.MINUTES)).as("the worker ends").isTrue();
        return p.exitValue();
    }

    @Test
    void sigtermCheckpointsReleasesTheLockAndTheRerunResumesToTheSameParameters() throws Exception {
        Path whole = tmp.resolve("whole");
        assertThat(finish(suite(whole, tmp.resolve("whole.log")).start())).isZero();

        Path runs = tmp.resolve("stopped");
        Path log = tmp.resolve("stopped.log");
        Process p = suite(runs, log).start();
        Path lock = awaitLock(runs, p);
        p.destroy(); // SIGTERM
        int exit = finish(p);
        String out = Files.readString(log);
        assertThat(exit).as(out).isEqualTo(Cli.STOPPED);
        assertThat(out).containsPattern("stopped in epoch 1 after batch \\d+ of \\d+; a checkpoint holds that point .*; lock released");
        assertThat(lock).doesNotExist();
        assertThat(lock.resolveSibling("checkpoint.bin")).exists();
        assertThat(lock.resolveSibling(CellRunner.ERROR_FILE)).doesNotExist(); // a stop is not a failure

        Path resumedLog = tmp.resolve("resumed.log");
        assertThat(finish(suite(runs, resumedLog).start())).isZero();
        assertThat(Files.readString(resumedLog)).contains("resuming ").contains(" in epoch 1 after batch ");
        SuiteProcesses.assertTrainedAlike(SuiteProcesses.smokeResult(whole), SuiteProcesses.smokeResult(runs));
    }

    @Test
    void afterSigkillTheNextWorkerOnTheHostTakesTheLockOverAtOnce() throws Exception {
        Path runs = tmp.resolve("killed");
        Process p = suite(runs, tmp.resolve("killed.log")).start();
        Path lock = awaitLock(runs, p);
        long pid = p.pid();
        p.destroyForcibly(); // SIGKILL: no hook runs, the lock stays
        finish(p);
        assertThat(lock).exists();
        CellStatus before = CellStatus.of(new CellRunner(DataDir.resolve(), runs, System.out, CellRunner.Options.DEFAULT),
                Suite.table("1").entries(Scale.SMOKE).get(15).cell().withSeed(1));
        assertThat(before.state()).isEqualTo(CellStatus.State.INTERRUPTED);
        assertThat(before.detail()).contains("pid " + pid).contains("is no longer alive");

        Path log = tmp.resolve("rerun.log");
        Instant t0 = Instant.now();
        assertThat(finish(suite(runs, log).start())).isZero();
        assertThat(Files.readString(log)).contains("took over the lock of host").contains("pid " + pid + " on ")
                .containsPattern(": top-1 [0-9.]+%");
        assertThat(Duration.between(t0, Instant.now())).isLessThan(CellLock.STALE_AFTER); // not after the heartbeat went stale
    }

    @Test
    void aLockWhoseOwnerIsGoneIsKnownSoAndALiveOwnersIsNot() throws Exception {
        Process sleeper = new ProcessBuilder("sleep", "60").start();
        try {
            CellLock.Owner me = CellLock.Owner.me();
            String started = sleeper.info().startInstant().orElseThrow().toString();
            CellLock.Owner live = new CellLock.Owner(me.host(), sleeper.pid(), started, null, 0, "t", "now");
            assertThat(live.goneFor(me)).isEmpty();
            CellLock.Owner reused = new CellLock.Owner(me.host(), sleeper.pid(), "2020-01-01T00:00:00Z", null, 0, "t", "now");
            assertThat(reused.goneFor(me)).get().asString().contains("now belongs to another process");
            CellLock.Owner elsewhere = new CellLock.Owner("another-host", sleeper.pid(), started, null, 0, "t", "now");
            assertThat(elsewhere.goneFor(me)).as("on another host only the heartbeat tells").isEmpty();
        } finally {
            sleeper.destroyForcibly().waitFor();
        }
        Process done = new ProcessBuilder("true").start();
        done.waitFor();
        CellLock.Owner me = CellLock.Owner.me();
        assertThat(new CellLock.Owner(me.host(), done.pid(), null, null, 0, "t", "now").goneFor(me)).get().asString()
                .contains("is no longer alive");
        // a requeued Slurm task (same array job and task, one restart more) takes over its earlier run's lock wherever it ran
        CellLock.Owner requeued = new CellLock.Owner("node2", 42, null, "10_0", 1, "t", "now");
        assertThat(new CellLock.Owner("node1", 42, null, "10_0", 0, "t", "now").goneFor(requeued)).get().asString()
                .contains("an earlier run of Slurm job 10_0");
        assertThat(new CellLock.Owner("node1", 42, null, "10_1", 0, "t", "now").goneFor(requeued)).isEmpty();
        assertThat(new CellLock.Owner("node1", 42, null, "10_0", 1, "t", "now").goneFor(requeued)).isEmpty();
    }
}
