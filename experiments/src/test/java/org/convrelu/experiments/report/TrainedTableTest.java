package org.convrelu.experiments.report;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.convrelu.datasets.Dataset;
import org.convrelu.experiments.paper.PaperTable;
import org.convrelu.experiments.paper.Table1;
import org.convrelu.experiments.paper.Table5;
import org.convrelu.experiments.recipe.Cell;
import org.convrelu.experiments.recipe.Scale;
import org.convrelu.experiments.run.CellResult;
import org.convrelu.reports.Provenance;
import org.convrelu.reports.Report;
import org.junit.jupiter.api.Test;
import static org.assertj.core.api.Assertions.assertThat;

/** A trained table reports what ran: complete cells, incomplete ones over the seeds that ran, and cells that did not run. */
class TrainedTableTest {
    /** Table 5 at reduced scale with seeds 1–3, where R1 ran every seed, R2 seeds 1 and 2, R3 none. */
    private static class PartlyRun implements TableContext {
        final Map<String, Double> top1 = new HashMap<>();
        final String partialData;

        PartlyRun(PaperTable t) {
            this(t, null);
        }

        /** The same runs, each trained on less than the official splits as {@code partialData} says (null: the whole splits). */
        PartlyRun(PaperTable t, String partialData) {
            this.partialData = partialData;
            List<PaperTable.Entry> entries = t.entries(Scale.REDUCED);
            double[][] values = {{81.4, 81.1, 81.7}, {79.5, 79.9}, {}};
            for (int e = 0; e < entries.size(); e++) {
                for (int s = 0; s < values[e].length; s++) {
                    top1.put(entries.get(e).cell().withSeed(s + 1).key(), values[e][s]);
                }
            }
        }

        @Override
        public Scale scale() {
            return Scale.REDUCED;
        }

        @Override
        public List<Long> seeds() {
            return List.of(1L, 2L, 3L);
        }

        @Override
        public List<PaperTable.Entry> entries(PaperTable table) {
            return table.entries(Scale.REDUCED);
        }

        @Override
        public CellResult run(Cell cell) {
            Double v = top1.get(cell.key());
            return v == null ? CellResult.notRun(cell, "not trained yet")
                    : new CellResult(cell.key(), cell.canonical(), "ok", null, v, "data", "model", 10, List.of(), List.of(), List.of(),
                            new double[0], 1.0, "2026-12-03T00:00:00Z", Map.of(), false, partialData, "fingerprint", "abc123", null, null);
        }

        @Override
        public Provenance provenance(Set<Dataset> used, Map<String, String> implementations) {
            return new Provenance("test", "reduced", "abc123", "2026-12-03T00:00:00Z", "17", "CPU", Map.of(), seeds(), implementations);
        }
    }

    @Test
    void aCellWithSomeSeedsIsIncompleteOverThoseSeedsAndItsDifferencesUseThem() {
        Table5 t = new Table5();
        Report r = TrainedTable.report(t, new PartlyRun(t));
        Report.Entry r1 = r.entry("CIFAR-10", "R1 (First)");
        Report.Entry r2 = r.entry("CIFAR-10", "R2 (Last)");
        Report.Entry r3 = r.entry("CIFAR-10", "R3 (All)");
        assertThat(r1.status()).isEqualTo("measured");
        assertThat(r1.values()).containsExactly(81.4, 81.1, 81.7);
        assertThat(r2.status()).isEqualTo("incomplete");
        assertThat(r2.values()).containsExactly(79.5, 79.9);
        assertThat(r2.note()).startsWith("incomplete: seeds [1, 2] of [1, 2, 3]; the others not run (not trained yet)");
        assertThat(r3.status()).isEqualTo("not_run");
        assertThat(r3.values()).isEmpty();
        // R1 − R2 paired over seeds 1 and 2 (+1.9, +1.2): +1.55 with SE √(2 · 0.1225 / 2) = 0.35 on one residual df, no verdict
        assertThat(r.comparisons()).extracting(Report.Comparison::reading)
                .containsExactly(Report.Reading.TOO_FEW_SEEDS, Report.Reading.NOT_RUN);
        assertThat(r.comparisons().get(0).difference().blocks()).isEqualTo(2);
        assertThat(r.comparisons().get(0).difference().estimate()).isCloseTo(1.55, org.assertj.core.api.Assertions.within(1e-9));
        assertThat(r.comparisons().get(0).difference().se()).isCloseTo(0.35, org.assertj.core.api.Assertions.within(1e-9));
        assertThat(org.convrelu.reports.MarkdownReport.format(r)).contains("79.70 ± 0.28 [").contains("(incomplete: 2 seeds)");
    }

    /**
     * Table 5's column (CIFAR-10 × the reduced DenseNet-BC) is also trained by Table 1's rows: their
     * stored results join its residual (never trained for it), each recipe once. R1 is Table 1's
     * ConvReLU cell, so that row is not counted twice. With R1 [81.4, 81.1, 81.7], R2 [79.5, 79.9] and
     * Table 1's ReLU [80.0, 79.6, 80.4] (R1 − 1.4, − 1.5, − 1.3), the residual gains the ReLU row's seeds.
     */
    @Test
    void aColumnPoolsTheStoredRowsOfTheOtherTablesThatTrainIt() {
        Table5 t = new Table5();
        PartlyRun ctx = new PartlyRun(t) {
            final List<PaperTable.Entry> table1 = new Table1Entries().get();

            @Override
            public List<PaperTable.Entry> otherEntries(PaperTable table) {
                return table1;
            }

            @Override
            public CellResult storedOnly(Cell cell) {
                Double v = cell.equals(table1.get(0).cell().withSeed(cell.seed())) ? new double[] {80.0, 79.6, 80.4}[(int) cell.seed() - 1] : null;
                if (v == null) {
                    return run(cell); // R1 is Table 1's ConvReLU cell: the same result
                }
                return new CellResult(cell.key(), cell.canonical(), "ok", null, v, "data", "model", 10, List.of(), List.of(), List.of(),
                        new double[0], 1.0, "2026-12-03T00:00:00Z", Map.of(), false, null, "fingerprint", "abc123", null, null);
            }
        };
        Report r = TrainedTable.report(t, ctx);
        org.convrelu.reports.PairedDifferences.Difference d = r.comparisons().get(0).difference();
        // rows R1, R2, ReLU over seeds 1–3 (R2 lacks seed 3): 8 results, 3 + 3 − 1 parameters: 3 residual df, not 1
        assertThat(d.df()).isEqualTo(3);
        assertThat(org.convrelu.reports.MarkdownReport.format(r)).contains("pooled over its 3 trained rows");
    }

    /** Table 1's entries at reduced scale, ReLU on CIFAR-10 first and ConvReLU's (Table 5's R1) among them. */
    private static final class Table1Entries {
        List<PaperTable.Entry> get() {
            return new Table1().entries(Scale.REDUCED).stream()
                    .filter(e -> e.column().id().equals("cifar10")).toList();
        }
    }

    @Test
    void aCellTrainedOnPartialDataIsMarkedSoAtEveryScaleAndStillCompared() {
        Table5 t = new Table5();
        Report r = TrainedTable.report(t, new PartlyRun(t, "only the official test split"));
        Report.Entry r1 = r.entry("CIFAR-10", "R1 (First)");
        assertThat(r1.status()).isEqualTo("partial_data");
        assertThat(r1.note()).startsWith("partial data: only the official test split | ");
        assertThat(r.entry("CIFAR-10", "R2 (Last)").status()).isEqualTo("incomplete"); // a missing seed says so first
        assertThat(r.comparisons().get(0).difference().blocks()).isEqualTo(2);
        assertThat(org.convrelu.reports.MarkdownReport.format(r)).contains("81.40 ± 0.30 [").contains("(partial_data)");
    }
}
