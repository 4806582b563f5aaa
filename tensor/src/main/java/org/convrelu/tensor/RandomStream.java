package org.convrelu.tensor;

import java.nio.charset.StandardCharsets;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A seeded, splittable stream of random numbers.
 *
 * <p>One root seed is split into named child streams ({@code root.child("init")},
 * {@code root.child("shuffle")}, ...), so that adding draws to one stream never shifts another.
 * The generator is SplitMix64 over a counter: its whole state is {@code (seed, counter)}, which
 * {@link #state()} exposes for checkpoints. There is no global state; ND4J's own RNG is never used.
 */
public final class RandomStream {
    private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;

    private final long seed;
    private long counter;

    private RandomStream(long seed, long counter) {
        this.seed = seed;
        this.counter = counter;
    }

    /** The root stream of a run. */
    public static RandomStream root(long seed) {
        return new RandomStream(mix64(seed), 0);
    }

    /** Restores a stream from {@link #state()}. */
    public static RandomStream restore(long[] state) {
        if (state.length != 2) {
            throw new IllegalArgumentException("stream state must be [seed, counter], got length " + state.length);
        }
        return new RandomStream(state[0], state[1]);
    }

    /** A child stream whose seed depends only on this stream's seed and {@code name}. */
    public RandomStream child(String name) {
        long h = seed;
        for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
            h = mix64(h ^ (b & 0xFF) ^ GOLDEN_GAMMA);
        }
        return new RandomStream(mix64(h + name.length()), 0);
    }

    /** Continues from {@code saved}'s position (for a run resumed from a checkpoint); the seeds must agree. */
    public void resumeFrom(RandomStream saved) {
        if (saved.seed != seed) {
            throw new IllegalArgumentException("cannot resume a stream from one with another seed (a different run?)");
        }
        counter = saved.counter;
    }

    /** {@code [seed, counter]}: everything needed to continue this stream. */
    public long[] state() {
        return new long[] {seed, counter};
    }

    /** The next 64 uniformly random bits. */
    public long nextLong() {
        return mix64(seed + GOLDEN_GAMMA * ++counter);
    }

    /** Uniform in [0, 1). */
    public double nextDouble() {
        return (nextLong() >>> 11) * 0x1.0p-53;
    }

    /** Uniform in [0, bound). */
    public int nextInt(int bound) {
        if (bound <= 0) {
            throw new IllegalArgumentException("bound must be positive, got " + bound);
        }
        return (int) Math.floorMod(nextLong(), (long) bound);
    }

    /** Standard normal by Box-Muller (two uniforms per draw, no cached spare, so the state stays a counter). */
    public double nextGaussian() {
        double u1 = 1.0 - nextDouble(); // (0, 1]
        double u2 = nextDouble();
        return Math.sqrt(-2.0 * Math.log(u1)) * Math.cos(2.0 * Math.PI * u2);
    }

    /** A uniformly random permutation of 0..n-1 (Fisher-Yates). */
    public int[] permutation(int n) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    /** An array of N(mean, std²) draws in c order. */
    public INDArray normal(Precision precision, double mean, double std, long... shape) {
        double[] values = new double[Math.toIntExact(length(shape))];
        for (int i = 0; i < values.length; i++) {
            values[i] = mean + std * nextGaussian();
        }
        return Nd4j.create(values, shape, 'c').castTo(precision.dataType());
    }

    /** An array of U(low, high) draws in c order. */
    public INDArray uniform(Precision precision, double low, double high, long... shape) {
        double[] values = new double[Math.toIntExact(length(shape))];
        for (int i = 0; i < values.length; i++) {
            values[i] = low + (high - low) * nextDouble();
        }
        return Nd4j.create(values, shape, 'c').castTo(precision.dataType());
    }

    private static long length(long[] shape) {
        long n = 1;
        for (long s : shape) {
            n = Math.multiplyExact(n, s);
        }
        return n;
    }

    /** Stafford's mix13 finaliser, as in SplitMix64. */
    private static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
