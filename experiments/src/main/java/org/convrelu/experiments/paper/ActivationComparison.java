package org.convrelu.experiments.paper;

import java.util.ArrayList;
import java.util.List;
import org.convrelu.experiments.recipe.Arch;
import org.convrelu.experiments.recipe.Cell;
import org.convrelu.experiments.recipe.DataId;
import org.convrelu.experiments.recipe.Scale;

/** Tables 1 and 2: the activation rows of {@link Rows} on one network across three datasets. */
abstract class ActivationComparison implements PaperTable {
    private final String id;
    private final String title;
    private final Arch arch;
    private final List<DataId> data;

    ActivationComparison(String id, String title, Arch arch, List<DataId> data) {
        this.id = id;
        this.title = title;
        this.arch = arch;
        this.data = List.copyOf(data);
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public String title() {
        return title;
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
        return data.stream().map(d -> new Label(d.id(), d.column())).toList();
    }

    @Override
    public List<Entry> entries(Scale scale) {
        List<Entry> out = new ArrayList<>();
        for (Rows.Row row : Rows.ACTIVATIONS) {
            for (DataId d : data) {
                out.add(new Entry(row.label(), new Label(d.id(), d.column()), Cell.entry(scale, d, arch, row.activation(), row.replacement())));
            }
        }
        return out;
    }

    @Override
    public List<Pair> comparisons() {
        return Rows.convReluAgainstEachRow(columns());
    }
}
