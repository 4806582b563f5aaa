package org.convrelu.experiments.paper;

import java.util.ArrayList;
import java.util.List;
import org.convrelu.experiments.recipe.Arch;
import org.convrelu.experiments.recipe.Cell;
import org.convrelu.experiments.recipe.DataId;
import org.convrelu.experiments.recipe.Scale;
import org.convrelu.nn.models.ActivationSpec;
import org.convrelu.nn.models.Replacement;

/** Table 4: zero, random and Glorot initialisation of ConvReLU's thresholds (DenseNet, L2 on θ in every case). */
public final class Table4 implements PaperTable {
    private static final List<DataId> DATA = List.of(DataId.CIFAR10, DataId.CIFAR100);
    private static final List<ActivationSpec.ThresholdInit> INITS = List.of(ActivationSpec.ThresholdInit.ZERO,
            ActivationSpec.ThresholdInit.RANDOM, ActivationSpec.ThresholdInit.GLOROT_UNIFORM);
    private static final List<Label> COLUMNS = List.of(new Label("zero", "Zero Init"), new Label("random", "Random Init"),
            new Label("glorot_uniform", "Glorot Init"));

    @Override
    public String id() {
        return "4";
    }

    @Override
    public String title() {
        return "Initialisation of ConvReLU thresholds, top-1 accuracy (%)";
    }

    @Override
    public String rowHeading() {
        return "Dataset";
    }

    @Override
    public List<Label> rows() {
        return DATA.stream().map(Table4::row).toList();
    }

    private static Label row(DataId d) {
        return new Label(d.id(), d.column());
    }

    @Override
    public List<Label> columns() {
        return COLUMNS;
    }

    @Override
    public List<Entry> entries(Scale scale) {
        List<Entry> out = new ArrayList<>();
        for (DataId d : DATA) {
            for (int i = 0; i < INITS.size(); i++) {
                out.add(new Entry(row(d), COLUMNS.get(i),
                        Cell.entry(scale, d, Arch.DENSENET, ActivationSpec.convRelu(INITS.get(i)), Replacement.partial())));
            }
        }
        return out;
    }

    @Override
    public List<Pair> comparisons() {
        List<Pair> pairs = new ArrayList<>();
        for (DataId d : DATA) {
            pairs.add(new Pair(d.column(), row(d), COLUMNS.get(0), row(d), COLUMNS.get(1)));
            pairs.add(new Pair(d.column(), row(d), COLUMNS.get(0), row(d), COLUMNS.get(2)));
        }
        return pairs;
    }

    @Override
    public List<String> notes(Scale scale) {
        return List.of("Random: N(0, 0.01²) (ours: the paper gives no σ); Glorot as the paper states it: uniform with variance"
                + " 2 / (n_in + n_out), n_in and n_out the input and output channels of the convolution the thresholds belong to."
                + " The thresholds take the recipe's weight decay in every case (the Protocol section gives it; the paper says L2 without"
                + " a coefficient).");
    }
}
