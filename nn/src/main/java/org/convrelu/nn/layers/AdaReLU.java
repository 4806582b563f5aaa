package org.convrelu.nn.layers;

import java.util.List;
import org.convrelu.nn.AbstractLayer;
import org.convrelu.nn.ActivationGate;
import org.convrelu.nn.Mode;
import org.convrelu.nn.Param;
import org.convrelu.nn.ParamRole;
import org.convrelu.nn.init.Init;
import org.convrelu.tensor.Axes;
import org.convrelu.tensor.Precision;
import org.convrelu.tensor.RandomStream;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Adaptive ReLU, eq. 4 of Gao, Cai, Ji (AAAI 2020): {@code f(x_i) = max(x_i, θ_i)} with trainable
 * thresholds. Per eq. 5-6, {@code ∂f/∂θ = 1} where {@code x ≤ θ} (ties included) and
 * {@code ∂f/∂x = 1} where {@code x > θ}; the threshold gradient sums over every position sharing θ.
 * With θ = 0 it is ReLU.
 */
public final class AdaReLU extends AbstractLayer implements ActivationGate {
    /** Which inputs share one threshold. */
    public enum Sharing {
        /** One θ per feature {@code [C, *S]}, shared across the batch only. */
        ELEMENT,
        /** One θ per channel. */
        CHANNEL,
        /** One θ for the layer. */
        LAYER
    }

    private final Sharing sharing;
    private final long[] featureShape; // [C, *S]
    private final Param theta; // [C, *S], [C] or [1]
    private INDArray pass; // like x: 1 where x > θ

    /**
     * @param featureShape {@code [C, *S]}: the input shape without the batch axis (only {@code C}
     *     matters for channel sharing, nothing for layer sharing)
     */
    public AdaReLU(String name, Sharing sharing, long[] featureShape, Init thresholdInit, Precision precision,
            RandomStream rng) {
        super(name);
        this.sharing = sharing;
        this.featureShape = featureShape.clone();
        long[] shape = switch (sharing) {
            case ELEMENT -> featureShape.clone();
            case CHANNEL -> new long[] {featureShape[0]};
            case LAYER -> new long[] {1};
        };
        long count = 1;
        for (long s : shape) {
            count *= s;
        }
        this.theta = new Param(name + ".theta", ParamRole.THRESHOLD, thresholdInit.create(rng, precision, shape, count, count));
    }

    public Sharing sharing() {
        return sharing;
    }

    public Param theta() {
        return theta;
    }

    @Override
    protected INDArray doForward(INDArray x, Mode mode) {
        INDArray t = broadcastTheta(x);
        pass = x.gt(t).castTo(x.dataType());
        return Transforms.max(x, t, true);
    }

    @Override
    protected INDArray doBackward(INDArray dy) {
        requireShape(dy, pass.shape());
        INDArray toTheta = dy.mul(pass.rsub(1));
        INDArray dTheta = switch (sharing) {
            case ELEMENT -> toTheta.sum(0);
            case CHANNEL -> toTheta.sum(Axes.allButChannels(dy.rank()));
            case LAYER -> toTheta.sum();
        };
        theta.accumulate(dTheta);
        return dy.mul(pass);
    }

    /** θ materialised to the shape of {@code x}. */
    private INDArray broadcastTheta(INDArray x) {
        long[] laid = switch (sharing) {
            case ELEMENT -> {
                long[] s = new long[featureShape.length + 1];
                s[0] = 1;
                System.arraycopy(featureShape, 0, s, 1, featureShape.length);
                if (x.rank() != s.length || !java.util.Arrays.equals(java.util.Arrays.copyOfRange(x.shape(), 1, x.rank()), featureShape)) {
                    throw new IllegalArgumentException(name() + ": per-element thresholds of shape "
                            + java.util.Arrays.toString(featureShape) + " do not fit input " + java.util.Arrays.toString(x.shape()));
                }
                yield s;
            }
            case CHANNEL -> {
                requireSize(x, 1, featureShape[0], "channels");
                yield Axes.channelShape(x.rank(), featureShape[0]);
            }
            case LAYER -> Axes.channelShape(x.rank(), 1);
        };
        return theta.value().reshape(laid).broadcast(x.shape());
    }

    @Override
    public List<Param> params() {
        return List.of(theta);
    }

    @Override
    public INDArray onMask() {
        return pass;
    }
}
