package org.convrelu.experiments.report;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.convrelu.experiments.paper.Label;
import org.convrelu.experiments.paper.Rows;
import org.convrelu.experiments.paper.Table1;
import org.convrelu.experiments.recipe.Cell;
import org.convrelu.experiments.recipe.DataId;
import org.convrelu.experiments.recipe.Recipe;
import org.convrelu.experiments.run.CellResult;
import org.convrelu.reports.Plots;
import org.convrelu.reports.Stats;

/** Figure 6 of the paper: the distribution of the learned ConvReLU thresholds (DenseNet on CIFAR-10, every seed). */
final class Figure6 {
    private Figure6() {}

    static void render(Suite s) {
        List<Double> values = new ArrayList<>();
        List<CellResult> plotted = new ArrayList<>();
        Cell convRelu = s.firstSeed(new Table1(), Rows.CONVRELU, new Label(DataId.CIFAR10.id(), DataId.CIFAR10.column()));
        for (long seed : s.seeds()) {
            CellResult r = s.runner().run(convRelu.withSeed(seed));
            if (r.ok()) {
                plotted.add(r);
                for (double v : r.thresholds()) {
                    values.add(v);
                }
            }
        }
        double[] v = values.stream().mapToDouble(Double::doubleValue).toArray();
        String title = "Figure 6: ConvReLU thresholds, CIFAR-10 (" + s.scale.id() + " scale, " + plotted.size() + " of " + s.seeds
                + " seed" + (s.seeds == 1 ? "" : "s") + " pooled)";
        Plots.histogram(s.out.resolve("figure6"), title, "threshold θ", v, 50);
        String text;
        if (v.length == 0) {
            text = "No thresholds: the ConvReLU cell did not run.";
        } else {
            Stats.Estimate e = Stats.estimate(v);
            Recipe recipe = convRelu.recipe();
            text = String.format(Locale.ROOT, "%,d thresholds (%s, weight decay %s on θ): mean %.5f, sd %.5f, min %.5f, max %.5f,"
                    + " %d exactly zero.", v.length, recipe.activation().describe(),
                    recipe.optimiser().weightDecay().get(org.convrelu.nn.ParamRole.THRESHOLD), e.mean(), e.sd(), Arrays.stream(v).min().orElse(0), Arrays.stream(v).max().orElse(0),
                    Arrays.stream(v).filter(x -> x == 0).count());
        }
        s.caption("figure6", title, text, Set.of(DataId.CIFAR10.dataset()), plotted);
        s.log.println("Figure 6 written to " + s.out);
    }
}
