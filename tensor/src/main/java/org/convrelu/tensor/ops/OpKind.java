package org.convrelu.tensor.ops;

import java.util.Locale;

/** The ops with more than one implementation; {@link Backends} chooses one per call. */
public enum OpKind {
    /** ConvReLU (eq. 8 of Gao, Cai, Ji 2020); ReLU → conv runs as ConvReLU with every threshold held at 0. */
    CONV_RELU("convrelu"),
    /** Batch normalisation. */
    BATCH_NORM("batchnorm"),
    /** Plain convolution. */
    CONV("conv");

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
