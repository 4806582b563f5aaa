package org.convrelu.experiments;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.convrelu.experiments.tables.Label;
import org.convrelu.experiments.tables.Rows;
import org.convrelu.experiments.tables.Table1;
import org.convrelu.nn.train.EpochMetrics;
import org.convrelu.reports.Plots;

/**
 * Figure 5 of the paper: evaluation top-1 after each epoch on CIFAR-100 for the activations of
 * Table 1 (seed 1). Where CIFAR-100 is absent, CIFAR-10, and the title says so.
 */
final class Figure5 {
    private Figure5() {}

    static void render(Suite s) {
        DataId d = s.runner.run(s.firstSeed(new Table1(), Rows.CONVRELU, column(DataId.CIFAR100))).ok() ? DataId.CIFAR100 : DataId.CIFAR10;
        Map<String, double[][]> series = new LinkedHashMap<>();
        List<CellResult> plotted = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (Label row : Rows.labels()) {
            CellResult r = s.runner.run(s.firstSeed(new Table1(), row, column(d)));
            if (!r.ok()) {
                missing.add(row.text());
                continue;
            }
            plotted.add(r);
            List<EpochMetrics> m = r.epochs();
            series.put(row.text(), new double[][] {m.stream().mapToDouble(e -> e.epoch() + 1).toArray(),
                    m.stream().mapToDouble(EpochMetrics::evalTop1).toArray()});
        }
        String title = "Figure 5: top-1 on " + d.column() + " per epoch (" + s.scale.id() + " scale, seed 1)"
                + (d == DataId.CIFAR10 ? " [CIFAR-100 not available]" : "");
        Plots.lines(s.out.resolve("figure5"), title, "epoch", "evaluation top-1 (%)", series);
        s.caption("figure5", title, "Evaluation accuracy after each epoch for the activations of Table 1. The paper plots CIFAR-100;"
                + (d == DataId.CIFAR10 ? " CIFAR-100 is not in the data directory, so this run plots CIFAR-10." : "")
                + (missing.isEmpty() ? "" : " Not run, so not plotted: " + String.join(", ", missing) + "."), Set.of(d.dataset()), plotted);
        s.log.println("Figure 5 written to " + s.out);
    }

    private static Label column(DataId d) {
        return new Label(d.id(), d.column());
    }
}
