package org.convrelu.nn.models;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.convrelu.nn.Layer;
import org.convrelu.nn.init.Init;
import org.convrelu.nn.layers.AdaReLU;
import org.convrelu.nn.layers.Conv;
import org.convrelu.nn.layers.ConvReLU;
import org.convrelu.nn.layers.ConvSpec;
import org.convrelu.nn.layers.FReLU;
import org.convrelu.nn.layers.LeakyReLU;
import org.convrelu.nn.layers.PReLU;
import org.convrelu.nn.layers.Pool;
import org.convrelu.nn.layers.ReLU;
import org.convrelu.nn.layers.ReluConv;
import org.convrelu.tensor.Precision;
import org.convrelu.tensor.RandomStream;

/**
 * Places activations at a model's ReLU sites while it is built: each site gets the run's
 * activation if the replacement policy selects it, else a ReLU; a ConvReLU merges into the
 * convolution the site feeds. Records which sites were replaced.
 */
final class Sites {
    private final ActivationSpec activation;
    private final Replacement replacement;
    private final Set<String> partialGroups;
    private final String firstBlock;
    private final String lastBlock;
    private final int dims;
    private final Precision precision;
    private final RandomStream rng;
    private final List<String> all = new ArrayList<>();
    private final List<String> replaced = new ArrayList<>();

    Sites(ActivationSpec activation, Replacement replacement, Set<String> partialGroups, String firstBlock,
            String lastBlock, int dims, Precision precision, RandomStream rng) {
        this.activation = activation;
        this.replacement = replacement;
        this.partialGroups = partialGroups;
        this.firstBlock = firstBlock;
        this.lastBlock = lastBlock;
        this.dims = dims;
        this.precision = precision;
        this.rng = rng;
    }

    private boolean replaced(Site site) {
        all.add(site.name());
        boolean r = activation.kind() != ActivationSpec.Kind.RELU
                && replacement.replaces(site, partialGroups, firstBlock, lastBlock);
        if (r) {
            replaced.add(site.name());
        }
        return r;
    }

    /**
     * A site whose output feeds exactly one convolution, optionally through a pooling layer
     * (ReLU and max pooling commute, so {@code ReLU → pool → conv} equals {@code pool → ReLU → conv}).
     * Returns the layers from the activation to the convolution. A ConvReLU merges into the
     * convolution; a ReLU runs fused with it ({@link ReluConv}, the same function). Either way a
     * max pool goes first, so such a site's on-mask is read after pooling.
     */
    List<Layer> activationThenConv(Site site, Layer pool, String convName, ConvSpec conv, Init weightInit) {
        List<Layer> layers = new ArrayList<>();
        boolean r = replaced(site);
        if (r && activation.kind() == ActivationSpec.Kind.CONVRELU) {
            if (pool != null) {
                layers.add(pool);
            }
            layers.add(new ConvReLU(convName, conv, weightInit, activation.thresholdInit().init(), activation.padded(),
                    precision, rng.child(convName)));
            return layers;
        }
        Layer act = r ? replacement(site) : new ReLU(site.name());
        Conv c = new Conv(convName, conv, weightInit, precision, rng.child(convName));
        if (act instanceof ReLU relu && (pool == null || pool instanceof Pool p && p.kind() == Pool.Kind.MAX)) {
            // The same function in one fused pass where the kernel applies (ReLU and max pooling commute).
            if (pool != null) {
                layers.add(pool);
            }
            layers.add(new ReluConv(relu, c));
            return layers;
        }
        layers.add(act);
        if (pool != null) {
            layers.add(pool);
        }
        layers.add(c);
        return layers;
    }

    /** A site feeding something other than a single convolution; ConvReLU cannot merge here and leaves a ReLU. */
    Layer activation(Site site) {
        if (activation.kind() == ActivationSpec.Kind.CONVRELU) {
            all.add(site.name());
            return new ReLU(site.name());
        }
        return replaced(site) ? replacement(site) : new ReLU(site.name());
    }

    private Layer replacement(Site site) {
        return switch (activation.kind()) {
            case RELU, CONVRELU -> new ReLU(site.name());
            case LEAKY_RELU -> new LeakyReLU(site.name(), activation.alpha());
            case PRELU -> new PReLU(site.name(), activation.preluSharing(), site.channels(), precision);
            case ADARELU -> new AdaReLU(site.name(), activation.adaSharing(), new long[] {site.channels()},
                    activation.thresholdInit().init(), precision, rng.child(site.name()));
            case FRELU -> new FReLU(site.name(), site.channels(), dims, precision, rng.child(site.name()));
        };
    }

    List<String> allSites() {
        return List.copyOf(all);
    }

    List<String> replacedSites() {
        return List.copyOf(replaced);
    }
}
