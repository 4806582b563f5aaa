package org.convrelu.experiments.run;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.convrelu.datasets.DataDir;
import org.convrelu.experiments.cluster.CampaignEstimate;
import org.convrelu.experiments.cluster.Grid;
import org.convrelu.experiments.recipe.Arch;
import org.convrelu.experiments.recipe.Cell;
import org.convrelu.experiments.recipe.DataId;
import org.convrelu.experiments.recipe.Scale;
import org.convrelu.nn.models.ActivationSpec;
import org.convrelu.nn.models.Replacement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A stored result is used only when it verifiably belongs to the cell; anything else names the file. */
class CellRunnerTest {
    @TempDir
    Path tmp;

    private static final Cell RELU_MR = Cell.entry(Scale.SMOKE, DataId.MR, Arch.CHARCNN, ActivationSpec.relu(), Replacement.partial()).withSeed(1).withFold(1);
    private static final Cell CONVRELU_CIFAR = Cell.entry(Scale.SMOKE, DataId.CIFAR10, Arch.DENSENET, ActivationSpec.convRelu(),
            Replacement.partial()).withSeed(1);

    private final PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);

    private CellRunner runner(boolean retrain) {
        return new CellRunner(new DataDir(tmp.resolve("no-data")), tmp.resolve("runs"), quiet, new CellRunner.Options(retrain, false));
    }

    /** What training the cell would have stored, with its checksum. */
    private static CellResult result(Cell cell, double top1) {
        CellResult r = new CellResult(cell.key(), cell.canonical(), "ok", null, top1, "data", "model", 10, List.of(), List.of(),
                List.of(), new double[] {0.5, -0.25}, 1.5, "2026-11-29T00:00:00Z", Map.of("convrelu", List.of("direct")), false,
                null, "absent", "abc123", null, null); // the test's data directory holds no dataset
        return r.withSha256(CellRunner.sha256(r));
    }

    private Path store(Cell cell, CellResult r) throws IOException {
        Path file = runner(false).directory(cell).resolve("result.json");
        Files.createDirectories(file.getParent());
        Files.write(file, new ObjectMapper().writeValueAsBytes(r));
        return file;
    }

    @Test
    void itsOwnVerifiedResultIsReused() throws IOException {
        store(RELU_MR, result(RELU_MR, 71.25));
        assertThat(runner(false).run(RELU_MR).top1()).isEqualTo(71.25);
    }

    @Test
    void anotherCellsResultCopiedInIsRefused() throws IOException {
        Path file = store(RELU_MR, result(CONVRELU_CIFAR, 44.0));
        assertThatThrownBy(() -> runner(false).run(RELU_MR)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(file.toString()).hasMessageContaining("the result of another cell")
                .hasMessageContaining(CONVRELU_CIFAR.canonical()).hasMessageContaining("--retrain");
    }

    @Test
    void anEmptyObjectOrNonJsonIsRefused() throws IOException {
        Path file = runner(false).directory(RELU_MR).resolve("result.json");
        Files.createDirectories(file.getParent());
        Files.writeString(file, "{}");
        assertThatThrownBy(() -> runner(false).run(RELU_MR)).hasMessageContaining(file.toString()).hasMessageContaining("no checksum");
        Files.writeString(file, "top-1: 99");
        assertThatThrownBy(() -> runner(false).run(RELU_MR)).hasMessageContaining(file.toString())
                .hasMessageContaining("is not a cell result");
    }

    @Test
    void aHandEditedTop1IsRefused() throws IOException {
        Path file = store(RELU_MR, result(RELU_MR, 71.25));
        Files.writeString(file, Files.readString(file).replace("71.25", "91.25"));
        assertThatThrownBy(() -> runner(false).run(RELU_MR)).hasMessageContaining(file.toString())
                .hasMessageContaining("does not match its SHA-256");
    }

    @Test
    void dataThatDiffersFromThePublishedFilesStopsTrainingUnlessAllowed() throws IOException {
        Path official = DataDir.resolve().find("ag_news_csv", "ag_news").orElseThrow();
        Path modified = Files.createDirectories(tmp.resolve("data/ag_news"));
        List<String> rows = Files.readAllLines(official.resolve("test.csv"));
        Files.write(modified.resolve("test.csv"), rows.subList(1, rows.size())); // one row deleted, still well-formed
        Files.copy(official.resolve("classes.txt"), modified.resolve("classes.txt"));
        Cell agNews = Cell.entry(Scale.SMOKE, DataId.AG_NEWS, Arch.CHARCNN, ActivationSpec.relu(), Replacement.partial()).withSeed(1);

        CellRunner strict = new CellRunner(new DataDir(tmp.resolve("data")), tmp.resolve("runs"), quiet, CellRunner.Options.DEFAULT);
        assertThatThrownBy(() -> strict.run(agNews)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("CHECKSUM MISMATCH").hasMessageContaining("test.csv").hasMessageContaining("--allow-modified-data");
        assertThat(Data.integrity(agNews.data().dataset(), new DataDir(tmp.resolve("data"))).modified()).isTrue();
        assertThat(Data.integrity(agNews.data().dataset(), DataDir.resolve()).modified()).isFalse();
    }

    @Test
    void aResultTrainedOnOtherDataIsRefused() throws IOException {
        CellResult onOfficialData = new CellResult(RELU_MR.key(), RELU_MR.canonical(), "ok", null, 70.0, "data", "model", 10, List.of(),
                List.of(), List.of(), new double[0], 1, "2026-11-29T00:00:00Z", Map.of(), false, null, "sha256:0123", null, null, null);
        Path file = store(RELU_MR, onOfficialData.withSha256(CellRunner.sha256(onOfficialData)));
        assertThatThrownBy(() -> runner(false).run(RELU_MR)).hasMessageContaining(file.toString())
                .hasMessageContaining("trained on other data").hasMessageContaining("sha256:0123");
    }

    @Test
    void aReducedCellsResultInTheResultsStoreIsReusedAndVerifiedAndRetrainDeletesIt() throws IOException {
        Cell reduced = Cell.entry(Scale.REDUCED, DataId.MR, Arch.CHARCNN, ActivationSpec.relu(), Replacement.partial()).withSeed(2).withFold(1);
        CellRunner withStore = new CellRunner(new DataDir(tmp.resolve("no-data")), tmp.resolve("runs"), quiet,
                new CellRunner.Options(false, false, false, CellLock.STALE_AFTER, tmp.resolve("store"), false));
        Path kept = tmp.resolve("store").resolve("reduced").resolve(reduced.key()).resolve("result.json");
        assertThat(withStore.storeDirectory(reduced)).contains(kept.getParent());
        assertThat(withStore.storeDirectory(RELU_MR)).isEmpty(); // smoke cells are not kept
        Files.createDirectories(kept.getParent());
        Files.write(kept, new ObjectMapper().writeValueAsBytes(result(reduced, 63.5)));
        assertThat(withStore.resultFile(reduced)).contains(kept);
        assertThat(withStore.run(reduced).top1()).isEqualTo(63.5); // no run directory: the store's result, not a training

        Files.writeString(kept, Files.readString(kept).replace("63.5", "73.5"));
        assertThatThrownBy(() -> withStore.run(reduced)).hasMessageContaining(kept.toString())
                .hasMessageContaining("does not match its SHA-256").hasMessageContaining("--retrain");

        CellRunner retraining = new CellRunner(new DataDir(tmp.resolve("no-data")), tmp.resolve("runs"), quiet,
                new CellRunner.Options(true, false, false, CellLock.STALE_AFTER, tmp.resolve("store"), false));
        assertThat(retraining.run(reduced).status()).isEqualTo("not_run"); // MR is absent here
        assertThat(kept.getParent()).doesNotExist();
    }

    /** A fresh clone has no run directory: status counts the committed store's cells as done, and an absent dataset as no data. */
    @Test
    void statusCountsTheResultsStoreAsDoneAndAnAbsentDatasetAsNoData() throws IOException {
        Cell reduced = Cell.entry(Scale.REDUCED, DataId.MR, Arch.CHARCNN, ActivationSpec.relu(), Replacement.partial()).withSeed(2).withFold(1);
        CellRunner withStore = new CellRunner(new DataDir(tmp.resolve("no-data")), tmp.resolve("runs"), quiet,
                new CellRunner.Options(false, false, false, CellLock.STALE_AFTER, tmp.resolve("store"), false));
        assertThat(CellStatus.of(withStore, reduced).state()).isEqualTo(CellStatus.State.NO_DATA);
        Path kept = tmp.resolve("store").resolve("reduced").resolve(reduced.key()).resolve("result.json");
        Files.createDirectories(kept.getParent());
        Files.write(kept, new ObjectMapper().writeValueAsBytes(result(reduced, 63.5)));
        CellStatus done = CellStatus.of(withStore, reduced);
        assertThat(done.state()).isEqualTo(CellStatus.State.DONE);
        assertThat(done.detail()).isEqualTo("top-1 63.50%");
        Grid.Task run = new Grid.Task("2", 0, 2, 1, reduced);
        Grid.Task next = new Grid.Task("2", 0, 3, 1, reduced.withSeed(3));
        Map<Grid.Task, CellStatus> states = new java.util.LinkedHashMap<>();
        states.put(run, done);
        states.put(next, new CellStatus(CellStatus.State.NOT_STARTED, ""));
        assertThat(CampaignEstimate.of(states).summary("2")) // the stored cell took 1.5 s
                .isEqualTo("2 cell run(s): 1 done, 1 not started; 1 left, about 0.0 h of training at the measured cell times, one cell at a time");
    }

    @Test
    void storedOnlyReportsACellWithoutAResultAsNotRunAndTrainsNothing() throws IOException {
        Cell cifar = Cell.entry(Scale.SMOKE, DataId.CIFAR10, Arch.DENSENET, ActivationSpec.relu(), Replacement.partial()).withSeed(1);
        CellRunner storedOnly = new CellRunner(DataDir.resolve(), tmp.resolve("runs"), quiet,
                new CellRunner.Options(false, false, false, CellLock.STALE_AFTER, null, true));
        CellResult r = storedOnly.run(cifar); // the data is there: without the flag this would train
        assertThat(r.status()).isEqualTo("not_run");
        assertThat(r.reason()).contains("not trained yet");
        assertThat(storedOnly.directory(cifar)).doesNotExist();
        store(RELU_MR, result(RELU_MR, 71.25));
        assertThat(new CellRunner(new DataDir(tmp.resolve("no-data")), tmp.resolve("runs"), quiet,
                new CellRunner.Options(false, false, false, CellLock.STALE_AFTER, null, true)).run(RELU_MR).top1()).isEqualTo(71.25);
    }

    /** Without a result and without its data, a cell says where its data was looked for, as a run that trains would. */
    @Test
    void storedOnlyNamesAbsentDataRatherThanAnUntrainedCell() {
        Cell cifar = Cell.entry(Scale.SMOKE, DataId.CIFAR10, Arch.DENSENET, ActivationSpec.relu(), Replacement.partial()).withSeed(1);
        CellResult r = new CellRunner(new DataDir(tmp.resolve("no-data")), tmp.resolve("runs"), quiet,
                new CellRunner.Options(false, false, false, CellLock.STALE_AFTER, null, true)).run(cifar);
        assertThat(r.status()).isEqualTo("not_run");
        assertThat(r.reason()).startsWith("CIFAR-10 is not in the data directory").contains("looked for").doesNotContain("not trained yet");
    }

    @Test
    void retrainDeletesTheStoredStateOnceAndTrainsAgain() throws IOException {
        Path file = store(RELU_MR, result(CONVRELU_CIFAR, 44.0));
        Files.writeString(file.resolveSibling("checkpoint.bin"), "stale");
        CellRunner retraining = runner(true);
        CellResult r = retraining.run(RELU_MR); // MR is not in the data directory: the cell cannot train
        assertThat(r.status()).isEqualTo("not_run");
        assertThat(file.getParent()).doesNotExist();
    }
}
