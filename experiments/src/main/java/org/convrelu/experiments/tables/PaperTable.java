package org.convrelu.experiments.tables;

import java.util.List;
import org.convrelu.experiments.Cell;
import org.convrelu.experiments.Scale;

/** A table of the paper, declared as data: its layout, the cell behind each entry, and its comparisons. */
public interface PaperTable {
    /** "1" … "6". */
    String id();

    String title();

    List<String> rows();

    List<String> columns();

    /** The cell (seed 0; the runner sets the seeds) behind each trained entry; none for Table 6. */
    List<Entry> entries(Scale scale);

    /** The "ConvReLU beats X" pairs the paper claims, shown with the difference and its interval. */
    List<Pair> comparisons();

    /** What the reader must know about this table at this scale. */
    default List<String> notes(Scale scale) {
        return List.of();
    }

    /** A trained entry of the table. */
    record Entry(String row, String column, Cell cell) {}

    /** {@code better} (row, column) against {@code baseline} (row, column), shown under {@code label}. */
    record Pair(String label, String betterRow, String betterColumn, String baselineRow, String baselineColumn) {}
}
