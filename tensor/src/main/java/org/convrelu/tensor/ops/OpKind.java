package org.convrelu.tensor.ops;

import java.util.Locale;

/** The ops with more than one implementation; {@link Backends} chooses one per call and counts it. */
public enum OpKind {
    /** ConvReLU (eq. 8 of Gao, Cai, Ji 2020); ReLU → conv runs as ConvReLU with every threshold held at 0. */
    CONV_RELU("convrelu"),
    /** Batch normalisation. */
    BATCH_NORM("batchnorm"),
    /** Plain convolution (a one-hot input, the char-CNN's first layer, is a path of its fused kernel). */
    CONV("conv"),
    /** The pointwise activations: ReLU, LeakyReLU, PReLU. */
    ACTIVATION("activation"),
    /** Pooling: max and average windows, global average. */
    POOL("pool"),
    /** Channel concatenation and channel slices (a DenseNet layer's data movement). */
    CHANNELS("channels"),
    /** Fully connected layers. */
    LINEAR("linear"),
    /** The SGD update with momentum and weight decay. */
    SGD("sgd");

    private final String id;

    OpKind(String id) {
        this.id = id;
    }

    /** The name used in properties ({@code -Dconvrelu.backend.<id>=...}), reports and {@code result.json}. */
    public String id() {
        return id;
    }

    static OpKind byId(String id) {
        for (OpKind k : values()) {
            if (k.id.equals(id.toLowerCase(Locale.ROOT))) {
                return k;
            }
        }
        throw new IllegalArgumentException("unknown op kind " + id);
    }
}
