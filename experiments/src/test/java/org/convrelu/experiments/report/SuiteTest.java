package org.convrelu.experiments.report;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.convrelu.datasets.DataDir;
import org.convrelu.experiments.paper.PaperTable;
import org.convrelu.experiments.paper.Table1;
import org.convrelu.experiments.paper.Table2;
import org.convrelu.experiments.paper.Table5;
import org.convrelu.experiments.recipe.Cell;
import org.convrelu.experiments.recipe.Scale;
import org.convrelu.experiments.run.CellResult;
import org.convrelu.experiments.run.Data;
import org.convrelu.reports.CsvReport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SuiteTest {
    @TempDir
    Path tmp;

    private final PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);

    private Suite suite(Path data) {
        return new Suite(new DataDir(data), tmp.resolve("runs"), tmp.resolve("out"), Scale.SMOKE, 1, "test", quiet);
    }

    @Test
    void missingDatasetsAreReportedAsNotRunAndTheTableIsStillWritten() {
        Path empty = tmp.resolve("no-data");
        suite(empty).table(new Table1());
        List<CsvReport.Row> rows = CsvReport.read(tmp.resolve("out/smoke/table1.csv"));
        assertThat(rows).hasSize(18).allSatisfy(r -> {
            assertThat(r.status()).isEqualTo("not_run");
            assertThat(r.reproduced()).isNull();
            assertThat(r.note()).contains("is not in the data directory");
        });
        assertThat(rows.get(0).published()).isEqualTo(94.29);
        assertThat(tmp.resolve("out/smoke/table1.md")).content().contains("not run (not_run)");
    }

    @Test
    void table6ReproducesThePublishedCountsExactly() {
        suite(tmp).table(Suite.table("6"));
        List<CsvReport.Row> rows = CsvReport.read(tmp.resolve("out/smoke/table6.csv"));
        assertThat(rows).hasSize(12).allSatisfy(r -> assertThat(r.status()).isEqualTo("exact"));
        assertThat(rows.stream().filter(r -> r.row().equals("ConvReLU") && r.metric().equals("params")).findFirst().orElseThrow()
                .reproduced()).isEqualTo(1_038_184.0);
    }

    @Test
    void aCellSharedByTwoTablesHasOneKey() {
        PaperTable.Entry t1 = new Table1().entries(Scale.SMOKE).stream()
                .filter(e -> e.id().equals("convrelu|cifar10")).findFirst().orElseThrow();
        PaperTable.Entry t5 = new Table5().entries(Scale.SMOKE).get(0);
        assertThat(t5.cell().withSeed(1).key()).isEqualTo(t1.cell().withSeed(1).key());
        assertThat(t5.cell().withSeed(2).key()).isNotEqualTo(t1.cell().withSeed(1).key());
        assertThat(Cell.entry(Scale.REDUCED, t1.cell().data(), t1.cell().arch(), t1.cell().activation(), t1.cell().replacement())
                .withSeed(1).key()).isNotEqualTo(t1.cell().withSeed(1).key());
    }

    @Test
    void aFinishedCellIsNeverRetrainedAndItsResultIsStored() throws Exception {
        Suite s = suite(org.convrelu.datasets.DataDir.resolve().root());
        int mrConvRelu = indexOf(new Table2(), "convrelu", "mr");
        long t0 = System.nanoTime();
        CellResult first = s.runCell(new Table2(), mrConvRelu, 1, 0).get(0); // smoke scale trains fold 1 alone
        double trainSeconds = (System.nanoTime() - t0) / 1e9;
        assertThat(first.ok()).isTrue();
        assertThat(first.top1()).isBetween(0.0, 100.0);
        assertThat(first.replacedSites()).containsExactly("conv1.relu", "conv2.relu");
        assertThat(first.thresholds()).isNotEmpty();
        assertThat(first.epochs()).hasSize(2);
        Path dir = tmp.resolve("runs/smoke").resolve(first.key());
        assertThat(dir.resolve("result.json")).exists();
        assertThat(dir.resolve("metrics.jsonl")).exists();
        assertThat(dir.resolve("checkpoint.bin")).doesNotExist();
        long t1 = System.nanoTime();
        CellResult again = s.runCell(new Table2(), mrConvRelu, 1, 1).get(0);
        assertThat((System.nanoTime() - t1) / 1e9).isLessThan(trainSeconds);
        assertThat(again.finishedAt()).isEqualTo(first.finishedAt());
        assertThat(again.top1()).isEqualTo(first.top1());
        assertThat(Files.readString(dir.resolve("result.json"))).contains("\"configuration\"").contains("fold 1 of 10");
    }

    @Test
    void atPaperScaleMrIsTenFoldCrossValidationWithTheFoldApartFromTheSeed() {
        PaperTable.Entry mr = new Table2().entries(Scale.PAPER).stream().filter(e -> e.column().id().equals("mr")).findFirst().orElseThrow();
        List<Cell> runs = mr.cell().runs(3);
        assertThat(runs).extracting(Cell::fold).containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 9, 10);
        assertThat(runs).extracting(Cell::seed).containsOnly(3L);
        assertThat(runs.stream().map(Cell::key).distinct()).hasSize(10);
        PaperTable.Entry smokeMr = new Table2().entries(Scale.SMOKE).stream().filter(e -> e.column().id().equals("mr")).findFirst().orElseThrow();
        assertThat(smokeMr.cell().runs(2)).extracting(Cell::fold).containsExactly(1);
        PaperTable.Entry ag = new Table2().entries(Scale.PAPER).stream().filter(e -> e.column().id().equals("ag_news")).findFirst().orElseThrow();
        assertThat(ag.cell().runs(1)).extracting(Cell::fold).containsExactly(0);
        assertThatThrownBy(() -> Data.prepare(mr.cell().recipe(), DataDir.resolve(), 1))
                .hasMessageContaining("cross-validated");
    }

    static int indexOf(PaperTable t, String row, String column) {
        List<PaperTable.Entry> es = t.entries(Scale.SMOKE);
        for (int i = 0; i < es.size(); i++) {
            if (es.get(i).row().id().equals(row) && es.get(i).column().id().equals(column)) {
                return i;
            }
        }
        throw new IllegalArgumentException(row + " / " + column);
    }
}
