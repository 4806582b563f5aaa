package org.convrelu.experiments.run;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.convrelu.datasets.DataDir;
import org.convrelu.experiments.recipe.Arch;
import org.convrelu.experiments.recipe.Cell;
import org.convrelu.experiments.recipe.DataId;
import org.convrelu.experiments.recipe.Scale;
import org.convrelu.nn.models.ActivationSpec;
import org.convrelu.nn.models.Replacement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import static org.assertj.core.api.Assertions.assertThat;

/** One worker trains a cell at a time; the others say who trains it, or wait for its result; dead owners are taken over. */
class CellLockTest {
    @TempDir
    Path tmp;

    private final PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);

    @Test
    void aHeldLockNamesItsOwnerAndIsFreeAgainOnceReleased() {
        Path dir = tmp.resolve("cell");
        CellLock.Attempt first = CellLock.tryAcquire(dir, Duration.ofMinutes(10));
        assertThat(first.lock()).isPresent();
        CellLock.Attempt second = CellLock.tryAcquire(dir, Duration.ofMinutes(10));
        assertThat(second.lock()).isEmpty();
        assertThat(second.heldBy()).contains("pid " + ProcessHandle.current().pid()).contains("host ");
        first.lock().get().close();
        assertThat(dir.resolve(CellLock.FILE)).doesNotExist();
        CellLock.Attempt third = CellLock.tryAcquire(dir, Duration.ofMinutes(10));
        assertThat(third.lock()).isPresent();
        third.lock().get().close();
    }

    @Test
    void theLockOfADeadOwnerIsTakenOverAndItsReleaseLeavesTheNewOwnersLock() throws Exception {
        Path dir = tmp.resolve("cell");
        CellLock dead = CellLock.tryAcquire(dir, Duration.ofMinutes(10)).lock().orElseThrow();
        Files.setLastModifiedTime(dir.resolve(CellLock.FILE), FileTime.from(Instant.now().minus(Duration.ofMinutes(30))));
        CellLock.Attempt takeover = CellLock.tryAcquire(dir, Duration.ofMinutes(10));
        assertThat(takeover.lock()).as("a lock silent for 30 minutes is stale").isPresent();
        dead.close(); // the old owner comes back: it must not remove the new owner's lock
        assertThat(dir.resolve(CellLock.FILE)).exists();
        assertThat(CellLock.tryAcquire(dir, Duration.ofMinutes(10)).lock()).isEmpty();
        takeover.lock().get().close();
    }

    @Test
    void theHeartbeatKeepsALongTrainingOwnersLockFresh() throws Exception {
        Path dir = tmp.resolve("cell");
        Duration stale = Duration.ofMillis(800);
        try (CellLock held = CellLock.tryAcquire(dir, stale).lock().orElseThrow()) {
            Thread.sleep(2_000); // longer than staleAfter: only the heartbeat keeps it
            assertThat(CellLock.tryAcquire(dir, stale).lock()).isEmpty();
        }
    }

    @Test
    void aFailedCellLeavesItsErrorAndReleasesItsLock() throws Exception {
        Cell mr = Cell.entry(Scale.SMOKE, DataId.MR, Arch.CHARCNN, ActivationSpec.relu(), Replacement.partial()).withSeed(1).withFold(1);
        CellRunner runner = new CellRunner(DataDir.resolve(), tmp.resolve("runs"), quiet, CellRunner.Options.DEFAULT);
        Path dir = runner.directory(mr);
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("checkpoint.bin"), "not a checkpoint");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> runner.run(mr)).hasMessageContaining("checkpoint.bin");
        assertThat(Files.readString(dir.resolve(CellRunner.ERROR_FILE))).contains("checkpoint.bin").contains(mr.key());
        assertThat(dir.resolve(CellLock.FILE)).doesNotExist();
    }

    @Test
    void twoWorkersOnOneCellTrainItOnce() throws Exception {
        Cell mr = Cell.entry(Scale.SMOKE, DataId.MR, Arch.CHARCNN, ActivationSpec.relu(), Replacement.partial()).withSeed(1).withFold(1);
        Path runs = tmp.resolve("runs");
        CellRunner first = new CellRunner(DataDir.resolve(), runs, quiet, CellRunner.Options.DEFAULT);
        CompletableFuture<CellResult> training = CompletableFuture.supplyAsync(() -> first.run(mr));
        Path lock = first.directory(mr).resolve(CellLock.FILE);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!Files.exists(lock) && !training.isDone() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(training).as("the first worker is still training").isNotDone();

        CellResult second = new CellRunner(DataDir.resolve(), runs, quiet, CellRunner.Options.DEFAULT).run(mr);
        assertThat(second.ok()).isFalse();
        assertThat(second.reason()).contains("being trained by").contains("pid " + ProcessHandle.current().pid());

        CellRunner waiting = new CellRunner(DataDir.resolve(), runs, quiet, new CellRunner.Options(false, false, true, CellLock.STALE_AFTER, null, false));
        CellResult third = waiting.run(mr);
        CellResult trained = training.get(120, TimeUnit.SECONDS);
        assertThat(trained.ok()).isTrue();
        assertThat(third.finishedAt()).as("the waiting worker reads the first one's result").isEqualTo(trained.finishedAt());
        assertThat(lock).doesNotExist();
    }
}
