package org.convrelu.experiments.tables;

import java.util.List;
import org.convrelu.experiments.Arch;
import org.convrelu.experiments.Cell;
import org.convrelu.experiments.DataId;
import org.convrelu.experiments.Scale;
import org.convrelu.nn.models.ActivationSpec;
import org.convrelu.nn.models.Replacement;

/** Table 5: ConvReLU in the first dense block (R1), the last (R2) or everywhere (R3), CIFAR-10. */
public final class Table5 implements PaperTable {
    private static final List<String> COLUMNS = List.of("R1 (First)", "R2 (Last)", "R3 (All)");

    @Override
    public String id() {
        return "5";
    }

    @Override
    public String title() {
        return "Replacement strategies for ConvReLU, top-1 accuracy (%)";
    }

    @Override
    public List<String> rows() {
        return List.of(DataId.CIFAR10.column());
    }

    @Override
    public List<String> columns() {
        return COLUMNS;
    }

    @Override
    public List<Entry> entries(Scale scale) {
        String row = DataId.CIFAR10.column();
        // For DenseNet the paper's partial replacement is R1, so R1 shares its cell with Table 1's ConvReLU.
        return List.of(
                new Entry(row, COLUMNS.get(0), new Cell(Arch.DENSENET, ActivationSpec.convRelu(), Replacement.partial(), DataId.CIFAR10, scale, 0)),
                new Entry(row, COLUMNS.get(1), new Cell(Arch.DENSENET, ActivationSpec.convRelu(), Replacement.lastBlock(), DataId.CIFAR10, scale, 0)),
                new Entry(row, COLUMNS.get(2), new Cell(Arch.DENSENET, ActivationSpec.convRelu(), Replacement.all(), DataId.CIFAR10, scale, 0)));
    }

    @Override
    public List<Pair> comparisons() {
        String row = DataId.CIFAR10.column();
        return List.of(new Pair(row, row, COLUMNS.get(0), row, COLUMNS.get(1)), new Pair(row, row, COLUMNS.get(0), row, COLUMNS.get(2)));
    }

    @Override
    public List<String> notes(Scale scale) {
        return List.of("R3 replaces every ReLU that feeds a convolution (blocks and transitions); the ReLU before the classifier stays.");
    }
}
