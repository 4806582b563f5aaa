package org.convrelu.nn.layers;

import java.util.ArrayList;
import java.util.List;
import org.convrelu.nn.AbstractLayer;
import org.convrelu.nn.Layer;
import org.convrelu.nn.Mode;
import org.convrelu.nn.Param;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;

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
        return Nd4j.concat(1, x, branch.forward(x, mode));
    }

    @Override
    protected INDArray doBackward(INDArray dy) {
        INDArray dPass = dy.get(channels(dy.rank(), 0, inChannels));
        INDArray dBranch = dy.get(channels(dy.rank(), inChannels, dy.size(1))).dup('c');
        return branch.backward(dBranch).add(dPass);
    }

    private static INDArrayIndex[] channels(int rank, long from, long to) {
        INDArrayIndex[] idx = new INDArrayIndex[rank];
        for (int i = 0; i < rank; i++) {
            idx[i] = NDArrayIndex.all();
        }
        idx[1] = NDArrayIndex.interval(from, to);
        return idx;
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
