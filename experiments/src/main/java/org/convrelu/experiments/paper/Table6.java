package org.convrelu.experiments.paper;

import java.util.List;
import org.convrelu.experiments.recipe.Scale;

/**
 * Table 6: parameter counts of the paper's DenseNet with each activation row. Nothing is trained:
 * the counts come from building the real network ({@code densenet_cifar}, 100 classes) at any scale.
 */
public final class Table6 implements PaperTable {
    public static final Label PARAMS = new Label("params", "#Params");
    public static final Label RATIO = new Label("ratio", "Ratio");

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
}
