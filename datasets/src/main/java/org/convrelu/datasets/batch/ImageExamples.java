package org.convrelu.datasets.batch;

import org.convrelu.datasets.image.Augmentation;
import org.convrelu.datasets.image.ImageSet;
import org.convrelu.tensor.RandomStream;

/** An {@link ImageSet} served through an {@link Augmentation} as {@code [C, H, W]} floats. */
public record ImageExamples(ImageSet set, Augmentation augmentation) implements ExampleSource {
    @Override
    public int size() {
        return set.size();
    }

    @Override
    public int label(int i) {
        return set.labels()[i];
    }

    @Override
    public int classes() {
        return set.classes();
    }

    @Override
    public long[] exampleShape() {
        return new long[] {set.channels(), set.height(), set.width()};
    }

    @Override
    public void write(int i, float[] dst, int offset, RandomStream rng) {
        augmentation.write(set, i, dst, offset, rng);
    }
}
