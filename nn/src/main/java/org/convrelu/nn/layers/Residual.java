package org.convrelu.nn.layers;

import java.util.ArrayList;
import java.util.List;
import org.convrelu.nn.AbstractLayer;
import org.convrelu.nn.Layer;
import org.convrelu.nn.Mode;
import org.convrelu.nn.Param;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Residual connection (He et al. 2016): {@code y = branch(x) + shortcut(x)}, the shortcut the identity when null. */
public final class Residual extends AbstractLayer {
    private final Layer branch;
    private final Layer shortcut;

    public Residual(String name, Layer branch, Layer shortcut) {
        super(name);
        this.branch = branch;
        this.shortcut = shortcut;
    }

    @Override
    protected INDArray doForward(INDArray x, Mode mode) {
        INDArray main = branch.forward(x, mode);
        INDArray skip = shortcut == null ? x : shortcut.forward(x, mode);
        if (!java.util.Arrays.equals(main.shape(), skip.shape())) {
            throw new IllegalArgumentException(name() + ": branch output " + java.util.Arrays.toString(main.shape())
                    + " and shortcut output " + java.util.Arrays.toString(skip.shape()) + " differ");
        }
        return main.add(skip);
    }

    @Override
    protected INDArray doBackward(INDArray dy) {
        INDArray dx = branch.backward(dy);
        return dx.add(shortcut == null ? dy : shortcut.backward(dy));
    }

    @Override
    public List<Param> params() {
        List<Param> ps = new ArrayList<>(branch.params());
        if (shortcut != null) {
            ps.addAll(shortcut.params());
        }
        return ps;
    }

    @Override
    public List<Layer> layers() {
        List<Layer> all = new ArrayList<>(List.of(this));
        all.addAll(branch.layers());
        if (shortcut != null) {
            all.addAll(shortcut.layers());
        }
        return all;
    }
}
