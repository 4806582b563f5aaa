package org.convrelu.experiments.report;

import org.convrelu.experiments.paper.PaperTable;
import org.convrelu.experiments.paper.Table6;
import org.convrelu.experiments.paper.TextRecipes;
import org.convrelu.reports.Report;

/** How a table of the paper becomes a report: its entries trained, except where the table needs more or less. */
final class TableReports {
    private TableReports() {}

    /** The table's report: its entries trained (or their stored results) against the published figures. */
    static Report report(PaperTable table, TableContext context) {
        if (table instanceof Table6 counts) {
            return ParameterCounts.report(counts, context);
        }
        if (table instanceof TextRecipes recipes) {
            return TextRecipeFit.report(recipes, context);
        }
        return TrainedTable.report(table, context);
    }
}
