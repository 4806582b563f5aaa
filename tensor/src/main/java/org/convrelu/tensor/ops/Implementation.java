package org.convrelu.tensor.ops;

import java.util.Arrays;
import java.util.Locale;

/**
 * The implementations an op can have. Not every op kind has every one; {@link Backends} lists
 * which, and chooses among them.
 */
public enum Implementation {
    /** Float64 loops written from the definitions ({@code org.convrelu.tensor.ops.reference.Reference}): the spec, slow. */
    REFERENCE("float64 loops from the definitions (the spec)"),
    /** Patch extraction in Java loops over heap copies, then ND4J's GEMM: any dtype, 1D/2D/3D, any geometry; CPU. */
    PATCHES("Java patch extraction + ND4J GEMM"),
    /** Fused Vector API kernels on heap copies: float32, ND4J's CPU backend, a JVM with the incubator vector module. */
    DIRECT("fused Vector API CPU kernels"),
    /** ND4J ops only (im2col/col2im, broadcast max, GEMM, native conv): the arrays never leave ND4J, so they stay on a GPU. */
    ND4J("ND4J ops only (device-resident)");

    private final String description;

    Implementation(String description) {
        this.description = description;
    }

    /** The name used in properties, reports and {@code result.json}: {@code reference}, {@code patches}, {@code direct}, {@code nd4j}. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public String description() {
        return description;
    }

    /** The implementation named {@code id} (case-insensitive); fails naming the choices. */
    public static Implementation byId(String id, String where) {
        for (Implementation i : values()) {
            if (i.id().equalsIgnoreCase(id.strip())) {
                return i;
            }
        }
        throw new IllegalArgumentException(where + "=" + id + ": expected one of "
                + String.join(", ", Arrays.stream(values()).map(Implementation::id).toList()));
    }
}
