package org.convrelu.tensor;

import org.junit.jupiter.api.Test;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class RandomStreamTest {

    @Test
    void sameSeedSameNumbers() {
        RandomStream a = RandomStream.root(7).child("init");
        RandomStream b = RandomStream.root(7).child("init");
        for (int i = 0; i < 100; i++) {
            assertThat(a.nextLong()).isEqualTo(b.nextLong());
        }
        assertThat(RandomStream.root(7).nextLong()).isNotEqualTo(RandomStream.root(8).nextLong());
    }

    @Test
    void childStreamsAreIndependentOfTheParentsDraws() {
        RandomStream root = RandomStream.root(11);
        long first = root.child("shuffle").nextLong();
        root.nextLong();
        root.child("init").nextLong();
        assertThat(root.child("shuffle").nextLong()).isEqualTo(first);
        assertThat(root.child("init").nextLong()).isNotEqualTo(first);
    }

    @Test
    void stateRestoresTheStreamMidway() {
        RandomStream s = RandomStream.root(3).child("augment");
        for (int i = 0; i < 17; i++) {
            s.nextDouble();
        }
        RandomStream restored = RandomStream.restore(s.state());
        assertThat(restored.nextGaussian()).isEqualTo(s.nextGaussian());
    }

    @Test
    void gaussianAndUniformHaveTheirMoments() {
        RandomStream s = RandomStream.root(5);
        int n = 200_000;
        double sum = 0, sq = 0, usum = 0;
        for (int i = 0; i < n; i++) {
            double g = s.nextGaussian();
            sum += g;
            sq += g * g;
            usum += s.nextDouble();
        }
        assertThat(sum / n).isCloseTo(0, within(0.01));
        assertThat(sq / n).isCloseTo(1, within(0.02));
        assertThat(usum / n).isCloseTo(0.5, within(0.005));
    }

    @Test
    void permutationIsAPermutation() {
        int[] p = RandomStream.root(1).permutation(1000);
        assertThat(p).hasSize(1000);
        assertThat(java.util.Arrays.stream(p).sorted().toArray())
                .isEqualTo(java.util.stream.IntStream.range(0, 1000).toArray());
        assertThat(p).isNotEqualTo(java.util.stream.IntStream.range(0, 1000).toArray());
    }
}
