package org.convrelu.experiments.tables;

import java.util.ArrayList;
import java.util.List;
import org.convrelu.experiments.Arch;
import org.convrelu.experiments.Cell;
import org.convrelu.experiments.DataId;
import org.convrelu.experiments.Scale;

/** Table 2: the same activations on MR, AG's News and Yelp Full with the char-CNN of Zhang et al. */
public final class Table2 implements PaperTable {
    static final List<DataId> DATA = List.of(DataId.MR, DataId.AG_NEWS, DataId.YELP_FULL);

    @Override
    public String id() {
        return "2";
    }

    @Override
    public String title() {
        return "ConvReLU and other activations, top-1 accuracy (%) on text datasets";
    }

    @Override
    public List<String> rows() {
        return Rows.names();
    }

    @Override
    public List<String> columns() {
        return DATA.stream().map(DataId::column).toList();
    }

    @Override
    public List<Entry> entries(Scale scale) {
        List<Entry> out = new ArrayList<>();
        for (var row : Rows.ACTIVATIONS.entrySet()) {
            for (DataId d : DATA) {
                out.add(new Entry(row.getKey(), d.column(),
                        new Cell(Arch.CHARCNN, row.getValue().activation(), row.getValue().replacement(), d, scale, 0)));
            }
        }
        return out;
    }

    @Override
    public List<Pair> comparisons() {
        return Rows.convReluAgainstEachRow(columns());
    }

    @Override
    public List<String> notes(Scale scale) {
        return List.of("Network: the char-CNN of Zhang, Zhao and LeCun (2015); partial replacement covers the ReLUs of conv1 and"
                        + " conv2, which ConvReLU merges into conv2 and conv3 (ReLU and max pooling commute).",
                "Characters: the paper's 70-entry alphabet, lower-cased, read in reverse; text normalised with CoreNLP (see the data"
                        + " line of each cell).",
                "MR has no official split: each seed holds out one fold of a fixed 10-fold partition (seed k → fold k).",
                "AG's News: where only its official test split is present, 80% of it trains and a stratified 20% evaluates;"
                        + " such numbers are not comparable with the paper's.");
    }
}
