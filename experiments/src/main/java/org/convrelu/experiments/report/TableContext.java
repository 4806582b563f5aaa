package org.convrelu.experiments.report;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.convrelu.datasets.Dataset;
import org.convrelu.experiments.paper.PaperTable;
import org.convrelu.experiments.recipe.Cell;
import org.convrelu.experiments.recipe.Scale;
import org.convrelu.experiments.run.CellResult;
import org.convrelu.reports.Provenance;

/** What a table needs to make its report: the scale and seeds, its entries as this run trains them, the cells, the provenance. */
public interface TableContext {
    Scale scale();

    List<Long> seeds();

    /** The table's entries at this scale, with the text recipe this run asked for. */
    List<PaperTable.Entry> entries(PaperTable table);

    /** The cell's result: stored, or trained now. */
    CellResult run(Cell cell);

    /** The entries of the other tables at this scale: those that train a column this table trains share its seeds' noise. */
    default List<PaperTable.Entry> otherEntries(PaperTable table) {
        return List.of();
    }

    /** The cell's result if it has one, never training it; null otherwise. */
    default CellResult storedOnly(Cell cell) {
        return null;
    }

    /** The provenance of a report on {@code used} data, trained by {@code implementations} (op kind → implementations). */
    Provenance provenance(Set<Dataset> used, Map<String, String> implementations);
}
