package org.convrelu.nn.train;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;

/**
 * Training progress: on a terminal a bar with loss, accuracy, throughput and ETA redrawn in place;
 * elsewhere (CI and Slurm logs, redirected output) a line at least every minute within an epoch,
 * so a long epoch shows life, and one line per epoch.
 */
final class Progress {
    /** How often a log that is not a terminal gets a line within an epoch. */
    static final Duration LOG_INTERVAL = Duration.ofSeconds(60);

    private final PrintStream out;
    private final boolean interactive;
    private final int epochs;
    private final long logIntervalNanos;
    private long epochStart;
    private long lastDraw;
    private int firstBatch; // batches of the epoch done before this process resumed it

    Progress(PrintStream out, boolean interactive, int epochs) {
        this(out, interactive, epochs, LOG_INTERVAL);
    }

    Progress(PrintStream out, boolean interactive, int epochs, Duration logInterval) {
        this.out = out;
        this.interactive = interactive;
        this.epochs = epochs;
        this.logIntervalNanos = logInterval.toNanos();
    }

    /** A terminal that is not a CI log. */
    static boolean isInteractive() {
        return System.console() != null && System.getenv("CI") == null;
    }

    /** @param firstBatch batches of the epoch already done when this process starts or resumes it */
    void startEpoch(int firstBatch) {
        this.firstBatch = firstBatch;
        epochStart = System.nanoTime();
        lastDraw = epochStart;
    }

    /** @param step batches of the epoch done; @param examples examples this process trained on in it */
    void step(int epoch, int step, int steps, double loss, double top1, long examples) {
        long now = System.nanoTime();
        double elapsed = (now - epochStart) / 1e9;
        if (!interactive) {
            if (now - lastDraw >= logIntervalNanos && step < steps) {
                lastDraw = now;
                out.printf(Locale.ROOT, "epoch %d/%d: batch %d/%d, loss %.4f, top-1 %.1f%%, %.1f ex/s, epoch ETA %s%n", epoch + 1, epochs,
                        step, steps, loss, top1, examples / Math.max(elapsed, 1e-9),
                        duration(elapsed / Math.max(1, step - firstBatch) * (steps - step)));
                out.flush();
            }
            return;
        }
        if (now - lastDraw < 200_000_000L && step < steps) {
            return;
        }
        lastDraw = now;
        double eta = step <= firstBatch ? 0 : elapsed / (step - firstBatch) * (steps - step);
        int width = 24;
        int filled = (int) ((long) width * step / steps);
        out.printf(Locale.ROOT, "\repoch %d/%d [%s%s] %d/%d loss %.4f top-1 %.1f%% %.0f ex/s ETA %s ", epoch + 1, epochs,
                "=".repeat(filled), " ".repeat(width - filled), step, steps, loss, top1, examples / Math.max(elapsed, 1e-9),
                duration(eta));
        out.flush();
    }

    void endEpoch(EpochMetrics m) {
        if (interactive) {
            out.print("\r");
        }
        out.printf(Locale.ROOT, "epoch %d/%d lr %.4g train loss %.4f top-1 %.2f%% | eval top-1 %.2f%% | %.1f s, %.1f ex/s%s%n",
                m.epoch() + 1, epochs, m.lr(), m.trainLoss(), m.trainTop1(), m.evalTop1(), m.seconds(), m.examplesPerSecond(),
                m.theta() == null ? "" : String.format(Locale.ROOT, " | θ mean %.4f, |θ| %.4f", m.theta().mean(), m.theta().meanAbs()));
        out.flush();
    }

    private static String duration(double seconds) {
        long s = Math.round(seconds);
        return String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60);
    }
}
