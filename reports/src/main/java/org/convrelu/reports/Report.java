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
        List<Cell> cells, List<Comparison> comparisons, List<Activity> activity, List<Protocol> protocols, List<String> notes,
        Provenance provenance) {

    public Report {
        rows = List.copyOf(rows);
        columns = List.copyOf(columns);
        cells = List.copyOf(cells);
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
    public record Cell(String row, String column, String metric, Double published, List<Double> values, String status,
            String note) {
        public Cell {
            values = List.copyOf(values);
        }

        public double[] array() {
            return values.stream().mapToDouble(Double::doubleValue).toArray();
        }

        public Stats.Estimate estimate() {
            return values.isEmpty() ? null : Stats.estimate(array());
        }
    }

    /** ConvReLU minus a baseline in one column, with the Welch 95% interval of the difference. */
    public record Comparison(String column, String better, String baseline, Stats.Estimate difference, Double publishedDifference) {
        /** What the runs say about the difference: which side of 0 its 95% interval lies on, if either. */
        public Reading reading() {
            if (difference == null) {
                return Reading.NOT_RUN;
            }
            if (!difference.hasInterval()) {
                return Reading.ONE_SEED;
            }
            return difference.low() > 0 ? Reading.AHEAD : difference.high() < 0 ? Reading.BEHIND : Reading.UNRESOLVED;
        }
    }

    /** The reading of one difference; {@code text} is how the reports print it. */
    public enum Reading {
        AHEAD("ahead: the interval lies above 0"),
        BEHIND("behind: the interval lies below 0"),
        UNRESOLVED("not resolved: the interval spans 0"),
        ONE_SEED("one seed: no interval"),
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

    public Cell cell(String row, String column) {
        return cells.stream().filter(c -> c.row().equals(row) && c.column().equals(column)).findFirst().orElse(null);
    }
}
