package org.convrelu.reports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportsTest {
    @TempDir
    Path tmp;

    static Report sample() {
        Provenance p = new Provenance("mvn verify -Pexperiments", "smoke", "abc1234", "2026-11-29T00:00Z", "17.0.15",
                "CPU (oneDNN)", Map.of("cifar10", "md5 ok"), List.of(1L, 2L, 3L), Map.of("convrelu", "direct", "conv", "nd4j"));
        List<Report.Entry> cells = List.of(
                new Report.Entry("ReLU", "CIFAR-10", "top1_pct", 94.29, List.of(40.0, 42.0, 44.0), "measured", null),
                new Report.Entry("ConvReLU", "CIFAR-10", "top1_pct", 94.72, List.of(43.0, 45.0, 47.5), "measured", null),
                new Report.Entry("ReLU", "CIFAR-100", "top1_pct", 75.87, List.of(), "not_run", "CIFAR-100 is not in the data directory"));
        List<PairedDifferences.Observation> column = new java.util.ArrayList<>();
        double[] relu = {40, 42, 44};
        double[] convRelu = {43, 45, 47.5};
        for (int s = 0; s < 3; s++) {
            column.add(new PairedDifferences.Observation("ReLU", s + 1, 0, relu[s]));
            column.add(new PairedDifferences.Observation("ConvReLU", s + 1, 0, convRelu[s]));
        }
        Report.Comparison c = new Report.Comparison("CIFAR-10", "ConvReLU", "ReLU",
                PairedDifferences.of(column).difference("ConvReLU", "ReLU"), 94.72 - 94.29);
        return new Report("1", "Image classification, top-1 accuracy", "smoke", "Function", List.of("ReLU", "ConvReLU"),
                List.of("CIFAR-10", "CIFAR-100"), cells, List.of(c),
                List.of(new Report.Activity("ConvReLU / CIFAR-10", "block1.layer1.conv1", "ConvReLU", 1024, 0.01, 0.4)),
                List.of(new Report.Protocol("CIFAR-10, DenseNet-40", List.of(new Report.ProtocolField("batch", "64", "ours",
                        "scale smoke | fewer images")))), List.of("a note"), p);
    }

    @Test
    void csvReadBackEqualsWhatWasWritten() {
        Report r = sample();
        Path f = tmp.resolve("table1.csv");
        CsvReport.write(f, r);
        List<CsvReport.Row> rows = CsvReport.read(f);
        assertThat(rows).hasSize(3);
        CsvReport.Row relu = rows.get(0);
        assertThat(relu.table()).isEqualTo("1");
        assertThat(relu.row()).isEqualTo("ReLU");
        assertThat(relu.published()).isEqualTo(94.29);
        assertThat(relu.reproduced()).isEqualTo(42.0);
        assertThat(relu.reproducedSd()).isEqualTo(2.0);
        assertThat(relu.runs()).isEqualTo(3);
        assertThat(relu.scale()).isEqualTo("smoke");
        assertThat(relu.status()).isEqualTo("measured");
        assertThat(relu.ciLow()).isCloseTo(42 - 4.303 * 2 / Math.sqrt(3), within(1e-3));
        CsvReport.Row missing = rows.get(2);
        assertThat(missing.status()).isEqualTo("not_run");
        assertThat(missing.reproduced()).isNull();
        assertThat(missing.runs()).isZero();
        assertThat(missing.note()).contains("not in the data directory");
        assertThat(tmp).isDirectoryNotContaining("glob:**.tmp");
    }

    @Test
    void markdownOpensWithScaleAndProvenanceAndSaysNotRun() {
        String md = MarkdownReport.format(sample());
        assertThat(md).startsWith("# Table 1: Image classification, top-1 accuracy")
                .contains("Scale: **smoke**").contains("not a reproduction")
                .contains("| git commit | abc1234 |").contains("| seeds | [1, 2, 3] |").contains("| data: cifar10 | md5 ok |")
                .contains("| implementation: conv | nd4j |\n| implementation: convrelu | direct |")
                .contains("| ReLU | 94.29 | 42.00 ± 2.00 [")
                .contains("not run (not_run)")
                .contains("| CIFAR-10 | ConvReLU − ReLU | +3.17 [+2.45, +3.88] | 0.17 | paired, 3 shared blocks, residual df 2 |")
                .contains("too few seeds (residual df 2.0 < 4)").contains("binomial")
                .contains("| ConvReLU / CIFAR-10 | block1.layer1.conv1 | ConvReLU | 1024 | 0.010 | 0.400 |")
                .contains("## Protocol").contains("### CIFAR-10, DenseNet-40")
                .contains("| batch | 64 | ours | scale smoke \\| fewer images |");
    }

    /**
     * Verdicts come from Holm-adjusted p-values over the differences that have one (20 df each):
     * t = 5, −3 and 0.75 give raw p ≈ 6.6e-5, 0.0071 and 0.46, adjusted ×3, ×2 and ×1. Three raw
     * p-values of 0.036–0.046 each exclude 0 alone, and none survives the adjustment.
     */
    @Test
    void verdictsAreHolmAdjustedAndNeedEnoughDegreesOfFreedom() {
        Report.Comparison ahead = comparison("ReLU", 2.0, 0.4); // t = 5 on 20 df: p ≈ 6.6e-5
        Report.Comparison behind = comparison("PReLU", -1.2, 0.4); // t = −3: p ≈ 0.0071
        Report.Comparison small = comparison("LeakyReLU", 0.3, 0.4); // t = 0.75: p ≈ 0.46
        Report.Comparison fewSeeds = new Report.Comparison("CIFAR-10", "ConvReLU", "PReLU (A)",
                PairedDifferences.Difference.of(3, 0.5, 2, PairedDifferences.Method.PAIRED, 3, 3, 3), 0.69);
        Report.Comparison oneSeed = new Report.Comparison("CIFAR-100", "ConvReLU", "ReLU",
                PairedDifferences.welch(new double[] {40}, new double[] {41}), 0.54);
        Report.Comparison notRun = new Report.Comparison("Tiny ImageNet", "ConvReLU", "ReLU", null, 0.16);
        List<Report.Comparison> alone = Report.Comparison.adjusted(List.of(ahead, fewSeeds, oneSeed, notRun));
        assertThat(alone).extracting(Report.Comparison::reading).containsExactly(Report.Reading.AHEAD, Report.Reading.TOO_FEW_SEEDS,
                Report.Reading.NO_INTERVAL, Report.Reading.NOT_RUN);
        List<Report.Comparison> all = Report.Comparison.adjusted(List.of(ahead, behind, small, fewSeeds, oneSeed, notRun));
        assertThat(all.get(1).difference().p()).isLessThan(0.05);
        assertThat(all.get(1).holmP()).isCloseTo(2 * all.get(1).difference().p(), within(1e-12)); // second smallest of 3
        assertThat(all).extracting(Report.Comparison::reading).containsExactly(Report.Reading.AHEAD, Report.Reading.BEHIND,
                Report.Reading.UNRESOLVED, Report.Reading.TOO_FEW_SEEDS, Report.Reading.NO_INTERVAL, Report.Reading.NOT_RUN);
        String reading = MarkdownReport.reading(all);
        assertThat(reading).startsWith("Reading: of 3 differences with a verdict, 1 ahead (the first named better), 1 behind and 1 not"
                + " resolved, after Holm's adjustment; 3 more are not run or have too few seeds")
                .contains("These seeds detect a difference of 1.18 points with 80% power") // (2.0860 + 0.8600) · 0.4
                .contains("against published differences of 0.14 to 0.43 points");
        assertThat(MarkdownReport.reading(List.of(fewSeeds, oneSeed, notRun))).contains("neither support nor contradict");
        List<Report.Comparison> crowded = Report.Comparison.adjusted(List.of(comparison("PReLU", -0.9, 0.4), // t = −2.25: p ≈ 0.036
                comparison("LeakyReLU (A)", -0.88, 0.4), comparison("X", 0.85, 0.4))); // p ≈ 0.040 and 0.046
        assertThat(crowded).extracting(Report.Comparison::reading).containsOnly(Report.Reading.UNRESOLVED);
        assertThat(crowded.get(0).rawIntervalExcludesZero()).isTrue();
        String md = MarkdownReport.format(new Report("1", "t", "reduced", "Function", List.of(), List.of(), List.of(), crowded, List.of(),
                List.of(), List.of(), sample().provenance()));
        assertThat(md).contains("not resolved (detectable with these seeds: ≥ 1.18; the raw interval excludes 0)");
    }

    /** ConvReLU − baseline with this estimate and SE on 20 residual df (paired, 10 seeds), published +0.43 or +0.14. */
    private static Report.Comparison comparison(String baseline, double estimate, double se) {
        return new Report.Comparison("CIFAR-10", "ConvReLU", baseline,
                PairedDifferences.Difference.of(estimate, se, 20, PairedDifferences.Method.PAIRED, 10, 10, 10),
                baseline.equals("ReLU") ? 0.43 : 0.14);
    }

    @Test
    void differencesCsvGivesEachIntervalItsAnalysisAndVerdict() throws Exception {
        List<org.apache.commons.csv.CSVRecord> rows = org.apache.commons.csv.CSVFormat.RFC4180.builder().setHeader()
                .setSkipHeaderRecord(true).get().parse(new java.io.StringReader(CsvReport.formatDifferences(sample()))).getRecords();
        assertThat(rows).singleElement().satisfies(r -> {
            assertThat(r.get("baseline")).isEqualTo("ReLU");
            assertThat(Double.parseDouble(r.get("difference"))).isCloseTo(3.1667, within(1e-3));
            // paired: differences 3, 3, 3.5 with sd 0.288675, SE 0.166667, t(0.975, 2) = 4.3027
            assertThat(Double.parseDouble(r.get("se"))).isCloseTo(0.166667, within(1e-5));
            assertThat(Double.parseDouble(r.get("ci95_low"))).isCloseTo(3.16667 - 4.3027 * 0.166667, within(1e-3));
            assertThat(r.get("df")).isEqualTo("2");
            assertThat(r.get("method")).isEqualTo("paired");
            assertThat(r.get("shared_blocks")).isEqualTo("3");
            assertThat(r.get("p_holm")).isEmpty();
            assertThat(r.get("verdict")).isEqualTo("too_few_seeds");
        });
    }

    @Test
    void publishedNumbersAreTheTranscribedTables() {
        assertThat(Published.value("1", "convrelu", "cifar100")).contains(76.41);
        assertThat(Published.value("2", "prelu_all", "mr")).contains(79.83);
        assertThat(Published.value("6", "convrelu", "params")).contains(1_038_184.0);
        assertThat(Published.table("5")).hasSize(3);
        assertThat(Published.table("1")).hasSize(18);
        assertThat(Published.table("2")).hasSize(18);
        assertThat(Published.table("3")).hasSize(12);
        assertThat(Published.table("4")).hasSize(6);
        assertThat(Published.table("6")).hasSize(12);
        assertThat(Published.value("1", "convrelu", "mr")).isEmpty();
    }

    @Test
    void estimatesFollowStudent() {
        Stats.Estimate e = Stats.estimate(new double[] {1, 2, 3, 4});
        assertThat(e.mean()).isEqualTo(2.5);
        assertThat(e.sd()).isCloseTo(1.2910, within(1e-4));
        assertThat(e.high() - e.mean()).isCloseTo(3.1824 * 1.2910 / 2, within(1e-3));
        assertThat(Stats.estimate(new double[] {5}).hasInterval()).isFalse();
    }

    @Test
    void figuresAreWrittenAsPngAndSvg() throws Exception {
        Plots.lines(tmp.resolve("figure5"), "curves", "epoch", "top-1 (%)",
                Map.of("ReLU", new double[][] {{1, 2, 3}, {10, 20, 25}}, "ConvReLU", new double[][] {{1, 2, 3}, {12, 22, 27}}));
        Plots.histogram(tmp.resolve("figure6"), "thresholds", "θ", new double[] {-0.01, 0, 0.002, 0.003, 0.02}, 10);
        for (String f : new String[] {"figure5.png", "figure5.svg", "figure6.png", "figure6.svg"}) {
            assertThat(Files.size(tmp.resolve(f))).as(f).isGreaterThan(1000);
        }
        assertThat(Files.readString(tmp.resolve("figure6.svg"))).contains("<svg");
    }

    @Test
    void histogramTicksUseRoundSteps() {
        assertThat(Plots.roundStep(0.096)).isCloseTo(0.1, within(1e-12));
        assertThat(Plots.roundStep(0.1)).isCloseTo(0.1, within(1e-12));
        assertThat(Plots.roundStep(0.13)).isCloseTo(0.2, within(1e-12));
        assertThat(Plots.roundStep(0.21)).isCloseTo(0.25, within(1e-12));
        assertThat(Plots.roundStep(3.2)).isCloseTo(5, within(1e-12));
        assertThat(Plots.roundStep(7)).isCloseTo(10, within(1e-12));
    }
}
