package org.convrelu.experiments.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.convrelu.experiments.paper.Label;
import org.convrelu.experiments.paper.Rows;
import org.convrelu.experiments.paper.Table1;
import org.convrelu.experiments.recipe.Cell;
import org.convrelu.experiments.recipe.DataId;
import org.convrelu.experiments.run.CellResult;
import org.convrelu.nn.train.EpochMetrics;
import org.convrelu.reports.Plots;
import org.convrelu.reports.Stats;

/**
 * Figure 5 of the paper: evaluation top-1 after each epoch on CIFAR-100 for the activations of
 * Table 1, the mean over every seed that ran, ± its sd. Where CIFAR-100 is absent,
 * CIFAR-10, and the title says so.
 */
final class Figure5 {
    private Figure5() {}

    static void render(Suite s) {
        DataId d = s.runner().run(s.firstSeed(new Table1(), Rows.CONVRELU, column(DataId.CIFAR100))).ok() ? DataId.CIFAR100 : DataId.CIFAR10;
        Map<String, double[][]> series = new LinkedHashMap<>();
        List<CellResult> plotted = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        List<String> seedCounts = new ArrayList<>();
        for (Label row : Rows.labels()) {
            Cell first = s.firstSeed(new Table1(), row, column(d));
            List<List<EpochMetrics>> curves = new ArrayList<>();
            for (long seed : s.seeds()) {
                CellResult r = s.runner().run(first.withSeed(seed));
                if (r.ok()) {
                    plotted.add(r);
                    curves.add(r.epochs());
                }
            }
            if (curves.isEmpty()) {
                missing.add(row.text());
                continue;
            }
            seedCounts.add(row.text() + " " + curves.size());
            series.put(row.text(), meanCurve(curves));
        }
        int most = series.isEmpty() ? 0 : plotted.size() / series.size();
        String title = "Figure 5: top-1 on " + d.column() + " per epoch (" + s.scale.id() + " scale, mean of " + most + " seed"
                + (most == 1 ? "" : "s") + ")" + (d == DataId.CIFAR10 ? ", CIFAR-100 not available" : "");
        Plots.lines(s.out.resolve("figure5"), title, "epoch", "evaluation top-1 (%)", series);
        s.caption("figure5", title, "Evaluation accuracy after each epoch for the activations of Table 1: the mean over the seeds that"
                + " ran (" + String.join(", ", seedCounts) + "), with error bars of ± one standard deviation over seeds where more than"
                + " one seed ran. The paper plots CIFAR-100;"
                + (d == DataId.CIFAR10 ? " CIFAR-100 is not in the data directory, so this run plots CIFAR-10." : "")
                + (missing.isEmpty() ? "" : " Not run, so not plotted: " + String.join(", ", missing) + "."), Set.of(d.dataset()), plotted);
        s.log.println("Figure 5 written to " + s.out);
    }

    /** [epochs, mean top-1, its sd over seeds] over the curves, on the epochs every curve reached. */
    private static double[][] meanCurve(List<List<EpochMetrics>> curves) {
        int epochs = curves.stream().mapToInt(List::size).min().orElse(0);
        double[][] out = new double[curves.size() > 1 ? 3 : 2][epochs];
        for (int e = 0; e < epochs; e++) {
            int epoch = e;
            double[] v = curves.stream().mapToDouble(c -> c.get(epoch).evalTop1()).toArray();
            Stats.Estimate est = Stats.estimate(v);
            out[0][e] = curves.get(0).get(e).epoch() + 1;
            out[1][e] = est.mean();
            if (curves.size() > 1) {
                out[2][e] = est.sd();
            }
        }
        return out;
    }

    private static Label column(DataId d) {
        return new Label(d.id(), d.column());
    }
}
