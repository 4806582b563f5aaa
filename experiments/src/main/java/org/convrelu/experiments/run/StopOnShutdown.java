package org.convrelu.experiments.run;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * While a cell trains, a JVM shutdown (SIGTERM from Slurm's preemption, requeue, time limit or
 * {@code scancel}; SIGINT from Ctrl-C) asks it to stop instead of killing it mid-step: the hook
 * raises {@link #requested()}, the trainer writes a checkpoint after its current step, the cell's
 * lock is released, and only then, or after {@link #GRACE} at the latest, does the JVM exit.
 */
final class StopOnShutdown implements AutoCloseable {
    /** The longest the exit waits for the cell to stop: inside Slurm's default grace of 30 s between SIGTERM and SIGKILL. */
    static final Duration GRACE = Duration.ofSeconds(25);

    private final AtomicBoolean requested = new AtomicBoolean();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final Thread hook;

    StopOnShutdown() {
        hook = new Thread(() -> {
            requested.set(true);
            try {
                stopped.await(GRACE.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "cell-stop-on-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /** The JVM is shutting down (or {@link #request()} was called): the cell should stop at its next step. */
    boolean requested() {
        return requested.get();
    }

    /** Asks the cell to stop as a shutdown would. */
    void request() {
        requested.set(true);
    }

    /** The cell has stopped or finished and released its lock: a shutdown waiting on it may go on. */
    @Override
    public void close() {
        stopped.countDown();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running: it returns now that the latch is open
        }
    }
}
