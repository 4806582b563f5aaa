package org.convrelu.experiments.tables;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.convrelu.nn.models.ActivationSpec;
import org.convrelu.nn.models.Replacement;

/**
 * The activation rows of Tables 1, 2 and 6: ReLU, LeakyReLU and PReLU with the paper's partial
 * replacement and in all layers "(A)", and ConvReLU with partial replacement.
 */
public final class Rows {
    public record Row(ActivationSpec activation, Replacement replacement) {}

    public static final Map<String, Row> ACTIVATIONS = new LinkedHashMap<>();

    static {
        ACTIVATIONS.put("ReLU", new Row(ActivationSpec.relu(), Replacement.partial()));
        ACTIVATIONS.put("LeakyReLU", new Row(ActivationSpec.leakyRelu(), Replacement.partial()));
        ACTIVATIONS.put("LeakyReLU (A)", new Row(ActivationSpec.leakyRelu(), Replacement.all()));
        ACTIVATIONS.put("PReLU", new Row(ActivationSpec.prelu(), Replacement.partial()));
        ACTIVATIONS.put("PReLU (A)", new Row(ActivationSpec.prelu(), Replacement.all()));
        ACTIVATIONS.put("ConvReLU", new Row(ActivationSpec.convRelu(), Replacement.partial()));
    }

    private Rows() {}

    public static List<String> names() {
        return new ArrayList<>(ACTIVATIONS.keySet());
    }

    /** ConvReLU against every other row, per column. */
    static List<PaperTable.Pair> convReluAgainstEachRow(List<String> columns) {
        List<PaperTable.Pair> pairs = new ArrayList<>();
        for (String c : columns) {
            for (String r : names()) {
                if (!r.equals("ConvReLU")) {
                    pairs.add(new PaperTable.Pair(c, "ConvReLU", c, r, c));
                }
            }
        }
        return pairs;
    }
}
