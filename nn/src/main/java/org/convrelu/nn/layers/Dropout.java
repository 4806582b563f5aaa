package org.convrelu.nn.layers;

import org.convrelu.nn.AbstractLayer;
import org.convrelu.nn.Mode;
import org.convrelu.tensor.RandomStream;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Inverted dropout: in training each unit is kept with probability {@code 1 − p} and scaled by
 * {@code 1/(1 − p)}; evaluation is the identity. Masks come from a {@link MaskSource}, by default
 * a seeded {@link RandomStream}, so the same seed gives the same masks.
 */
public final class Dropout extends AbstractLayer {
    /** Where keep-masks come from. */
    @FunctionalInterface
    public interface MaskSource {
        /** A mask of 1s (keep) and 0s (drop) of the given shape and dtype, each kept with probability {@code keep}. */
        INDArray next(long[] shape, DataType type, double keep);

        /** Independent Bernoulli draws from {@code rng}. */
        static MaskSource seeded(RandomStream rng) {
            return (shape, type, keep) -> {
                long n = 1;
                for (long s : shape) {
                    n *= s;
                }
                double[] m = new double[Math.toIntExact(n)];
                for (int i = 0; i < m.length; i++) {
                    m[i] = rng.nextDouble() < keep ? 1 : 0;
                }
                return Nd4j.create(m, shape, 'c').castTo(type);
            };
        }
    }

    private final double p;
    private final MaskSource masks;
    private final RandomStream stream; // the seeded source's stream, or null for a custom source
    private INDArray scaledMask; // like x: mask / (1 − p), or null in evaluation

    public Dropout(String name, double p, MaskSource masks) {
        this(name, p, masks, null);
    }

    public Dropout(String name, double p, RandomStream rng) {
        this(name, p, MaskSource.seeded(rng), rng);
    }

    private Dropout(String name, double p, MaskSource masks, RandomStream stream) {
        super(name);
        if (!(p >= 0 && p < 1)) {
            throw new IllegalArgumentException(name + ": dropout probability must be in [0, 1), got " + p);
        }
        this.p = p;
        this.masks = masks;
        this.stream = stream;
    }

    /** The stream the masks are drawn from (for checkpoints), or null for a custom mask source. */
    public RandomStream stream() {
        return stream;
    }

    @Override
    protected INDArray doForward(INDArray x, Mode mode) {
        if (mode == Mode.EVAL || p == 0) {
            scaledMask = null;
            return x;
        }
        scaledMask = masks.next(x.shape(), x.dataType(), 1 - p).divi(1 - p);
        return x.mul(scaledMask);
    }

    @Override
    protected INDArray doBackward(INDArray dy) {
        return scaledMask == null ? dy : dy.mul(scaledMask);
    }
}
