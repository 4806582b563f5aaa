package org.convrelu.experiments.tables;

import java.util.ArrayList;
import java.util.List;
import org.convrelu.experiments.Arch;
import org.convrelu.experiments.Cell;
import org.convrelu.experiments.DataId;
import org.convrelu.experiments.Scale;

/** Table 1: ConvReLU against ReLU, LeakyReLU and PReLU on CIFAR-10, CIFAR-100 and Tiny ImageNet (DenseNet). */
public final class Table1 implements PaperTable {
    static final List<DataId> DATA = List.of(DataId.CIFAR10, DataId.CIFAR100, DataId.TINY_IMAGENET);

    @Override
    public String id() {
        return "1";
    }

    @Override
    public String title() {
        return "ConvReLU and other activations, top-1 accuracy (%) on image datasets";
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
                        new Cell(Arch.DENSENET, row.getValue().activation(), row.getValue().replacement(), d, scale, 0)));
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
        return List.of("Network: the paper's \"DenseNet-40\" is densenet_cifar, the DenseNet-BC whose parameter counts are Table 6"
                        + " (see Table 6); ConvReLU and the partial rows replace the ReLUs of the first dense block, \"(A)\" every ReLU"
                        + " but the one before the classifier.",
                "LeakyReLU uses α = 0.01; PReLU one trainable slope per replaced ReLU (initialised to 0.25), as Table 6's counts imply.",
                "Tiny ImageNet is evaluated on its validation split (its test labels are not public); the data directory here holds"
                        + " 10 training images per class of the 500 the full split has.");
    }
}
