package org.convrelu.experiments.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.convrelu.experiments.paper.Label;
import org.convrelu.experiments.paper.Rows;
import org.convrelu.experiments.paper.Table6;
import org.convrelu.nn.models.Models;
import org.convrelu.reports.Published;
import org.convrelu.reports.Report;
import org.convrelu.tensor.Precision;
import org.convrelu.tensor.RandomStream;

/** Table 6's report: nothing is trained; the parameter counts come from building the real networks. */
final class ParameterCounts {
    private ParameterCounts() {}

    /** Builds densenet_cifar (100 classes) with each row's activation and counts its parameters; Huang et al.'s DenseNet-40 beside it. */
    static Report report(Table6 table, TableContext context) {
        List<Report.Entry> cells = new ArrayList<>();
        long relu = 0;
        List<String> notes = new ArrayList<>(table.notes(context.scale()));
        StringBuilder huang = new StringBuilder("DenseNet-40 of Huang et al. (3 blocks × 12 layers, growth 12, 10 classes) for"
                + " comparison, same rows: ");
        for (Rows.Row row : Rows.ACTIVATIONS) {
            Models.Options o = new Models.Options(row.activation(), row.replacement(), Precision.FLOAT32, RandomStream.root(1));
            long count = Models.densenetCifar(100, 32, o).parameterCount();
            huang.append(row.label().text()).append(' ')
                    .append(String.format(Locale.ROOT, "%,d", Models.densenet40(10, 32, o).parameterCount())).append("; ");
            if (row.label().equals(Rows.RELU)) {
                relu = count;
            }
            double ratio = 100.0 * (count - relu) / relu;
            Double pubCount = Published.value(table.id(), row.label().id(), Table6.PARAMS.id()).orElse(null);
            Double pubRatio = Published.value(table.id(), row.label().id(), Table6.RATIO.id()).orElse(null);
            cells.add(new Report.Entry(row.label().text(), Table6.PARAMS.text(), "params", pubCount, List.of((double) count),
                    pubCount != null && pubCount == count ? "exact" : "differs", "densenet_cifar, 100 classes"));
            double rounded = Math.round(ratio * 100) / 100.0;
            cells.add(new Report.Entry(row.label().text(), Table6.RATIO.text(), "ratio_pct", pubRatio, List.of(ratio),
                    pubRatio != null && Math.abs(pubRatio - rounded) < 1e-9 ? "exact" : "differs", "extra parameters over ReLU, %"));
        }
        notes.add(huang.toString().replaceAll("; $", "."));
        return new Report(table.id(), table.title(), context.scale().id(), table.rowHeading(), table.rows().stream().map(Label::text).toList(),
                table.columns().stream().map(Label::text).toList(), cells, List.of(), List.of(), List.of(), notes,
                context.provenance(Set.of(), Map.of()));
    }
}
