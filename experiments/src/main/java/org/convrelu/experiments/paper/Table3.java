package org.convrelu.experiments.paper;

import java.util.ArrayList;
import java.util.List;
import org.convrelu.experiments.recipe.Arch;
import org.convrelu.experiments.recipe.Cell;
import org.convrelu.experiments.recipe.DataId;
import org.convrelu.experiments.recipe.Scale;
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
    public String rowHeading() {
        return "Network";
    }

    @Override
    public List<Label> rows() {
        return NETS.stream().map(Table3::row).toList();
    }

    @Override
    public List<Label> columns() {
        List<Label> c = new ArrayList<>();
        for (DataId d : DATA) {
            c.add(column(d, false));
            c.add(column(d, true));
        }
        return c;
    }

    private static Label row(Arch a) {
        return new Label(a.id(), a.label());
    }

    private static Label column(DataId d, boolean convRelu) {
        return new Label(d.id() + (convRelu ? "_convrelu" : "_relu"), d.column() + (convRelu ? " ConvReLU" : " ReLU"));
    }

    @Override
    public List<Entry> entries(Scale scale) {
        List<Entry> out = new ArrayList<>();
        for (Arch a : NETS) {
            for (DataId d : DATA) {
                out.add(new Entry(row(a), column(d, false), Cell.entry(scale, d, a, ActivationSpec.relu(), Replacement.partial())));
                out.add(new Entry(row(a), column(d, true), Cell.entry(scale, d, a, ActivationSpec.convRelu(), Replacement.partial())));
            }
        }
        return out;
    }

    @Override
    public List<Pair> comparisons() {
        List<Pair> pairs = new ArrayList<>();
        for (Arch a : NETS) {
            for (DataId d : DATA) {
                pairs.add(new Pair(d.column() + ", " + a.label(), row(a), column(d, true), row(a), column(d, false)));
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
