package org.convrelu.reports;

import java.util.List;

/**
 * One regenerated paper table: its cells (published and reproduced side by side), the
 * comparisons of ConvReLU against each baseline, the activity of the replaced layers, notes and
 * provenance.
 */
public record Report(String table, String title, String scale, List<String> rows, List<String> columns, List<Cell> cells,
        List<Comparison> comparisons, List<Activity> activity, List<String> notes, Provenance provenance) {

    public Report {
        rows = List.copyOf(rows);
        columns = List.copyOf(columns);
        cells = List.copyOf(cells);
        comparisons = List.copyOf(comparisons);
        activity = List.copyOf(activity);
        notes = List.copyOf(notes);
    }

    /**
     * One table cell. {@code values} are the per-seed results (empty when not run); {@code status}
     * is one word: {@code exact}, {@code within}, {@code differs} (paper scale, or counts),
     * {@code measured} (a smaller scale: side by side, not a reproduction) or {@code not_run}
     * (with the reason in {@code note}).
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
    public record Comparison(String column, String better, String baseline, Stats.Estimate difference, Double publishedDifference) {}

    /** Dead units and off fraction of one activation layer in one cell (means over seeds). */
    public record Activity(String cell, String layer, String kind, long units, double deadFraction, double offFraction) {}

    public Cell cell(String row, String column) {
        return cells.stream().filter(c -> c.row().equals(row) && c.column().equals(column)).findFirst().orElse(null);
    }
}
