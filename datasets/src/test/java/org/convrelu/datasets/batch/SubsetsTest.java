package org.convrelu.datasets.batch;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.convrelu.tensor.RandomStream;
import org.junit.jupiter.api.Test;

class SubsetsTest {

    @Test
    void kFoldPartitionsTheIndices() {
        List<Subsets.Split> folds = Subsets.kFold(10_662, 10, RandomStream.root(1));
        assertThat(folds).hasSize(10);
        int[] all = folds.stream().flatMapToInt(f -> Arrays.stream(f.heldOut())).sorted().toArray();
        assertThat(all).isEqualTo(IntStream.range(0, 10_662).toArray());
        for (Subsets.Split f : folds) {
            assertThat(f.heldOut().length).isBetween(1066, 1067);
            assertThat(f.train().length + f.heldOut().length).isEqualTo(10_662);
            assertThat(Arrays.stream(f.train()).filter(i -> Arrays.binarySearch(f.heldOut(), i) >= 0)).isEmpty();
        }
        assertThat(Subsets.kFold(100, 10, RandomStream.root(1)).get(0).heldOut())
                .isEqualTo(Subsets.kFold(100, 10, RandomStream.root(1)).get(0).heldOut());
    }

    @Test
    void stratifiedHoldOutKeepsClassProportions() {
        int[] labels = new int[1000];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = i < 800 ? 0 : 1;
        }
        Subsets.Split s = Subsets.stratifiedHoldOut(labels, 2, 0.1, RandomStream.root(3));
        assertThat(s.heldOut()).hasSize(100);
        assertThat(Arrays.stream(s.heldOut()).filter(i -> labels[i] == 1).count()).isEqualTo(20);
        assertThat(s.train()).hasSize(900);
    }

    @Test
    void firstPerClassTakesTheEarliestExamples() {
        assertThat(Subsets.firstPerClass(new int[] {1, 0, 1, 0, 1, 0}, 2, 2)).containsExactly(0, 1, 2, 3);
    }
}
