package org.convrelu.experiments.paper;

import java.util.ArrayList;
import java.util.List;
import org.convrelu.nn.models.ActivationSpec;
import org.convrelu.nn.models.Replacement;

/**
 * The activation rows of Tables 1, 2 and 6: ReLU, LeakyReLU and PReLU with the paper's partial
 * replacement and in all layers "(A)", and ConvReLU with partial replacement.
 */
public final class Rows {
    public record Row(Label label, ActivationSpec activation, Replacement replacement) {}

    public static final Label RELU = new Label("relu", "ReLU");
    public static final Label CONVRELU = new Label("convrelu", "ConvReLU");

    public static final List<Row> ACTIVATIONS = List.of(
            new Row(RELU, ActivationSpec.relu(), Replacement.partial()),
            new Row(new Label("leaky_relu", "LeakyReLU"), ActivationSpec.leakyRelu(), Replacement.partial()),
            new Row(new Label("leaky_relu_all", "LeakyReLU (A)"), ActivationSpec.leakyRelu(), Replacement.all()),
            new Row(new Label("prelu", "PReLU"), ActivationSpec.prelu(), Replacement.partial()),
            new Row(new Label("prelu_all", "PReLU (A)"), ActivationSpec.prelu(), Replacement.all()),
            new Row(CONVRELU, ActivationSpec.convRelu(), Replacement.partial()));

    private Rows() {}

    public static List<Label> labels() {
        return ACTIVATIONS.stream().map(Row::label).toList();
    }

    /** ConvReLU against every other row, per column. */
    static List<PaperTable.Pair> convReluAgainstEachRow(List<Label> columns) {
        List<PaperTable.Pair> pairs = new ArrayList<>();
        for (Label c : columns) {
            for (Label r : labels()) {
                if (!r.equals(CONVRELU)) {
                    pairs.add(new PaperTable.Pair(c.text(), CONVRELU, c, r, c));
                }
            }
        }
        return pairs;
    }
}
