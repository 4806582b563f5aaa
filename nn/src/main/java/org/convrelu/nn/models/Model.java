package org.convrelu.nn.models;

import java.util.List;
import org.convrelu.nn.Param;
import org.convrelu.nn.layers.Sequential;

/**
 * A built network with what was asked of it: the architecture name, the activation and the
 * replacement policy, every ReLU site and the sites actually replaced (reported with every result).
 */
public record Model(String architecture, Sequential net, ActivationSpec activation, Replacement replacement,
        List<String> sites, List<String> replacedSites, long[] inputShape, int classes) {

    /** Trainable parameters, BatchNorm γ and β included (running statistics are not parameters). */
    public long parameterCount() {
        return net.params().stream().mapToLong(Param::size).sum();
    }

    /** Names and sizes of the parameters of a role. */
    public long parameterCount(org.convrelu.nn.ParamRole role) {
        return net.params().stream().filter(p -> p.role() == role).mapToLong(Param::size).sum();
    }

    public String describe() {
        return architecture + " with " + activation.describe() + " at " + replacement.describe() + " ("
                + replacedSites.size() + " of " + sites.size() + " ReLU sites replaced, " + parameterCount() + " parameters)";
    }
}
