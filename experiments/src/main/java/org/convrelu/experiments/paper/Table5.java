package org.convrelu.experiments.paper;

import java.util.List;
import org.convrelu.experiments.recipe.Arch;
import org.convrelu.experiments.recipe.Cell;
import org.convrelu.experiments.recipe.DataId;
import org.convrelu.experiments.recipe.Scale;
import org.convrelu.nn.models.ActivationSpec;
import org.convrelu.nn.models.Replacement;

/** Table 5: ConvReLU in the first dense block (R1), the last (R2) or everywhere (R3), CIFAR-10. */
public final class Table5 implements PaperTable {
    private static final List<Label> COLUMNS = List.of(new Label("r1_first", "R1 (First)"), new Label("r2_last", "R2 (Last)"),
            new Label("r3_all", "R3 (All)"));
    private static final Label ROW = new Label(DataId.CIFAR10.id(), DataId.CIFAR10.column());

    @Override
    public String id() {
        return "5";
    }

    @Override
    public String title() {
        return "Replacement strategies for ConvReLU, top-1 accuracy (%)";
    }

    @Override
    public String rowHeading() {
        return "Dataset";
    }

    @Override
    public List<Label> rows() {
        return List.of(ROW);
    }

    @Override
    public List<Label> columns() {
        return COLUMNS;
    }

    @Override
    public List<Entry> entries(Scale scale) {
        Label row = ROW;
        // For DenseNet the paper's partial replacement is R1, so R1 shares its cell with Table 1's ConvReLU.
        return List.of(
                new Entry(row, COLUMNS.get(0), Cell.entry(scale, DataId.CIFAR10, Arch.DENSENET, ActivationSpec.convRelu(), Replacement.partial())),
                new Entry(row, COLUMNS.get(1), Cell.entry(scale, DataId.CIFAR10, Arch.DENSENET, ActivationSpec.convRelu(), Replacement.lastBlock())),
                new Entry(row, COLUMNS.get(2), Cell.entry(scale, DataId.CIFAR10, Arch.DENSENET, ActivationSpec.convRelu(), Replacement.all())));
    }

    @Override
    public List<Pair> comparisons() {
        Label row = ROW;
        return List.of(new Pair(row.text(), row, COLUMNS.get(0), row, COLUMNS.get(1)), new Pair(row.text(), row, COLUMNS.get(0), row, COLUMNS.get(2)));
    }

    @Override
    public List<String> notes(Scale scale) {
        return List.of("R3 replaces every ReLU that feeds a convolution (blocks and transitions); the ReLU before the classifier stays.");
    }
}
