package org.convrelu.nn.check;

import java.util.ArrayList;
import java.util.List;
import org.convrelu.nn.Layer;
import org.convrelu.nn.Mode;
import org.convrelu.nn.Param;
import org.convrelu.nn.loss.SoftmaxCrossEntropy;
import org.convrelu.tensor.Precision;
import org.convrelu.tensor.RandomStream;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Float64 central-difference gradient checker for a layer or a whole model.
 *
 * <p>For a scalar objective {@code L(layer(x))} it compares the hand-written backward pass with
 * {@code (L(v + ε) − L(v − ε)) / 2ε} for entries of {@code x} and of every parameter (all entries
 * of small tensors, a seeded sample of large ones). An entry passes when its symmetric relative
 * error {@code |a − n| / max(|a|, |n|, floor)} is at most the tolerance; the floor keeps
 * gradients that are zero up to rounding from failing on noise.
 */
public final class GradientChecker {
    private GradientChecker() {}

    /** Step ε, tolerance on the relative error, its absolute floor, entries sampled per tensor, and the sampling seed. */
    public record Options(double epsilon, double tolerance, double floor, int maxEntriesPerTensor, long seed) {
        public static Options defaults() {
            return new Options(1e-6, 1e-5, 1e-4, 48, 1);
        }

        public Options withMaxEntries(int n) {
            return new Options(epsilon, tolerance, floor, n, seed);
        }
    }

    /** One compared entry: tensor name ({@code input} or a parameter name), flat index, both gradients and the error. */
    public record Entry(String tensor, long index, double analytic, double numeric, double error) {
        @Override
        public String toString() {
            return String.format("%s[%d]: analytic %.10g, numeric %.10g, relative error %.3g", tensor, index, analytic,
                    numeric, error);
        }
    }

    /** The outcome: whether every entry passed, the worst entry, and how many were compared. */
    public record Result(boolean passed, Entry worst, int checked, double tolerance) {
        @Override
        public String toString() {
            return (passed ? "passed" : "FAILED") + ": " + checked + " entries, worst " + worst + " (tolerance "
                    + tolerance + ")";
        }
    }

    /** A scalar function of the layer's output and its gradient. */
    public interface Objective {
        double value(INDArray y);

        INDArray gradient(INDArray y);

        /** {@code L = Σ r ⊙ y} with fixed standard-normal {@code r} (drawn on first use): every output entry matters. */
        static Objective randomProjection(long seed) {
            return new Objective() {
                private INDArray r;

                private INDArray r(INDArray y) {
                    if (r == null) {
                        r = RandomStream.root(seed).child("projection").normal(Precision.FLOAT64, 0, 1, y.shape());
                    }
                    return r;
                }

                @Override
                public double value(INDArray y) {
                    return y.mul(r(y)).sumNumber().doubleValue();
                }

                @Override
                public INDArray gradient(INDArray y) {
                    return r(y).dup();
                }
            };
        }

        /** Mean softmax cross-entropy of logits {@code [N, K]} against {@code labels}. */
        static Objective crossEntropy(int[] labels) {
            SoftmaxCrossEntropy loss = new SoftmaxCrossEntropy();
            return new Objective() {
                @Override
                public double value(INDArray y) {
                    return loss.forward(y, labels);
                }

                @Override
                public INDArray gradient(INDArray y) {
                    loss.forward(y, labels);
                    return loss.backward();
                }
            };
        }
    }

    /** Checks {@code layer} at input {@code x} with a random projection objective. */
    public static Result check(Layer layer, INDArray x, Mode mode) {
        return check(layer, x, mode, Objective.randomProjection(7), Options.defaults());
    }

    public static Result check(Layer layer, INDArray x, Mode mode, Objective objective, Options options) {
        Precision.FLOAT64.require(x, "gradient check input (central differences need float64; build the layer at Precision.FLOAT64)");
        for (Param p : layer.params()) {
            Precision.FLOAT64.require(p.value(), "parameter " + p.name() + " (gradient checks need float64)");
        }
        INDArray input = x.dup('c');
        // Analytic gradients.
        layer.params().forEach(Param::zeroGrad);
        INDArray y = layer.forward(input, mode);
        INDArray dx = layer.backward(objective.gradient(y));
        List<Entry> entries = new ArrayList<>();
        RandomStream sampler = RandomStream.root(options.seed()).child("entries");
        Probe probe = new Probe(layer, input, mode, objective);
        compare("input", input, dx.dup('c'), probe, options, sampler, entries);
        for (Param p : layer.params()) {
            compare(p.name(), p.value(), p.grad().dup('c'), probe, options, sampler, entries);
        }
        Entry worst = entries.stream().max(java.util.Comparator.comparingDouble(Entry::error)).orElseThrow();
        return new Result(worst.error() <= options.tolerance(), worst, entries.size(), options.tolerance());
    }

    /** Evaluates the objective at the current values of the input and the parameters (both perturbed in place). */
    private record Probe(Layer layer, INDArray input, Mode mode, Objective objective) {
        double value() {
            return objective.value(layer.forward(input, mode));
        }
    }

    private static void compare(String name, INDArray tensor, INDArray analytic, Probe probe, Options o,
            RandomStream sampler, List<Entry> out) {
        long n = tensor.length();
        long[] indices;
        if (n <= o.maxEntriesPerTensor()) {
            indices = java.util.stream.LongStream.range(0, n).toArray();
        } else {
            int[] perm = sampler.permutation(Math.toIntExact(n));
            indices = new long[o.maxEntriesPerTensor()];
            for (int i = 0; i < indices.length; i++) {
                indices[i] = perm[i];
            }
        }
        for (long i : indices) {
            double original = tensor.getDouble(i);
            tensor.putScalar(i, original + o.epsilon());
            double plus = probe.value();
            tensor.putScalar(i, original - o.epsilon());
            double minus = probe.value();
            tensor.putScalar(i, original);
            double numeric = (plus - minus) / (2 * o.epsilon());
            double a = analytic.getDouble(i);
            double error = Math.abs(a - numeric) / Math.max(Math.max(Math.abs(a), Math.abs(numeric)), o.floor());
            out.add(new Entry(name, i, a, numeric, error));
        }
    }
}
