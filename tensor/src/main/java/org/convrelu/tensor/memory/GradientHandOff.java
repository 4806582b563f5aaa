package org.convrelu.tensor.memory;

import java.util.function.UnaryOperator;
import org.nd4j.linalg.api.buffer.DataBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Where a chain of backward passes hands its gradients on: each layer's backward runs in a
 * workspace nested in the step's, whose memory the next layer's temporaries reuse, and the gradient
 * it returns is copied into one of two buffers kept across steps, used in turn. In the step's
 * workspace every layer's gradient would stay until the step ends; here only the last two a chain
 * handed on are held, as in a framework that frees a gradient once the layer below has read it.
 *
 * <p>A result lives until the call after next: the chain must pass each result on as the next
 * call's input (through layers that make no temporaries, if any) and keep none of them longer.
 * The buffers grow to the largest gradient the chain hands on and are kept for the next step.
 */
public final class GradientHandOff {
    private final INDArray[] buffers = new INDArray[2]; // flat, out of workspaces
    private int next;

    /**
     * {@code call(input)} in a workspace of its own nested in the step's, its result copied into
     * the buffer not holding {@code input}; a result not created in that nested workspace (null,
     * {@code input} itself, an array in the step's workspace or out of workspaces) is returned as
     * it is. Inside a nested workspace, or with no workspace open, {@code call} just runs.
     */
    public INDArray nested(UnaryOperator<INDArray> call, INDArray input) {
        MemoryWorkspace step = Nd4j.getMemoryManager().getCurrentWorkspace();
        if (step == null || StepWorkspace.NESTED.equals(step.getId())) {
            return call.apply(input);
        }
        try (MemoryWorkspace ws = Nd4j.getWorkspaceManager().getAndActivateWorkspace(StepWorkspace.CONFIG, StepWorkspace.NESTED)) {
            INDArray out = call.apply(input);
            if (out == null || !out.isAttached() || !StepWorkspace.NESTED.equals(out.data().getParentWorkspace().getId())) {
                return out;
            }
            int target = holds(next, input) ? 1 - next : next;
            next = 1 - target;
            INDArray kept = view(target, out.dataType(), out.shape());
            kept.assign(out);
            return kept;
        }
    }

    /** Whether {@code a} is a view of buffer {@code i}. */
    private boolean holds(int i, INDArray a) {
        return a != null && buffers[i] != null && root(a.data()) == root(buffers[i].data());
    }

    private static DataBuffer root(DataBuffer b) {
        return b.originalDataBuffer() != null ? b.originalDataBuffer() : b;
    }

    /** A C-ordered array of {@code shape} over the start of buffer {@code i}, grown to fit first. */
    private INDArray view(int i, DataType type, long[] shape) {
        long length = 1;
        for (long s : shape) {
            length *= s;
        }
        if (buffers[i] == null || buffers[i].dataType() != type || buffers[i].length() < length) {
            long size = length;
            if (buffers[i] != null) {
                // the gradients of a first step grow layer by layer: grow by half at least, and free the
                // old buffer now rather than when the garbage collector finds it (what it held was handed on)
                size = Math.max(length, buffers[i].length() * 3 / 2);
                buffers[i].close();
            }
            try (MemoryWorkspace out = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
                buffers[i] = Nd4j.createUninitialized(type, size);
            }
        }
        return buffers[i].get(NDArrayIndex.interval(0, length)).reshape('c', shape);
    }
}
