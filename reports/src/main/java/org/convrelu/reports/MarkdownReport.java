package org.convrelu.reports;

import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.convrelu.io.AtomicFiles;

/**
 * {@code tableN.md}: the table laid out as the paper does, published and reproduced side by side,
 * opening with the scale and the provenance.
 */
public final class MarkdownReport {
    private MarkdownReport() {}

    public static void write(Path file, Report r) {
        AtomicFiles.writeAtomically(file, format(r));
    }

    public static String format(Report r) {
        StringBuilder md = new StringBuilder();
        boolean paperTable = r.table().matches("\\d+"); // the paper's tables are numbered; other reports are named
        md.append(paperTable ? "# Table " + r.table() + ": " : "# ").append(r.title()).append("\n\n");
        boolean counts = r.entries().stream().allMatch(c -> !c.metric().equals("top1_pct"));
        md.append("> ").append(counts ? "Counts come from building the full network; they are the same at every scale."
                : scaleSentence(r.scale())).append("\n\n");
        provenance(md, r.provenance());
        md.append("## Results\n\n");
        md.append("| ").append(r.rowHeading()).append(" |");
        for (String c : r.columns()) {
            md.append(' ').append(c).append(" published | ").append(c).append(" reproduced |");
        }
        md.append("\n|---|");
        md.append("---:|---:|".repeat(r.columns().size()));
        md.append('\n');
        for (String row : r.rows()) {
            md.append("| ").append(row).append(" |");
            for (String col : r.columns()) {
                Report.Entry c = r.entry(row, col);
                md.append(' ').append(c == null || c.published() == null ? "—" : num(c.published(), c.metric())).append(" | ");
                md.append(c == null ? "—" : reproduced(c)).append(" |");
            }
            md.append('\n');
        }
        md.append('\n');
        md.append("Reproduced cells show the mean over seeds, ± the sample standard deviation and [the 95% confidence interval]"
                + " where more than one seed ran, and the status in brackets; `incomplete` cells are over the seeds that ran, the"
                + " others not yet (the CSV's note names them); `partial_data` cells trained on less than the official splits"
                + " (the CSV's note says how), and their numbers are not comparable with the published ones.\n\n");
        if (!r.comparisons().isEmpty()) {
            md.append(paperTable ? "## ConvReLU against the baselines\n\n" : "## Differences\n\n");
            md.append("| column | difference | estimate [95% CI] | SE | analysis | detectable (80% power) | published | verdict (Holm-adjusted) |\n"
                    + "|---|---|---:|---:|---|---:|---:|---|\n");
            for (Report.Comparison c : r.comparisons()) {
                PairedDifferences.Difference d = c.difference();
                md.append("| ").append(c.column()).append(" | ").append(c.better()).append(" − ").append(c.baseline()).append(" | ")
                        .append(d == null ? "not run" : String.format(Locale.ROOT, "%+.2f", d.estimate())
                                + (d.hasInterval() ? String.format(Locale.ROOT, " [%+.2f, %+.2f]", d.low(), d.high()) : ""))
                        .append(" | ").append(d == null || !d.hasInterval() ? "—" : String.format(Locale.ROOT, "%.2f", d.se()))
                        .append(" | ").append(d == null ? "—" : d.methodText())
                        .append(" | ").append(d == null || !d.hasInterval() ? "—" : String.format(Locale.ROOT, "%.2f", d.detectable()))
                        .append(" | ").append(c.publishedDifference() == null ? "—" : String.format(Locale.ROOT, "%+.2f", c.publishedDifference()))
                        .append(" | ").append(verdict(c)).append(" |\n");
            }
            md.append('\n').append(DIFFERENCES_METHOD).append("\n\n").append(reading(r.comparisons())).append("\n\n");
        }
        if (!r.activity().isEmpty()) {
            md.append("## Activity of the activation layers\n\n");
            md.append("Dead: fraction of units (channel × position) off for every evaluation input; off: fraction of all unit"
                    + " activations at or below the threshold (for ReLU, the output sparsity). Measured on the evaluation set"
                    + " at the end of training, mean over seeds.\n\n");
            md.append("| cell | layer | activation | units | dead | off |\n|---|---|---|---:|---:|---:|\n");
            for (Report.Activity a : r.activity()) {
                md.append(String.format(Locale.ROOT, "| %s | %s | %s | %d | %.3f | %.3f |%n", a.cell(), a.layer(), a.kind(),
                        a.units(), a.deadFraction(), a.offFraction()));
            }
            md.append('\n');
        }
        if (!r.protocols().isEmpty()) {
            md.append("## Protocol\n\n");
            md.append("The recipe that trained the cells, field by field: whether the paper states it or it is ours, and why."
                    + " Each cell's key hashes these values.\n\n");
            for (Report.Protocol p : r.protocols()) {
                md.append("### ").append(p.title()).append("\n\n| field | value | from | why |\n|---|---|---|---|\n");
                for (Report.ProtocolField f : p.fields()) {
                    md.append("| ").append(f.name()).append(" | ").append(cell(f.value())).append(" | ").append(f.origin()).append(" | ")
                            .append(cell(f.reason())).append(" |\n");
                }
                md.append('\n');
            }
        }
        if (!r.notes().isEmpty()) {
            md.append("## Notes\n\n");
            for (String n : r.notes()) {
                md.append("- ").append(n).append('\n');
            }
            md.append('\n');
        }
        return md.toString();
    }

    /**
     * What the differences support, counted: how many intervals lie above 0, below 0 or across it,
     * and how wide they are next to the published differences they test.
     */
    /**
     * How the differences are computed, once per report: the pairing, the pooled residual, the
     * adjustment, the power, and what the intervals do not cover.
     */
    static final String DIFFERENCES_METHOD = "Each difference is paired by seed: a seed gives every row of a column the same data"
            + " order, augmentation, dropout and initial weights of the layers they share, so the column's rows are fitted as row"
            + " effect + seed effect + residual (with cross-validation, seed × held-out fold is the block), and the residual variance"
            + " pooled over the column's rows gives each difference its standard error and t interval. Rows that share no seed"
            + " fall back to Welch's interval, and say so. A verdict needs at least " + (int) PairedDifferences.MIN_DF
            + " residual degrees of freedom; it is Holm-adjusted over the table's differences, while the interval shown is the raw"
            + " 95% one. *Detectable* is the smallest true difference these seeds would find with 80% power (two-sided, 5%):"
            + " a difference smaller than that can be real and still read *not resolved*, which is not *no difference*. The"
            + " intervals cover seed-to-seed noise on a fixed evaluation set; the evaluation set's own sampling error (binomial,"
            + " given in the notes) is not in them.";

    private static String verdict(Report.Comparison c) {
        Report.Reading reading = c.reading();
        return switch (reading) {
            case UNRESOLVED -> String.format(Locale.ROOT, "not resolved (detectable with these seeds: ≥ %.2f%s)",
                    c.difference().detectable(), c.rawIntervalExcludesZero() ? "; the raw interval excludes 0" : "");
            case TOO_FEW_SEEDS -> String.format(Locale.ROOT, "too few seeds (residual df %.1f < %d)", c.difference().df(),
                    (int) PairedDifferences.MIN_DF);
            case AHEAD, BEHIND -> reading.text() + String.format(Locale.ROOT, ", p = %.3g", c.holmP());
            default -> reading.text();
        };
    }

    static String reading(List<Report.Comparison> comparisons) {
        Map<Report.Reading, Long> counts = comparisons.stream()
                .collect(Collectors.groupingBy(Report.Comparison::reading, () -> new EnumMap<>(Report.Reading.class), Collectors.counting()));
        List<Report.Comparison> decided = comparisons.stream().filter(c -> c.difference() != null && c.difference().decidable()).toList();
        StringBuilder s = new StringBuilder("Reading: ");
        if (decided.isEmpty()) {
            return s.append("no difference can be judged yet (").append(counts.getOrDefault(Report.Reading.NOT_RUN, 0L))
                    .append(" not run, ").append(counts.getOrDefault(Report.Reading.NO_INTERVAL, 0L)
                            + counts.getOrDefault(Report.Reading.TOO_FEW_SEEDS, 0L))
                    .append(" with too few seeds), so these runs neither support nor contradict the paper's claims.").toString();
        }
        s.append(String.format(Locale.ROOT, "of %d differences with a verdict, %d ahead (the first named better), %d behind"
                + " and %d not resolved, after Holm's adjustment", decided.size(), counts.getOrDefault(Report.Reading.AHEAD, 0L),
                counts.getOrDefault(Report.Reading.BEHIND, 0L), counts.getOrDefault(Report.Reading.UNRESOLVED, 0L)));
        long missing = comparisons.size() - decided.size();
        if (missing > 0) {
            s.append(String.format(Locale.ROOT, "; %d more are not run or have too few seeds", missing));
        }
        double[] detectable = decided.stream().mapToDouble(c -> c.difference().detectable()).sorted().toArray();
        double[] published = decided.stream().map(Report.Comparison::publishedDifference).filter(java.util.Objects::nonNull)
                .mapToDouble(Math::abs).sorted().toArray();
        s.append(". ").append(range("These seeds detect a difference of %.2f points", "These seeds detect differences of %.2f to %.2f points",
                detectable)).append(" with 80% power");
        if (published.length > 0) {
            s.append(", against ").append(range("a published difference of %.2f points", "published differences of %.2f to %.2f points",
                    published)).append("; a published difference below the detectable one could not have been seen here");
        }
        return s.append('.').toString();
    }

    /** {@code one} with the single value, or {@code many} with the smallest and largest of the sorted {@code values}. */
    private static String range(String one, String many, double[] values) {
        boolean same = String.format(Locale.ROOT, one, values[0]).equals(String.format(Locale.ROOT, one, values[values.length - 1]));
        return same ? String.format(Locale.ROOT, one, values[0])
                : String.format(Locale.ROOT, many, values[0], values[values.length - 1]);
    }

    /** Text safe inside a Markdown table cell. */
    private static String cell(String s) {
        return s.replace("|", "\\|").replace("\n", " ");
    }

    static String scaleSentence(String scale) {
        return switch (scale) {
            case "paper" -> "Scale: **paper** — the paper's networks, data and schedule (the protocol note says what is ours);"
                    + " reproduced numbers are compared with the published ones.";
            case "reduced" -> "Scale: **reduced** — a documented smaller protocol on the available data (see Notes). The numbers"
                    + " stand beside the published ones for orientation; they are not a reproduction of them.";
            default -> "Scale: **" + scale + "** — tiny real-data subsets, narrow models, few steps, to check that everything runs."
                    + " The numbers stand beside the published ones; they are not a reproduction of them.";
        };
    }

    private static void provenance(StringBuilder md, Provenance p) {
        md.append("## Provenance\n\n| | |\n|---|---|\n");
        md.append("| command | `").append(p.command()).append("` |\n");
        md.append("| scale | ").append(p.scale()).append(" |\n");
        md.append("| git commit | ").append(p.gitCommit()).append(" |\n");
        md.append("| date | ").append(p.date()).append(" |\n");
        md.append("| JVM | ").append(p.jvm()).append(" |\n");
        md.append("| ND4J backend | ").append(p.backend()).append(" |\n");
        md.append("| seeds | ").append(p.seeds()).append(" |\n");
        for (Map.Entry<String, String> d : new java.util.TreeMap<>(p.dataChecksums()).entrySet()) {
            md.append("| data: ").append(d.getKey()).append(" | ").append(d.getValue()).append(" |\n");
        }
        for (Map.Entry<String, String> i : new java.util.TreeMap<>(p.implementations()).entrySet()) {
            md.append("| implementation: ").append(i.getKey()).append(" | ").append(i.getValue()).append(" |\n");
        }
        md.append('\n');
    }

    private static String reproduced(Report.Entry c) {
        if (c.values().isEmpty()) {
            return "not run (" + c.status() + ")";
        }
        Stats.Estimate e = c.estimate();
        StringBuilder s = new StringBuilder(num(e.mean(), c.metric()));
        if (e.hasInterval()) {
            s.append(String.format(Locale.ROOT, " ± %.2f [%.2f, %.2f]", e.sd(), e.low(), e.high()));
        }
        s.append(" (").append(c.status());
        if (c.status().equals("incomplete")) {
            s.append(": ").append(c.values().size()).append(c.values().size() == 1 ? " seed" : " seeds");
        }
        return s.append(')').toString();
    }

    private static String num(double v, String metric) {
        return switch (metric) {
            case "params" -> String.format(Locale.ROOT, "%,d", Math.round(v));
            default -> String.format(Locale.ROOT, "%.2f", v);
        };
    }
}
