package org.convrelu.datasets.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import org.convrelu.datasets.image.Augmentation;
import org.convrelu.datasets.image.ChannelStats;
import org.convrelu.datasets.image.ImageSet;
import org.convrelu.datasets.text.CharQuantizer;
import org.convrelu.datasets.text.TextExamples;
import org.convrelu.datasets.text.TextNormaliser;
import org.convrelu.datasets.text.TextSet;
import org.convrelu.tensor.Batch;
import org.convrelu.tensor.RandomStream;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

class BatchLoaderTest {

    /** Ten 1×2×3 images; pixel value = 10·image + position, label = image % 3. */
    static ImageSet tiny() {
        byte[] px = new byte[10 * 6];
        int[] labels = new int[10];
        for (int i = 0; i < 10; i++) {
            for (int p = 0; p < 6; p++) {
                px[i * 6 + p] = (byte) (10 * i + p);
            }
            labels[i] = i % 3;
        }
        return new ImageSet("tiny", px, labels, 3, 1, 2, 3);
    }

    private static final ChannelStats UNIT = new ChannelStats(new double[] {0}, new double[] {1 / 255.0});

    private static List<float[]> epoch(BatchLoader loader, int e) {
        List<float[]> out = new ArrayList<>();
        for (Iterator<Batch> it = loader.epoch(e); it.hasNext(); ) {
            out.add(it.next().x().data().asFloat());
        }
        return out;
    }

    @Test
    void sameSeedSameBatchesAndEpochsDiffer() {
        ImageExamples source = new ImageExamples(tiny(), new Augmentation(1, true, UNIT));
        BatchLoader a = new BatchLoader(source, 4, BatchLoader.Order.SHUFFLE, BatchLoader.Remainder.KEEP, RandomStream.root(5), 2);
        BatchLoader b = new BatchLoader(source, 4, BatchLoader.Order.SHUFFLE, BatchLoader.Remainder.KEEP, RandomStream.root(5), 2);
        List<float[]> ea = epoch(a, 0);
        List<float[]> eb = epoch(b, 0);
        assertThat(ea).hasSize(3);
        for (int i = 0; i < ea.size(); i++) {
            assertThat(ea.get(i)).containsExactly(eb.get(i));
        }
        assertThat(a.order(0)).isNotEqualTo(a.order(1));
        BatchLoader other = new BatchLoader(source, 4, BatchLoader.Order.SHUFFLE, BatchLoader.Remainder.KEEP, RandomStream.root(6), 2);
        assertThat(other.order(0)).isNotEqualTo(a.order(0));
    }

    @Test
    void anEpochStartedAtABatchGivesTheSameBatchesFromThere() {
        ImageExamples source = new ImageExamples(tiny(), new Augmentation(1, true, UNIT));
        BatchLoader loader = new BatchLoader(source, 4, BatchLoader.Order.SHUFFLE, BatchLoader.Remainder.KEEP, RandomStream.root(5), 2);
        List<float[]> whole = epoch(loader, 1);
        List<float[]> fromSecond = new ArrayList<>();
        for (Iterator<Batch> it = loader.epoch(1, 1); it.hasNext(); ) {
            fromSecond.add(it.next().x().data().asFloat());
        }
        assertThat(fromSecond).hasSize(whole.size() - 1);
        for (int i = 0; i < fromSecond.size(); i++) {
            assertThat(fromSecond.get(i)).containsExactly(whole.get(i + 1));
        }
        assertThat(loader.epoch(1, 3).hasNext()).isFalse();
    }

    @Test
    void finalPartialBatchIsKeptOrDropped() {
        ImageExamples source = new ImageExamples(tiny(), Augmentation.none(UNIT));
        BatchLoader keep = new BatchLoader(source, 4, BatchLoader.Order.SEQUENTIAL, BatchLoader.Remainder.KEEP, RandomStream.root(1), 1);
        BatchLoader drop = new BatchLoader(source, 4, BatchLoader.Order.SEQUENTIAL, BatchLoader.Remainder.DROP, RandomStream.root(1), 1);
        List<Batch> kept = new ArrayList<>();
        keep.epoch(0).forEachRemaining(kept::add);
        assertThat(kept).extracting(Batch::size).containsExactly(4, 4, 2);
        assertThat(kept.get(2).indices()).containsExactly(8, 9);
        assertThat(kept.get(2).x().shape()).containsExactly(2, 1, 2, 3);
        assertThat(kept.get(2).x().dataType()).isEqualTo(DataType.FLOAT);
        assertThat(kept.get(0).labels()).containsExactly(0, 1, 2, 0);
        assertThat(drop.batchesPerEpoch()).isEqualTo(2);
        // Without augmentation and with unit statistics the pixels come through unchanged.
        assertThat(kept.get(0).x().getFloat(1, 0, 1, 2)).isEqualTo(15f);
    }

    @Test
    void cropAndFlipMoveThePixelsAsExpected() {
        ImageSet set = tiny();
        float[] out = new float[6];
        // Find draws that flip with no shift, and one that shifts right by one without flipping.
        boolean sawFlip = false;
        boolean sawShift = false;
        for (int s = 0; s < 200 && !(sawFlip && sawShift); s++) {
            new Augmentation(1, true, UNIT).write(set, 1, out, 0, RandomStream.root(s));
            for (int i = 0; i < out.length; i++) {
                out[i] += 0f; // a padded pixel normalises to −0 here; compare it as 0
            }
            if (Arrays.equals(out, new float[] {12, 11, 10, 15, 14, 13})) {
                sawFlip = true;
            }
            if (Arrays.equals(out, new float[] {0, 10, 11, 0, 13, 14})) {
                sawShift = true;
            }
            for (float v : out) {
                assertThat(v).isIn(0f, 10f, 11f, 12f, 13f, 14f, 15f);
            }
        }
        assertThat(sawFlip).isTrue();
        assertThat(sawShift).isTrue();
    }

    @Test
    void classBalancedOrderDrawsClassesEvenly() {
        // 8 examples of class 0, 1 of class 1, 1 of class 2.
        byte[] px = new byte[10];
        int[] labels = {0, 0, 0, 0, 0, 0, 0, 0, 1, 2};
        ImageExamples source = new ImageExamples(new ImageSet("skewed", px, labels, 3, 1, 1, 1), Augmentation.none(UNIT));
        BatchLoader loader = new BatchLoader(source, 10, BatchLoader.Order.CLASS_BALANCED, BatchLoader.Remainder.KEEP, RandomStream.root(2), 1);
        int[] perClass = new int[3];
        for (int e = 0; e < 300; e++) {
            for (int i : loader.order(e)) {
                perClass[labels[i]]++;
            }
        }
        for (int c = 0; c < 3; c++) {
            assertThat(perClass[c]).isBetween(900, 1100);
        }
    }

    @Test
    void textBatchesAreOneHotFrames() {
        TextSet set = new TextSet("t", List.of("ab", "c"), new int[] {0, 1}, 2);
        TextExamples source = new TextExamples(set, TextNormaliser.identity(), CharQuantizer.zhang());
        BatchLoader loader = new BatchLoader(source, 2, BatchLoader.Order.SEQUENTIAL, BatchLoader.Remainder.KEEP, RandomStream.root(1), 1);
        Batch b = loader.epoch(0).next();
        assertThat(b.x().shape()).containsExactly(2, 70, 1014);
        assertThat(b.x().getFloat(0, 1, 0)).isEqualTo(1f); // 'b' read first
        assertThat(b.x().getFloat(0, 0, 1)).isEqualTo(1f);
        assertThat(b.x().sumNumber().intValue()).isEqualTo(3);
    }

    @Test
    void aFailureWhileLoadingReachesTheTrainingThread() {
        ImageExamples good = new ImageExamples(tiny(), Augmentation.none(UNIT));
        ExampleSource broken = new ExampleSource() {
            @Override
            public int size() {
                return good.size();
            }

            @Override
            public int label(int i) {
                return good.label(i);
            }

            @Override
            public int classes() {
                return good.classes();
            }

            @Override
            public long[] exampleShape() {
                return good.exampleShape();
            }

            @Override
            public void write(int i, float[] dst, int offset, RandomStream rng) {
                throw new IllegalStateException("image " + i + " is unreadable");
            }
        };
        BatchLoader loader = new BatchLoader(broken, 4, BatchLoader.Order.SEQUENTIAL, BatchLoader.Remainder.KEEP, RandomStream.root(1), 1);
        assertThatThrownBy(() -> loader.epoch(0).next()).hasMessageContaining("image 0 is unreadable");
    }
}
