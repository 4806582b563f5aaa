package org.convrelu.experiments.bench;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.convrelu.experiments.run.Provenances;
import org.convrelu.io.AtomicFiles;

/**
 * {@code performance.md} and {@code performance.csv}: the rows of a benchmark run (ours against a
 * baseline measured in the same run), its provenance, and each target of the performance work,
 * met or not. {@code suite bench} and {@code suite device-bench} write their reports through it.
 */
public final class PerformanceReport {
    private PerformanceReport() {}

    /** One comparison; {@code baselineMs} is NaN where the baseline was not measured. */
    record Row(String benchmark, String shape, String ours, double oursMs, String baseline, double baselineMs, String note) {
        double ratio() {
            return oursMs / baselineMs;
        }
    }

    /**
     * A benchmark run: its rows, the peer, this process's peak RSS over the network steps, a reduced
     * cell's peak RSS, and how the layers ({@code jmh}) and networks were timed.
     */
    record Results(List<Row> rows, PytorchPeer peer, long peakRssMb, CellMemory.Measured cellMemory, String jmh, String networks) {}

    /** The bound on a reduced cell's peak resident set: 1.5 GB. */
    static final long REDUCED_CELL_RSS_MB = 1536;

    public static void write(Path dir, Results results, String command) {
        List<Row> rows = results.rows();
        writeCsv(dir.resolve("performance.csv"), rows);
        StringBuilder md = new StringBuilder("# Performance\n\n").append(provenanceRows(command))
                .append("| layers | ").append(results.jmh())
                .append(" |\n| networks | ").append(results.networks())
                .append(" |\n| peak RSS | ").append(results.peakRssMb()).append(" MB (this process over the network steps, before the loader reads CIFAR-10)")
                .append(" |\n| peak RSS, reduced cell | ").append(results.cellMemory().peakRssMb().isPresent()
                        ? results.cellMemory().peakRssMb().getAsLong() + " MB (" + results.cellMemory().what() + ")" : results.cellMemory().what())
                .append(" |\n| PyTorch peer | ").append(results.peer().describe()).append(" |\n\n");
        md.append(markdownRows(rows));
        md.append("\n## Targets\n\n").append(targets(results)).append('\n');
        AtomicFiles.writeAtomically(dir.resolve("performance.md"), md.toString());
    }

    /** Each target of the performance work, met or not, from the rows above. */
    private static String targets(Results results) {
        List<Row> rows = results.rows();
        StringBuilder t = new StringBuilder();
        double worstLayer = rows.stream().filter(r -> r.ours().equals("ConvReLU") && r.baseline().startsWith("ND4J conv"))
                .mapToDouble(Row::ratio).max().orElse(Double.NaN);
        t.append(line("ConvReLU forward+backward ≤ 1.5× ND4J's conv at every shape", worstLayer <= 1.5,
                String.format(Locale.ROOT, "worst ratio %.2f", worstLayer)));
        List<Row> againstTorch = rows.stream().filter(r -> r.ours().equals("ConvReLU") && r.baseline().startsWith("PyTorch F.conv")).toList();
        double worstTorch = againstTorch.stream().mapToDouble(Row::ratio).max().orElse(Double.NaN);
        t.append(againstTorch.isEmpty() || Double.isNaN(worstTorch) ? "- ConvReLU forward+backward ≤ 2× PyTorch's plain conv at every shape — not measured\n"
                : line("ConvReLU forward+backward ≤ 2× PyTorch's plain conv at every shape (moonshot 1.2×)", worstTorch <= 2.0,
                        String.format(Locale.ROOT, "worst ratio %.2f", worstTorch)));
        for (Row r : rows) {
            if (r.baseline().equals("the same step with ReLU")) {
                t.append(line(r.benchmark() + ": ConvReLU step ≤ 1.15× the ReLU step", r.ratio() <= 1.15,
                        String.format(Locale.ROOT, "ratio %.2f", r.ratio())));
            }
            if (r.baseline().startsWith("PyTorch, the same network")) {
                double required = TrainingStep.Network.of(r.benchmark()).pytorchTimeTarget;
                String target = String.format(Locale.ROOT, "%s: ReLU step ≤ %.2g× PyTorch's time", r.benchmark(), required);
                t.append(Double.isNaN(r.baselineMs()) ? "- " + target + " — not measured\n"
                        : line(target, r.ratio() <= required, String.format(Locale.ROOT, "our step takes %.2f× PyTorch's", r.ratio())));
            }
            if (r.benchmark().startsWith("data pipeline") && !Double.isNaN(r.oursMs())) {
                t.append(line("data pipeline ≥ 5× the training throughput", r.baselineMs() / r.oursMs() >= 5,
                        String.format(Locale.ROOT, "%.0f×", r.baselineMs() / r.oursMs())));
            }
        }
        OptionalLong peerRss = results.peer().peakRssMb();
        if (peerRss.isPresent()) {
            long torchRss = peerRss.getAsLong();
            t.append(line("peak RSS over the network steps ≤ 2× PyTorch's (moonshot 1.5×)", results.peakRssMb() <= 2 * torchRss,
                    String.format(Locale.ROOT, "ours %d MB, PyTorch %d MB: %.2f×", results.peakRssMb(), torchRss,
                            (double) results.peakRssMb() / torchRss)));
        } else {
            t.append("- peak RSS over the network steps ≤ 2× PyTorch's — not measured\n");
        }
        OptionalLong cellRss = results.cellMemory().peakRssMb();
        String cellTarget = "peak RSS of a reduced CIFAR-10 cell ≤ 1.5 GB (" + REDUCED_CELL_RSS_MB + " MB)";
        t.append(cellRss.isPresent() ? line(cellTarget, cellRss.getAsLong() <= REDUCED_CELL_RSS_MB,
                String.format(Locale.ROOT, "%d MB over %s", cellRss.getAsLong(), results.cellMemory().what()))
                : "- " + cellTarget + " — " + results.cellMemory().what() + "\n");
        return t.toString();
    }

    private static String line(String target, boolean met, String figure) {
        return "- " + target + ": **" + (met ? "met" : "not met") + "** (" + figure + ")\n";
    }

    /** {@code performance.csv}: one line per row, the columns every performance report shares. */
    static void writeCsv(Path file, List<Row> rows) {
        StringWriter csv = new StringWriter();
        try (CSVPrinter p = new CSVPrinter(csv, CSVFormat.RFC4180.builder()
                .setHeader("benchmark", "shape", "ours", "ours_ms", "baseline", "baseline_ms", "ratio", "note").get())) {
            for (Row r : rows) {
                p.printRecord(r.benchmark(), r.shape(), r.ours(), fmt(r.oursMs()), r.baseline(), fmt(r.baselineMs()), fmt(r.ratio()), r.note());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        AtomicFiles.writeAtomically(file, csv.toString());
    }

    /** The opening rows of a performance report's provenance table (header included): command, commit, date, JVM, backend. */
    static String provenanceRows(String command) {
        return "| | |\n|---|---|\n| command | `" + command + "` |\n| git commit | " + Provenances.gitCommit() + " |\n| date | "
                + Instant.now().truncatedTo(ChronoUnit.SECONDS) + " |\n| JVM | " + System.getProperty("java.vm.name") + ' '
                + System.getProperty("java.version") + " |\n| ND4J backend | " + Provenances.backend() + " |\n";
    }

    /** The rows as a Markdown table. */
    static String markdownRows(List<Row> rows) {
        StringBuilder md = new StringBuilder(
                "| benchmark | shape | ours | ours (ms) | baseline | baseline (ms) | ratio | note |\n|---|---|---|---:|---|---:|---:|---|\n");
        for (Row r : rows) {
            md.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s | %s | %s |%n", r.benchmark(), r.shape(), r.ours(),
                    cell(r.oursMs(), 1), r.baseline().isEmpty() ? "—" : r.baseline(), cell(r.baselineMs(), 1), cell(r.ratio(), 2),
                    r.note()));
        }
        return md.toString();
    }

    private static String cell(double v, int decimals) {
        return Double.isNaN(v) ? "not measured" : String.format(Locale.ROOT, "%." + decimals + "f", v);
    }

    private static String fmt(double v) {
        return Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%.3f", v);
    }
}
