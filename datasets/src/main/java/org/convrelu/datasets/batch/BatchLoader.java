package org.convrelu.datasets.batch;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import org.convrelu.tensor.Batch;
import org.convrelu.tensor.BatchStream;
import org.convrelu.tensor.RandomStream;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Seeded mini-batches of an {@link ExampleSource}, assembled on a background thread so that
 * loading and augmentation overlap with training.
 *
 * <p>An epoch's order and augmentation depend only on the root stream and the epoch number
 * (streams {@code order/e} and {@code augment/e/i}), so the same seed gives the same batches,
 * and a resumed run sees the batches an uninterrupted one would.
 */
public final class BatchLoader implements BatchStream {
    /** How an epoch visits the examples. */
    public enum Order {
        /** Each example once, in a seeded random order. */
        SHUFFLE,
        /** Each example once, in index order (evaluation). */
        SEQUENTIAL,
        /** As many draws as examples, each picking a class uniformly, then an example of that class (Zhang et al.). */
        CLASS_BALANCED
    }

    /** What to do with a final batch smaller than the batch size. */
    public enum Remainder { KEEP, DROP }

    private final ExampleSource source;
    private final int batchSize;
    private final Order order;
    private final Remainder remainder;
    private final RandomStream root;
    private final int prefetch;

    public BatchLoader(ExampleSource source, int batchSize, Order order, Remainder remainder, RandomStream root, int prefetch) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be ≥ 1, got " + batchSize);
        }
        this.source = source;
        this.batchSize = batchSize;
        this.order = order;
        this.remainder = remainder;
        this.root = root;
        this.prefetch = Math.max(1, prefetch);
    }

    public ExampleSource source() {
        return source;
    }

    /** Batches in one epoch. */
    @Override
    public int batchesPerEpoch() {
        int n = source.size();
        return remainder == Remainder.DROP ? n / batchSize : (n + batchSize - 1) / batchSize;
    }

    @Override
    public int examplesPerEpoch() {
        return remainder == Remainder.DROP ? batchesPerEpoch() * batchSize : source.size();
    }

    /** The example indices of epoch {@code epoch}, in visiting order. */
    public int[] order(int epoch) {
        RandomStream rng = root.child("order/" + epoch);
        int n = source.size();
        return switch (order) {
            case SEQUENTIAL -> java.util.stream.IntStream.range(0, n).toArray();
            case SHUFFLE -> rng.permutation(n);
            case CLASS_BALANCED -> classBalanced(rng, n);
        };
    }

    private int[] classBalanced(RandomStream rng, int draws) {
        List<List<Integer>> byClass = new ArrayList<>();
        for (int c = 0; c < source.classes(); c++) {
            byClass.add(new ArrayList<>());
        }
        for (int i = 0; i < source.size(); i++) {
            byClass.get(source.label(i)).add(i);
        }
        List<List<Integer>> present = byClass.stream().filter(l -> !l.isEmpty()).toList();
        int[] out = new int[draws];
        for (int i = 0; i < draws; i++) {
            List<Integer> members = present.get(rng.nextInt(present.size()));
            out[i] = members.get(rng.nextInt(members.size()));
        }
        return out;
    }

    /** The batches of one epoch, assembled ahead on a daemon thread. */
    @Override
    public Iterator<Batch> epoch(int epoch) {
        return epoch(epoch, 0);
    }

    /** The batches of one epoch from batch {@code from} on (each batch depends only on the epoch and its position). */
    @Override
    public Iterator<Batch> epoch(int epoch, int from) {
        int[] indices = order(epoch);
        int batches = batchesPerEpoch();
        if (from < 0 || from > batches) {
            throw new IllegalArgumentException("an epoch has " + batches + " batches; cannot start at batch " + from);
        }
        BlockingQueue<Object> queue = new ArrayBlockingQueue<>(prefetch);
        Thread producer = new Thread(() -> {
            try {
                for (int b = from; b < batches; b++) {
                    queue.put(assemble(epoch, indices, b));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                try {
                    queue.put(e);
                } catch (InterruptedException ignored) {
                    Thread.currentThread().interrupt();
                }
            }
        }, "batch-loader-epoch-" + epoch);
        producer.setDaemon(true);
        producer.start();
        return new Iterator<>() {
            private int taken = from;

            @Override
            public boolean hasNext() {
                return taken < batches;
            }

            @Override
            public Batch next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                Object item;
                try {
                    item = queue.take();
                } catch (InterruptedException e) {
                    producer.interrupt();
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while waiting for a batch", e);
                }
                if (item instanceof RuntimeException e) {
                    throw e;
                }
                taken++;
                return (Batch) item;
            }
        };
    }

    /** Batch {@code b} of an epoch, built on the calling thread. */
    Batch assemble(int epoch, int[] indices, int b) {
        int from = b * batchSize;
        int to = Math.min(indices.length, from + batchSize);
        int size = to - from;
        int exampleSize = source.exampleSize();
        float[] data = new float[size * exampleSize];
        int[] labels = new int[size];
        int[] which = new int[size];
        RandomStream augment = root.child("augment/" + epoch);
        for (int k = 0; k < size; k++) {
            int i = indices[from + k];
            source.write(i, data, k * exampleSize, augment.child(Integer.toString(from + k)));
            labels[k] = source.label(i);
            which[k] = i;
        }
        long[] shape = new long[1 + source.exampleShape().length];
        shape[0] = size;
        System.arraycopy(source.exampleShape(), 0, shape, 1, shape.length - 1);
        // one bulk copy into native memory, far faster than Nd4j.create(float[], …) (docs/performance.md)
        INDArray x = Nd4j.createUninitialized(DataType.FLOAT, shape, 'c');
        x.data().asNioFloat().put(data);
        return new Batch(x, labels, which);
    }
}
