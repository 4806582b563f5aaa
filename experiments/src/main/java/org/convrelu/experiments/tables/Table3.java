package org.convrelu.experiments.tables;

import java.util.ArrayList;
import java.util.List;
import org.convrelu.experiments.Arch;
import org.convrelu.experiments.Cell;
import org.convrelu.experiments.DataId;
import org.convrelu.experiments.Scale;
import org.convrelu.nn.models.ActivationSpec;
import org.convrelu.nn.models.Replacement;

/** Table 3: ReLU against ConvReLU on VGG-16, ResNet-18 and DenseNet for CIFAR-10 and CIFAR-100. */
public final class Table3 implements PaperTable {
    private static final List<Arch> NETS = List.of(Arch.VGG16, Arch.RESNET18, Arch.DENSENET);
    private static final List<DataId> DATA = List.of(DataId.CIFAR10, DataId.CIFAR100);

    @Override
    public String id() {
        return "3";
    }

    @Override
    public String title() {
        return "ReLU and ConvReLU on popular networks, top-1 accuracy (%)";
    }

    @Override
    public List<String> rows() {
        return NETS.stream().map(Arch::label).toList();
    }

    @Override
    public List<String> columns() {
        List<String> c = new ArrayList<>();
        for (DataId d : DATA) {
            c.add(d.column() + " ReLU");
            c.add(d.column() + " ConvReLU");
        }
        return c;
    }

    @Override
    public List<Entry> entries(Scale scale) {
        List<Entry> out = new ArrayList<>();
        for (Arch a : NETS) {
            for (DataId d : DATA) {
                out.add(new Entry(a.label(), d.column() + " ReLU", new Cell(a, ActivationSpec.relu(), Replacement.partial(), d, scale, 0)));
                out.add(new Entry(a.label(), d.column() + " ConvReLU", new Cell(a, ActivationSpec.convRelu(), Replacement.partial(), d, scale, 0)));
            }
        }
        return out;
    }

    @Override
    public List<Pair> comparisons() {
        List<Pair> pairs = new ArrayList<>();
        for (Arch a : NETS) {
            for (DataId d : DATA) {
                pairs.add(new Pair(d.column() + ", " + a.label(), a.label(), d.column() + " ConvReLU", a.label(), d.column() + " ReLU"));
            }
        }
        return pairs;
    }

    @Override
    public List<String> notes(Scale scale) {
        return List.of("Partial replacement: the first stage of VGG-16 (its two ReLUs, merged into conv 2 and, after the pool, conv 3),"
                + " the ReLU inside each basic block of ResNet-18's first stage (the ReLUs after the residual sums also feed the"
                + " shortcut, so no convolution can absorb them), the first dense block of DenseNet.");
    }
}
