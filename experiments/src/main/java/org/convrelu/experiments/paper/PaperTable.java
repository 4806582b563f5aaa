package org.convrelu.experiments.paper;

import java.util.List;
import org.convrelu.experiments.recipe.Cell;
import org.convrelu.experiments.recipe.Recipe;
import org.convrelu.experiments.recipe.Scale;

/**
 * A table of the paper, declared as data: its layout, the cell behind each entry, its comparisons
 * and the notes a reader needs. How it becomes a report is the report package's business.
 */
public interface PaperTable {
    /** "1" … "6". */
    String id();

    String title();

    /** What the rows are: "Function", "Network", "Dataset". */
    String rowHeading();

    List<Label> rows();

    List<Label> columns();

    /** The cell (seed 0; the runner sets the seeds) behind each trained entry at {@code scale}; none for a table that trains nothing. */
    List<Entry> entries(Scale scale);

    /** The "ConvReLU beats X" pairs the paper claims, shown with the difference and its interval. */
    List<Pair> comparisons();

    /** What the reader must know about this table at this scale. */
    default List<String> notes(Scale scale) {
        return List.of();
    }

    /** A trained entry of the table. */
    record Entry(Label row, Label column, Cell cell) {
        /** The same entry trained with another text recipe (unchanged for images). */
        public Entry withTextRecipe(Recipe.TextRecipe text) {
            return new Entry(row, column, cell.withTextRecipe(text));
        }

        /** {@code rowId|columnId}: how results and published figures are joined. */
        public String id() {
            return row.id() + "|" + column.id();
        }
    }

    /** {@code better} (row, column) against {@code baseline} (row, column), shown under {@code label}. */
    record Pair(String label, Label betterRow, Label betterColumn, Label baselineRow, Label baselineColumn) {}
}
