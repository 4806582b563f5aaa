package org.convrelu.experiments.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.convrelu.experiments.paper.PaperTable;
import org.convrelu.experiments.paper.TextRecipes;
import org.convrelu.experiments.recipe.Cell;
import org.convrelu.experiments.recipe.Recipe;
import org.convrelu.experiments.run.CellResult;
import org.convrelu.nn.train.EpochMetrics;
import org.convrelu.reports.Report;

/** The text recipes' report: the trained table, with how well each recipe fits the training data. */
final class TextRecipeFit {
    private TextRecipeFit() {}

    /**
     * The trained report, with a note of each recipe's training loss and training top-1 after the
     * last epoch (means over its cells and seeds): whether a recipe fits the training data at all.
     * ln 2 = 0.693 is the loss of a constant guess between MR's two balanced classes.
     */
    static Report report(TextRecipes table, TableContext context) {
        Report r = TrainedTable.report(table, context);
        StringBuilder fit = new StringBuilder("Training fit after the last epoch, mean over entries and seeds:");
        for (Recipe.TextRecipe recipe : Recipe.TextRecipe.values()) {
            double loss = 0;
            double top1 = 0;
            int n = 0;
            for (PaperTable.Entry e : context.entries(table)) {
                if (e.cell().recipe().textRecipe() != recipe) {
                    continue;
                }
                for (long seed : context.seeds()) {
                    for (Cell c : e.cell().runs(seed)) {
                        CellResult result = context.run(c);
                        if (result.ok()) {
                            EpochMetrics last = result.epochs().get(result.epochs().size() - 1);
                            loss += last.trainLoss();
                            top1 += last.trainTop1();
                            n++;
                        }
                    }
                }
            }
            fit.append(n == 0 ? String.format(Locale.ROOT, " `%s` not run;", recipe.id())
                    : String.format(Locale.ROOT, " `%s` training loss %.4f, training top-1 %.2f%% (%d runs);", recipe.id(), loss / n, top1 / n, n));
        }
        List<String> notes = new ArrayList<>(r.notes());
        notes.add(fit.toString().replaceAll(";$", ".") + " A loss of ln 2 = 0.6931 is a constant guess between MR's two classes.");
        return new Report(r.table(), r.title(), r.scale(), r.rowHeading(), r.rows(), r.columns(), r.entries(), r.comparisons(), r.activity(),
                r.protocols(), notes, r.provenance());
    }
}
