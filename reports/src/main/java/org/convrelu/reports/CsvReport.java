package org.convrelu.reports;

import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.CSVRecord;
import org.convrelu.io.AtomicFiles;

/**
 * {@code tableN.csv}: one row per cell with
 * {@code table,row,column,metric,published,reproduced,reproduced_sd,runs,scale,status,ci95_low,ci95_high,note},
 * {@code tableN_differences.csv} for the differences of ConvReLU against its baselines, and
 * {@code tableN_activity.csv} for the activity of the replaced layers.
 */
public final class CsvReport {
    public static final String[] HEADER = {"table", "row", "column", "metric", "published", "reproduced", "reproduced_sd",
            "runs", "scale", "status", "ci95_low", "ci95_high", "note"};

    private CsvReport() {}

    /** One CSV row, as read back. */
    public record Row(String table, String row, String column, String metric, Double published, Double reproduced,
            Double reproducedSd, int runs, String scale, String status, Double ciLow, Double ciHigh, String note) {}

    public static String format(Report r) {
        StringWriter out = new StringWriter();
        try (CSVPrinter p = new CSVPrinter(out, CSVFormat.RFC4180.builder().setHeader(HEADER).get())) {
            for (Report.Entry c : r.entries()) {
                Stats.Estimate e = c.estimate();
                p.printRecord(r.table(), c.row(), c.column(), c.metric(), num(c.published()),
                        e == null ? "" : num(e.mean()), e == null || !e.hasInterval() ? "" : num(e.sd()), c.values().size(),
                        r.scale(), c.status(), e == null || !e.hasInterval() ? "" : num(e.low()),
                        e == null || !e.hasInterval() ? "" : num(e.high()), c.note() == null ? "" : c.note());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    public static void write(Path file, Report r) {
        AtomicFiles.writeAtomically(file, format(r));
    }

    public static String formatActivity(Report r) {
        StringWriter out = new StringWriter();
        try (CSVPrinter p = new CSVPrinter(out, CSVFormat.RFC4180.builder()
                .setHeader("table", "cell", "layer", "activation", "units", "dead_fraction", "off_fraction", "scale").get())) {
            for (Report.Activity a : r.activity()) {
                p.printRecord(r.table(), a.cell(), a.layer(), a.kind(), a.units(), num(a.deadFraction()), num(a.offFraction()), r.scale());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    /**
     * {@code tableN_differences.csv}: each "ConvReLU beats X" difference with its seed-paired 95 %
     * interval, standard error, degrees of freedom, analysis, raw and Holm-adjusted p-values, the
     * difference detectable at 80 % power, and its verdict.
     */
    public static String formatDifferences(Report r) {
        StringWriter out = new StringWriter();
        try (CSVPrinter p = new CSVPrinter(out, CSVFormat.RFC4180.builder().setHeader("table", "column", "better", "baseline",
                "difference", "ci95_low", "ci95_high", "se", "df", "method", "shared_blocks", "seeds_better", "seeds_baseline", "p",
                "p_holm", "detectable_80", "published_difference", "verdict", "scale").get())) {
            for (Report.Comparison c : r.comparisons()) {
                PairedDifferences.Difference d = c.difference();
                boolean interval = d != null && d.hasInterval();
                p.printRecord(r.table(), c.column(), c.better(), c.baseline(), d == null ? "" : num(d.estimate()),
                        interval ? num(d.low()) : "", interval ? num(d.high()) : "", interval ? num(d.se()) : "",
                        interval ? num(d.df()) : "", d == null ? "" : d.method().name().toLowerCase(Locale.ROOT),
                        d == null ? 0 : d.blocks(), d == null ? 0 : d.seedsA(), d == null ? 0 : d.seedsB(),
                        interval ? num(d.p()) : "", num(c.holmP()), interval ? num(d.detectable()) : "", num(c.publishedDifference()),
                        c.reading().name().toLowerCase(Locale.ROOT), r.scale());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    public static List<Row> read(Path file) {
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            List<Row> rows = new ArrayList<>();
            for (CSVRecord r : CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get().parse(in)) {
                rows.add(new Row(r.get("table"), r.get("row"), r.get("column"), r.get("metric"), parse(r.get("published")),
                        parse(r.get("reproduced")), parse(r.get("reproduced_sd")), Integer.parseInt(r.get("runs")), r.get("scale"),
                        r.get("status"), parse(r.get("ci95_low")), parse(r.get("ci95_high")), r.get("note")));
            }
            return rows;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    static String num(Double v) {
        if (v == null || v.isNaN()) {
            return "";
        }
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString(v.longValue());
        }
        return String.format(Locale.ROOT, "%.6g", v).replaceAll("(\\.\\d*?)0+$", "$1").replaceAll("\\.$", "");
    }

    private static Double parse(String s) {
        return s == null || s.isEmpty() ? null : Double.valueOf(s);
    }
}
