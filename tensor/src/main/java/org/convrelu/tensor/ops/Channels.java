package org.convrelu.tensor.ops;

import org.convrelu.tensor.Axes;
import org.convrelu.tensor.ops.cpu.CpuKernels;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The bias, dtype and saved-state helpers the implementations share. */
public final class Channels {
    private Channels() {}

    /** {@code y + b} with {@code b [C]} broadcast over samples and positions (a new array). */
    public static INDArray addBias(INDArray y, INDArray bias) {
        return bias == null ? y : y.add(bias.reshape(Axes.channelShape(y.rank(), bias.length())));
    }

    /** {@code Σ dy} over every axis but the channels: the bias gradient, or null without a bias. */
    public static INDArray biasGrad(INDArray dy, INDArray bias) {
        return bias == null ? null : dy.sum(Axes.allButChannels(dy.rank()));
    }

    /** Float32 or float64, the two dtypes every implementation takes. */
    public static java.util.Optional<String> floating(DataType dtype) {
        return dtype == DataType.FLOAT || dtype == DataType.DOUBLE ? java.util.Optional.empty()
                : java.util.Optional.of("dtype " + dtype + " (expected FLOAT or DOUBLE)");
    }

    /** Why the fused CPU kernels cannot run a call of this dtype: unavailable in this JVM, or not float32. */
    public static java.util.Optional<String> fusedKernels(DataType dtype) {
        String off = org.convrelu.tensor.ops.cpu.CpuKernels.unavailable();
        if (off != null) {
            return java.util.Optional.of(off);
        }
        return dtype == DataType.FLOAT ? java.util.Optional.empty()
                : java.util.Optional.of("dtype " + dtype + " (the kernel is float32)");
    }

    /** The saved state of a forward pass, of the implementation's own type. */
    public static <S> S saved(Object saved, Class<S> type, Implementation by) {
        if (!type.isInstance(saved)) {
            throw new IllegalArgumentException("the " + by.id() + " implementation's backward got state from "
                    + (saved == null ? "no forward pass" : saved.getClass().getSimpleName()) + "; pass what its forward returned");
        }
        return type.cast(saved);
    }
}
