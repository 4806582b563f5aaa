package org.convrelu.experiments.tables;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.convrelu.experiments.Scale;
import org.convrelu.experiments.TableContext;
import org.convrelu.nn.models.Models;
import org.convrelu.reports.Published;
import org.convrelu.reports.Report;
import org.convrelu.tensor.Precision;
import org.convrelu.tensor.RandomStream;

/**
 * Table 6: parameter counts of the paper's DenseNet with each activation row. Nothing is trained:
 * the counts come from building the real network ({@code densenet_cifar}, 100 classes) at any scale.
 */
public final class Table6 implements PaperTable {
    private static final Label PARAMS = new Label("params", "#Params");
    private static final Label RATIO = new Label("ratio", "Ratio");

    @Override
    public String id() {
        return "6";
    }

    @Override
    public String title() {
        return "Parameter counts of DenseNet with each activation";
    }

    @Override
    public String rowHeading() {
        return "Function";
    }

    @Override
    public List<Label> rows() {
        return Rows.labels();
    }

    @Override
    public List<Label> columns() {
        return List.of(PARAMS, RATIO);
    }

    @Override
    public List<Entry> entries(Scale scale) {
        return List.of();
    }

    @Override
    public List<Pair> comparisons() {
        return List.of();
    }

    @Override
    public List<String> notes(Scale scale) {
        return List.of("The published counts are matched exactly, and only, by densenet_cifar: the CIFAR DenseNet-BC with 4 dense"
                        + " blocks of [6, 12, 24, 16] bottleneck layers, growth 12, a 3×3 stem conv to 24 channels, compression 0.5,"
                        + " no conv biases and 100 classes, counting BatchNorm γ and β (not the running statistics). The paper calls"
                        + " it \"DenseNet-40\" and draws three blocks of 8 layers; its caption names CIFAR-10, but the counts need 100 classes.",
                "ConvReLU in the first block adds 324 thresholds to the six 1×1 convolutions (C·1 for C = 24, 36, …, 84) and 2,592 to"
                        + " the six 3×3 convolutions (48·9 each). PReLU adds one slope per replaced ReLU: 12 in the first block, 119 in"
                        + " all layers (116 in blocks, 3 in transitions; the head's ReLU is not replaced).",
                "Counts are the same at every scale: they come from the full network, not the one a smaller scale trains.");
    }

    /** Builds densenet_cifar (100 classes) with each row's activation and counts its parameters; Huang et al.'s DenseNet-40 beside it. */
    @Override
    public Report report(TableContext context) {
        List<Report.Entry> cells = new ArrayList<>();
        long relu = 0;
        List<String> notes = new ArrayList<>(notes(context.scale()));
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
            Double pubCount = Published.value(id(), row.label().id(), PARAMS.id()).orElse(null);
            Double pubRatio = Published.value(id(), row.label().id(), RATIO.id()).orElse(null);
            cells.add(new Report.Entry(row.label().text(), PARAMS.text(), "params", pubCount, List.of((double) count),
                    pubCount != null && pubCount == count ? "exact" : "differs", "densenet_cifar, 100 classes"));
            double rounded = Math.round(ratio * 100) / 100.0;
            cells.add(new Report.Entry(row.label().text(), RATIO.text(), "ratio_pct", pubRatio, List.of(ratio),
                    pubRatio != null && Math.abs(pubRatio - rounded) < 1e-9 ? "exact" : "differs", "extra parameters over ReLU, %"));
        }
        notes.add(huang.toString().replaceAll("; $", "."));
        return new Report(id(), title(), context.scale().id(), rowHeading(), rows().stream().map(Label::text).toList(),
                columns().stream().map(Label::text).toList(), cells, List.of(), List.of(), List.of(), notes,
                context.provenance(Set.of(), Map.of()));
    }
}
