package org.convrelu.experiments.cluster;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.convrelu.experiments.paper.PaperTable;
import org.convrelu.experiments.recipe.Cell;
import org.convrelu.experiments.recipe.Scale;
import org.convrelu.experiments.report.TableContext;

/**
 * The training runs of some tables at a scale: every entry × seed × fold, each cell once (a cell
 * shared by two tables appears once, under the first table that needs it). What {@code submit}
 * spreads over a cluster and {@code status} reports on.
 */
public record Grid(Scale scale, List<Task> tasks) {

    /** One training run: the table entry it serves and the cell it trains. */
    public record Task(String table, int entry, long seed, int fold, Cell cell) {}

    public static Grid of(List<PaperTable> tables, TableContext context) {
        Map<String, Task> byKey = new LinkedHashMap<>();
        for (PaperTable t : tables) {
            List<PaperTable.Entry> entries = context.entries(t);
            for (int i = 0; i < entries.size(); i++) {
                for (long seed : context.seeds()) {
                    for (Cell c : entries.get(i).cell().runs(seed)) {
                        byKey.putIfAbsent(c.key(), new Task(t.id(), i, seed, c.fold(), c));
                    }
                }
            }
        }
        return new Grid(context.scale(), new ArrayList<>(byKey.values()));
    }
}
