package org.convrelu.nn;

import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A differentiable block with a hand-written backward pass.
 *
 * <p>{@link #forward} caches what {@link #backward} needs; {@code backward(dy)} returns
 * {@code dx} and <em>adds</em> into the gradients of {@link #params()}. The returned {@code dx}
 * is the caller's: a fresh array or a view of {@code dy}, never state the layer keeps, so the caller
 * may sum into it. Calling backward before any forward is an error.
 */
public interface Layer {
    /** Hierarchical name, e.g. {@code block1.layer3.convrelu2}. */
    String name();

    INDArray forward(INDArray x, Mode mode);

    INDArray backward(INDArray dy);

    /** Trainable parameters, in a stable order (containers list their children's in order). */
    default List<Param> params() {
        return List.of();
    }

    /**
     * Whether the caller reads the {@code dx} that {@link #backward} returns (default: it does). A
     * trainer, which discards the network's input gradient, says it does not; a layer may then skip
     * that work and return null from backward, and a container passes the word on to the child that
     * takes its input. Parameter gradients are the same either way.
     */
    default void inputGradient(boolean needed) {}

    /**
     * Whether {@link #backward} creates arrays besides the {@code dx} it returns (default: it may).
     * A container then runs it in a workspace of its own, whose memory the next layer's backward
     * reuses, and copies its {@code dx} out ({@code GradientHandOff}). A layer whose last backward
     * pass creates only its {@code dx} (and parameter-sized gradients) says no: its {@code dx} is then
     * created in the step's workspace directly, without the copy.
     */
    default boolean backwardTemporaries() {
        return true;
    }

    /**
     * Multiply-adds per example in this layer's own last forward pass (a container's children count
     * for themselves): the weights' products of a convolution or linear layer; 0 for every other
     * layer, and before the first forward pass.
     */
    default long multiplyAdds() {
        return 0;
    }

    /** This layer and, for containers, every layer inside it (depth first, this one first). */
    default List<Layer> layers() {
        return List.of(this);
    }
}
