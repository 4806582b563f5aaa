package org.convrelu.reports;

import java.util.List;

/**
 * One regenerated paper table: its cells (published and reproduced side by side), the
 * comparisons of ConvReLU against each baseline, the activity of the replaced layers, the
 * recipes that trained the cells, notes and provenance.
 *
 * @param rowHeading what the rows are ("Function", "Network", "Dataset")
 * @param protocols the recipes behind the cells, field by field (empty when nothing is trained)
 */
public record Report(String table, String title, String scale, String rowHeading, List<String> rows, List<String> columns,
        List<Entry> entries, List<Comparison> comparisons, List<Activity> activity, List<Protocol> protocols, List<String> notes,
        Provenance provenance) {

    public Report {
        rows = List.copyOf(rows);
        columns = List.copyOf(columns);
        entries = List.copyOf(entries);
        comparisons = List.copyOf(comparisons);
        activity = List.copyOf(activity);
        protocols = List.copyOf(protocols);
        notes = List.copyOf(notes);
    }

    /** The recipe of a group of cells ({@code title}: which), field by field. */
    public record Protocol(String title, List<ProtocolField> fields) {
        public Protocol {
            fields = List.copyOf(fields);
        }
    }

    /** One field of a recipe: its value, {@code paper} or {@code ours}, and why. */
    public record ProtocolField(String name, String value, String origin, String reason) {}

    /**
     * One table cell. {@code values} are the per-seed results (empty when not run); {@code status}
     * is one word: {@code exact}, {@code within}, {@code differs} (paper scale, or counts),
     * {@code measured} (a smaller scale: side by side, not a reproduction), {@code incomplete} (some
     * seeds ran: {@code values} are theirs, {@code note} names the rest) or {@code not_run} (with the
     * reason in {@code note}).
     */
    public record Entry(String row, String column, String metric, Double published, List<Double> values, String status,
            String note) {
        public Entry {
            values = List.copyOf(values);
        }

        public double[] array() {
            return values.stream().mapToDouble(Double::doubleValue).toArray();
        }

        public Stats.Estimate estimate() {
            return values.isEmpty() ? null : Stats.estimate(array());
        }
    }

    /**
     * ConvReLU (or the row the paper says is better) minus a baseline in one column: the seed-paired
     * difference with its 95 % interval ({@link PairedDifferences}), and {@code holmP}, its p-value
     * after Holm's adjustment over the table's differences (NaN until {@link #adjusted} sets it, and
     * for a difference without a test).
     */
    public record Comparison(String column, String better, String baseline, PairedDifferences.Difference difference,
            Double publishedDifference, double holmP) {

        public Comparison(String column, String better, String baseline, PairedDifferences.Difference difference,
                Double publishedDifference) {
            this(column, better, baseline, difference, publishedDifference, Double.NaN);
        }

        /**
         * The verdict, after Holm's adjustment: ahead or behind where the adjusted p-value is below
         * 5 %, not resolved otherwise; too few seeds below {@link PairedDifferences#MIN_DF} residual df.
         */
        public Reading reading() {
            if (difference == null) {
                return Reading.NOT_RUN;
            }
            if (!difference.hasInterval()) {
                return Reading.NO_INTERVAL;
            }
            if (!difference.decidable()) {
                return Reading.TOO_FEW_SEEDS;
            }
            if (Double.isNaN(holmP) || holmP >= 0.05) {
                return Reading.UNRESOLVED;
            }
            return difference.estimate() > 0 ? Reading.AHEAD : Reading.BEHIND;
        }

        /** The raw 95 % interval excludes 0, whatever Holm's adjustment makes of it. */
        public boolean rawIntervalExcludesZero() {
            return difference != null && difference.hasInterval() && (difference.low() > 0 || difference.high() < 0);
        }

        /** The comparisons of one table with their Holm-adjusted p-values, the family being those with a verdict to give. */
        public static List<Comparison> adjusted(List<Comparison> comparisons) {
            double[] p = comparisons.stream().mapToDouble(c -> c.difference() != null && c.difference().decidable() ? c.difference().p()
                    : Double.NaN).toArray();
            double[] holm = PairedDifferences.holm(p);
            List<Comparison> out = new java.util.ArrayList<>();
            for (int i = 0; i < comparisons.size(); i++) {
                Comparison c = comparisons.get(i);
                out.add(new Comparison(c.column(), c.better(), c.baseline(), c.difference(), c.publishedDifference(), holm[i]));
            }
            return out;
        }
    }

    /** The verdict on one difference; {@code text} is how the reports print it. */
    public enum Reading {
        AHEAD("ahead (Holm-adjusted p < 0.05)"),
        BEHIND("behind (Holm-adjusted p < 0.05)"),
        UNRESOLVED("not resolved"),
        TOO_FEW_SEEDS("too few seeds for a verdict"),
        NO_INTERVAL("no interval"),
        NOT_RUN("not run");

        private final String text;

        Reading(String text) {
            this.text = text;
        }

        public String text() {
            return text;
        }
    }

    /** Dead units and off fraction of one activation layer in one cell (means over seeds). */
    public record Activity(String cell, String layer, String kind, long units, double deadFraction, double offFraction) {}

    public Entry entry(String row, String column) {
        return entries.stream().filter(c -> c.row().equals(row) && c.column().equals(column)).findFirst().orElse(null);
    }
}
