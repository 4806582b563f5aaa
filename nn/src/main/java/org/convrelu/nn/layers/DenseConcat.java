package org.convrelu.nn.layers;

import java.util.ArrayList;
import java.util.List;
import org.convrelu.nn.AbstractLayer;
import org.convrelu.nn.Layer;
import org.convrelu.nn.Mode;
import org.convrelu.nn.Param;
import org.convrelu.tensor.ops.cpu.DirectChannels;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One DenseNet layer's connectivity (Huang et al. 2017): {@code y = concat(x, branch(x))} along
 * channels, so every later layer sees every earlier feature map.
 */
public final class DenseConcat extends AbstractLayer {
    private final Layer branch;
    private long inChannels;

    public DenseConcat(String name, Layer branch) {
        super(name);
        this.branch = branch;
    }

    @Override
    protected INDArray doForward(INDArray x, Mode mode) {
        inChannels = x.size(1);
        return DirectChannels.concat(x, branch.forward(x, mode)); // [N, C + k, *S]
    }

    /** {@code dx = dy[:, :C] + branch'ᵀ(dy[:, C:])}, the branch's gradient summed in place. */
    @Override
    protected INDArray doBackward(INDArray dy) {
        INDArray dBranch = DirectChannels.slice(dy, inChannels, dy.size(1)); // [N, k, *S]
        return DirectChannels.addSlice(branch.backward(dBranch), dy, 0);
    }

    @Override
    public List<Param> params() {
        return branch.params();
    }

    @Override
    public List<Layer> layers() {
        List<Layer> all = new ArrayList<>(List.of(this));
        all.addAll(branch.layers());
        return all;
    }
}
