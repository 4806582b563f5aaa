package org.convrelu.datasets.text;

import java.util.List;
import java.util.stream.IntStream;
import org.convrelu.datasets.batch.ExampleSource;
import org.convrelu.tensor.RandomStream;

/** A {@link TextSet}, normalised once, served as one-hot frames {@code [alphabet, length]}. */
public final class TextExamples implements ExampleSource {
    private final TextSet set;
    private final CharQuantizer quantizer;
    private final TextNormaliser normaliser;
    private final List<String> normalised;

    public TextExamples(TextSet set, TextNormaliser normaliser, CharQuantizer quantizer) {
        this.set = set;
        this.quantizer = quantizer;
        this.normaliser = normaliser;
        this.normalised = IntStream.range(0, set.size()).parallel()
                .mapToObj(i -> normaliser.normalise(set.texts().get(i))).toList();
    }

    public TextNormaliser normaliser() {
        return normaliser;
    }

    public CharQuantizer quantizer() {
        return quantizer;
    }

    public String normalisedText(int i) {
        return normalised.get(i);
    }

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
        return new long[] {quantizer.alphabet().size(), quantizer.length()};
    }

    @Override
    public void write(int i, float[] dst, int offset, RandomStream rng) {
        quantizer.encode(normalised.get(i), dst, offset);
    }
}
