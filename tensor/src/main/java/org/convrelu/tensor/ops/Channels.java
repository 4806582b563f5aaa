package org.convrelu.tensor.ops;

import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Per-channel helpers for {@code [N, C, *S]} arrays, and the checks the implementations share. */
final class Channels {
    private Channels() {}

    /** {@code [1, C, 1, ...]} of the given rank: a per-channel vector laid out to broadcast. */
    static long[] laid(int rank, long channels) {
        long[] s = new long[rank];
        Arrays.fill(s, 1);
        s[1] = channels;
        return s;
    }

    /** Every axis except the channel axis 1: {@code [0, 2, 3, ...]}. */
    static int[] allBut1(int rank) {
        int[] axes = new int[rank - 1];
        axes[0] = 0;
        for (int i = 1; i < axes.length; i++) {
            axes[i] = i + 1;
        }
        return axes;
    }

    /** {@code y + b} with {@code b [C]} broadcast over samples and positions (a new array). */
    static INDArray addBias(INDArray y, INDArray bias) {
        return bias == null ? y : y.add(bias.reshape(laid(y.rank(), bias.length())));
    }

    /** {@code Σ dy} over every axis but the channels: the bias gradient, or null without a bias. */
    static INDArray biasGrad(INDArray dy, INDArray bias) {
        return bias == null ? null : dy.sum(allBut1(dy.rank()));
    }

    /** Float32 or float64, the two dtypes every implementation takes. */
    static java.util.Optional<String> floating(DataType dtype) {
        return dtype == DataType.FLOAT || dtype == DataType.DOUBLE ? java.util.Optional.empty()
                : java.util.Optional.of("dtype " + dtype + " (expected FLOAT or DOUBLE)");
    }

    /** The saved state of a forward pass, of the implementation's own type. */
    static <S> S saved(Object saved, Class<S> type, Implementation by) {
        if (!type.isInstance(saved)) {
            throw new IllegalArgumentException("the " + by.id() + " implementation's backward got state from "
                    + (saved == null ? "no forward pass" : saved.getClass().getSimpleName()) + "; pass what its forward returned");
        }
        return type.cast(saved);
    }
}
