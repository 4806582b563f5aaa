package org.convrelu.reports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import org.convrelu.reports.PairedDifferences.Difference;
import org.convrelu.reports.PairedDifferences.Method;
import org.convrelu.reports.PairedDifferences.Observation;
import org.junit.jupiter.api.Test;

/** The seed-paired analysis against values worked out by hand and textbook quantiles, not by the library under test. */
class PairedDifferencesTest {

    /** {@code values[row][seed]} as observations of rows "A", "B", … and seeds 1, 2, …. */
    private static List<Observation> layout(double[][] values) {
        List<Observation> out = new ArrayList<>();
        for (int r = 0; r < values.length; r++) {
            for (int s = 0; s < values[r].length; s++) {
                out.add(new Observation(String.valueOf((char) ('A' + r)), s + 1, 0, values[r][s]));
            }
        }
        return out;
    }

    /**
     * μ = 80, row effects (0, +0.5, −0.3), seed effects (0, +0.2, −0.4) and residuals
     * [[+0.1, −0.1, 0], [−0.1, +0.1, 0], [0, 0, 0]], whose rows and columns sum to 0: the residual
     * sum of squares is 0.04 on (3 − 1)(3 − 1) = 4 df, σ² = 0.01, and a difference of two rows has
     * SE √(2 · 0.01 / 3) = 0.081650.
     */
    @Test
    void twoWayLayoutRecoversTheKnownResidualAndRowEffects() {
        PairedDifferences column = PairedDifferences.of(layout(new double[][] {
            {80.1, 80.1, 79.6},
            {80.4, 80.8, 80.1},
            {79.7, 79.9, 79.3}}));
        assertThat(column.residualDf()).isEqualTo(4);
        assertThat(column.residualVariance()).isCloseTo(0.01, within(1e-12));
        Difference d = column.difference("B", "A");
        assertThat(d.method()).isEqualTo(Method.PAIRED);
        assertThat(d.blocks()).isEqualTo(3);
        assertThat(d.estimate()).isCloseTo(0.5, within(1e-12));
        assertThat(d.se()).isCloseTo(0.0816497, within(1e-6));
        assertThat(d.df()).isEqualTo(4);
        // t(0.975, 4) = 2.7764 (tables): 0.5 ± 0.22670
        assertThat(d.low()).isCloseTo(0.27330, within(1e-4));
        assertThat(d.high()).isCloseTo(0.72670, within(1e-4));
        // t = 0.5 / 0.0816497 = 6.1237 on 4 df: two-sided p = 0.00360
        assertThat(d.p()).isCloseTo(0.00360, within(2e-5));
        // (t(0.975, 4) + t(0.80, 4)) · SE = (2.7764 + 0.9410) · 0.0816497
        assertThat(d.detectable()).isCloseTo(0.30352, within(1e-4));
        assertThat(column.difference("C", "A").estimate()).isCloseTo(-0.3, within(1e-12));
        assertThat(column.difference("C", "B").se()).isCloseTo(0.0816497, within(1e-6));
    }

    /** Cross-validation: a block is a (seed, fold); with two rows the analysis is the paired t over the four blocks. */
    @Test
    void foldsAreBlocksOfTheirOwn() {
        List<Observation> obs = new ArrayList<>();
        double[] a = {60, 61, 62, 63};
        double[] differences = {1.0, 1.2, 0.8, 1.0};
        for (int k = 0; k < 4; k++) {
            long seed = 1 + k / 2;
            int fold = 1 + k % 2;
            obs.add(new Observation("A", seed, fold, a[k]));
            obs.add(new Observation("B", seed, fold, a[k] + differences[k]));
        }
        Difference d = PairedDifferences.of(obs).difference("B", "A");
        assertThat(d.blocks()).isEqualTo(4);
        assertThat(d.df()).isEqualTo(3);
        assertThat(d.estimate()).isCloseTo(1.0, within(1e-12));
        // sd of the differences √(0.08 / 3) = 0.163299, over √4
        assertThat(d.se()).isCloseTo(0.0816497, within(1e-6));
        assertThat(d.seedsA()).isEqualTo(2);
    }

    /** With some cells missing the two-way fit still uses every result: the balanced part's estimate is unchanged by a lone extra seed. */
    @Test
    void aSeedOnlyOneRowRanAddsNoResidual() {
        List<Observation> obs = new ArrayList<>(layout(new double[][] {
            {80.1, 80.1, 79.6},
            {80.4, 80.8, 80.1},
            {79.7, 79.9, 79.3}}));
        obs.add(new Observation("A", 9, 0, 70)); // seed 9, only in row A: its block effect absorbs it
        PairedDifferences column = PairedDifferences.of(obs);
        assertThat(column.residualDf()).isEqualTo(4);
        assertThat(column.residualVariance()).isCloseTo(0.01, within(1e-12));
        assertThat(column.difference("B", "A").estimate()).isCloseTo(0.5, within(1e-10));
        assertThat(column.difference("B", "A").seedsB()).isEqualTo(4); // A, the baseline, ran seeds 1, 2, 3 and 9
    }

    /** a = [1, 2, 3, 4], b = [2, 4, 6]: SE √(1.6667/4 + 4/3) = √1.75, Satterthwaite df 3.0625 / 0.946759 = 3.23472. */
    @Test
    void rowsThatShareNoSeedFallBackToWelch() {
        List<Observation> obs = new ArrayList<>();
        double[] a = {1, 2, 3, 4};
        double[] b = {2, 4, 6};
        for (int i = 0; i < a.length; i++) {
            obs.add(new Observation("A", i + 1, 0, a[i]));
        }
        for (int i = 0; i < b.length; i++) {
            obs.add(new Observation("B", i + 11, 0, b[i]));
        }
        Difference d = PairedDifferences.of(obs).difference("A", "B");
        assertThat(d.method()).isEqualTo(Method.WELCH);
        assertThat(d.estimate()).isCloseTo(-1.5, within(1e-12));
        assertThat(d.se()).isCloseTo(Math.sqrt(1.75), within(1e-12));
        assertThat(d.df()).isCloseTo(3.23472, within(1e-5));
        assertThat(d.decidable()).isFalse(); // 3.2 df < 4: too few seeds for a verdict
        assertThat(d.methodText()).contains("Welch (no shared seeds)");
    }

    @Test
    void aZeroStandardErrorGivesNoIntervalRatherThanOneOfZeroWidth() {
        Difference d = PairedDifferences.of(layout(new double[][] {{1, 2, 3}, {2, 3, 4}})).difference("B", "A");
        assertThat(d.estimate()).isCloseTo(1, within(1e-12));
        assertThat(d.hasInterval()).isFalse();
        assertThat(d.low()).isNaN();
        assertThat(PairedDifferences.welch(new double[] {1}, new double[] {2, 3}).hasInterval()).isFalse();
    }

    /** p = (0.01, 0.04, 0.03, 0.005): sorted ×4, ×3, ×2, ×1 = 0.02, 0.03, 0.06, 0.04 → made monotone 0.02, 0.03, 0.06, 0.06. */
    @Test
    void holmStepsDownAndStaysMonotone() {
        double[] adjusted = PairedDifferences.holm(new double[] {0.01, 0.04, 0.03, 0.005, Double.NaN});
        assertThat(adjusted[0]).isCloseTo(0.03, within(1e-12));
        assertThat(adjusted[1]).isCloseTo(0.06, within(1e-12));
        assertThat(adjusted[2]).isCloseTo(0.06, within(1e-12));
        assertThat(adjusted[3]).isCloseTo(0.02, within(1e-12));
        assertThat(adjusted[4]).isNaN();
        assertThat(PairedDifferences.holm(new double[] {0.5, 0.9})).containsExactly(1.0, 1.0);
    }

    /**
     * The normal-theory power rule: z(0.975) + z(0.80) = 1.959964 + 0.841621 = 2.801585 standard
     * errors (Lehr's "16 / Δ²" per group); with 10 df the t quantiles 2.2281 + 0.8791 of the tables.
     */
    @Test
    void detectableDifferenceFollowsThePowerFormula() {
        assertThat(PairedDifferences.detectable(1, 1e7)).isCloseTo(2.801585, within(1e-4));
        assertThat(PairedDifferences.detectable(0.5, 10)).isCloseTo(0.5 * (2.2281 + 0.8791), within(2e-4));
    }
}
