package org.convrelu.nn.models;

import java.util.List;
import org.convrelu.nn.Layer;
import org.convrelu.nn.Mode;
import org.convrelu.nn.Param;
import org.convrelu.nn.layers.Sequential;
import org.nd4j.linalg.factory.Nd4j;

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

    /**
     * Multiply-adds per example of one forward pass: the convolutions' and linear layers' products,
     * counted on a forward pass of one zero example in evaluation mode. Run it outside training: the
     * pass replaces what the layers saved for a backward pass.
     */
    public long multiplyAdds() {
        long[] shape = new long[inputShape.length + 1];
        shape[0] = 1;
        System.arraycopy(inputShape, 0, shape, 1, inputShape.length);
        net.forward(Nd4j.zeros(net.params().get(0).value().dataType(), shape), Mode.EVAL);
        return net.layers().stream().mapToLong(Layer::multiplyAdds).sum();
    }

    public String describe() {
        return architecture + " with " + activation.describe() + " at " + replacement.describe() + " ("
                + replacedSites.size() + " of " + sites.size() + " ReLU sites replaced, " + parameterCount() + " parameters)";
    }
}
