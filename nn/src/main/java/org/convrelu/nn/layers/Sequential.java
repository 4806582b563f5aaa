package org.convrelu.nn.layers;

import java.util.ArrayList;
import java.util.List;
import org.convrelu.nn.AbstractLayer;
import org.convrelu.nn.Layer;
import org.convrelu.nn.Mode;
import org.convrelu.nn.Param;
import org.convrelu.tensor.memory.GradientHandOff;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Layers applied in order; backward runs them in reverse, each child that creates temporaries
 * ({@link Layer#backwardTemporaries}) in a nested workspace when a step's workspace is open, so
 * that one child's temporaries are dropped before the next child's backward pass, and the gradient
 * it hands on goes to one of two buffers used in turn ({@link GradientHandOff}) rather than to the
 * step's workspace.
 */
public final class Sequential extends AbstractLayer {
    private final List<Layer> children;
    private final GradientHandOff handOff = new GradientHandOff();

    public Sequential(String name, List<? extends Layer> children) {
        super(name);
        this.children = List.copyOf(children);
    }

    public List<Layer> children() {
        return children;
    }

    @Override
    protected INDArray doForward(INDArray x, Mode mode) {
        INDArray h = x;
        for (Layer l : children) {
            h = l.forward(h, mode);
        }
        return h;
    }

    @Override
    protected INDArray doBackward(INDArray dy) {
        INDArray g = dy;
        for (int i = children.size() - 1; i >= 0; i--) {
            Layer child = children.get(i);
            g = child.backwardTemporaries() ? handOff.nested(child::backward, g) : child.backward(g);
        }
        return g;
    }

    /** Only the first child's input is this container's; every later child's dx feeds the one before it. */
    @Override
    public void inputGradient(boolean needed) {
        if (!children.isEmpty()) {
            children.get(0).inputGradient(needed);
        }
    }

    @Override
    public List<Param> params() {
        List<Param> ps = new ArrayList<>();
        children.forEach(l -> ps.addAll(l.params()));
        return ps;
    }

    @Override
    public List<Layer> layers() {
        List<Layer> all = new ArrayList<>(List.of(this));
        children.forEach(l -> all.addAll(l.layers()));
        return all;
    }
}
