package org.convrelu.nn.train;

import java.io.PrintStream;
import java.util.Locale;

/**
 * Training progress: on a terminal a bar with loss, accuracy, throughput and ETA redrawn in place;
 * elsewhere (CI logs, redirected output) one line per epoch.
 */
final class Progress {
    private final PrintStream out;
    private final boolean interactive;
    private final int epochs;
    private long epochStart;
    private long lastDraw;

    Progress(PrintStream out, boolean interactive, int epochs) {
        this.out = out;
        this.interactive = interactive;
        this.epochs = epochs;
    }

    /** A terminal that is not a CI log. */
    static boolean isInteractive() {
        return System.console() != null && System.getenv("CI") == null;
    }

    void startEpoch() {
        epochStart = System.nanoTime();
    }

    void step(int epoch, int step, int steps, double loss, double top1, long examples) {
        if (!interactive) {
            return;
        }
        long now = System.nanoTime();
        if (now - lastDraw < 200_000_000L && step < steps) {
            return;
        }
        lastDraw = now;
        double elapsed = (now - epochStart) / 1e9;
        double eta = step == 0 ? 0 : elapsed / step * (steps - step);
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
