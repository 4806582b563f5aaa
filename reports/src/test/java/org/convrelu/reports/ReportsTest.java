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
        List<Report.Cell> cells = List.of(
                new Report.Cell("ReLU", "CIFAR-10", "top1_pct", 94.29, List.of(40.0, 42.0, 44.0), "measured", null),
                new Report.Cell("ConvReLU", "CIFAR-10", "top1_pct", 94.72, List.of(43.0, 45.0, 47.5), "measured", null),
                new Report.Cell("ReLU", "CIFAR-100", "top1_pct", 75.87, List.of(), "not_run", "CIFAR-100 is not in the data directory"));
        Report.Comparison c = new Report.Comparison("CIFAR-10", "ConvReLU", "ReLU",
                Stats.difference(new double[] {43, 45, 47.5}, new double[] {40, 42, 44}), 94.72 - 94.29);
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
                .contains("| CIFAR-10 | ConvReLU − ReLU | +3.17 [")
                .contains("| ConvReLU / CIFAR-10 | block1.layer1.conv1 | ConvReLU | 1024 | 0.010 | 0.400 |")
                .contains("## Protocol").contains("### CIFAR-10, DenseNet-40")
                .contains("| batch | 64 | ours | scale smoke \\| fewer images |");
    }

    @Test
    void eachDifferenceIsReadBySideOfZeroAndTheReadingCountsThem() {
        Report.Comparison ahead = new Report.Comparison("CIFAR-10", "ConvReLU", "ReLU",
                Stats.difference(new double[] {46, 46.5, 47}, new double[] {40, 40.5, 41}), 0.43);
        Report.Comparison behind = new Report.Comparison("CIFAR-10", "ConvReLU", "PReLU",
                Stats.difference(new double[] {40, 40.5, 41}, new double[] {45, 45.5, 46}), 0.14);
        Report.Comparison spans = new Report.Comparison("CIFAR-10", "ConvReLU", "LeakyReLU",
                Stats.difference(new double[] {40, 42, 44}, new double[] {41, 42, 43}), 0.27);
        Report.Comparison oneSeed = new Report.Comparison("CIFAR-100", "ConvReLU", "ReLU",
                Stats.difference(new double[] {40}, new double[] {41}), 0.54);
        Report.Comparison notRun = new Report.Comparison("Tiny ImageNet", "ConvReLU", "ReLU", null, 0.16);
        assertThat(List.of(ahead, behind, spans, oneSeed, notRun)).extracting(Report.Comparison::reading).containsExactly(
                Report.Reading.AHEAD, Report.Reading.BEHIND, Report.Reading.UNRESOLVED, Report.Reading.ONE_SEED, Report.Reading.NOT_RUN);
        String reading = MarkdownReport.reading(List.of(ahead, behind, spans, oneSeed, notRun));
        assertThat(reading).startsWith("Reading: of 3 differences with an interval, 1 above 0 (the first named ahead), 1 below 0"
                + " and 1 spanning 0 (not resolved); 2 more are not run or have one seed")
                .contains("against published differences of 0.14 to 0.43 points"); // of the three with an interval
        assertThat(MarkdownReport.reading(List.of(oneSeed, notRun))).contains("neither support nor contradict");
        assertThat(MarkdownReport.format(sample())).contains("| +0.43 | not resolved: the interval spans 0 |") // +3.17 [−1.69, +8.03]
                .contains("The interval reaches ±4.86 points, against a published difference of 0.43 points;");
    }

    @Test
    void differencesCsvGivesEachIntervalAndItsReading() throws Exception {
        List<org.apache.commons.csv.CSVRecord> rows = org.apache.commons.csv.CSVFormat.RFC4180.builder().setHeader()
                .setSkipHeaderRecord(true).get().parse(new java.io.StringReader(CsvReport.formatDifferences(sample()))).getRecords();
        assertThat(rows).singleElement().satisfies(r -> {
            assertThat(r.get("baseline")).isEqualTo("ReLU");
            assertThat(Double.parseDouble(r.get("difference"))).isCloseTo(3.1667, within(1e-3));
            assertThat(Double.parseDouble(r.get("ci95_low"))).isCloseTo(-1.6917, within(1e-3));
            assertThat(r.get("seeds")).isEqualTo("3");
            assertThat(r.get("reading")).isEqualTo("unresolved");
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
    void statisticsFollowStudentAndWelch() {
        Stats.Estimate e = Stats.estimate(new double[] {1, 2, 3, 4});
        assertThat(e.mean()).isEqualTo(2.5);
        assertThat(e.sd()).isCloseTo(1.2910, within(1e-4));
        assertThat(e.high() - e.mean()).isCloseTo(3.1824 * 1.2910 / 2, within(1e-3));
        assertThat(Stats.estimate(new double[] {5}).hasInterval()).isFalse();
        Stats.Estimate d = Stats.difference(new double[] {10, 11, 12}, new double[] {1, 2, 3});
        assertThat(d.mean()).isEqualTo(9.0);
        assertThat(d.low()).isGreaterThan(0);
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
}
