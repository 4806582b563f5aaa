package org.convrelu.experiments.report;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.LongStream;
import org.convrelu.datasets.DataDir;
import org.convrelu.datasets.Dataset;
import org.convrelu.experiments.paper.Label;
import org.convrelu.experiments.paper.PaperTable;
import org.convrelu.experiments.paper.Table1;
import org.convrelu.experiments.paper.Table2;
import org.convrelu.experiments.paper.Table3;
import org.convrelu.experiments.paper.Table4;
import org.convrelu.experiments.paper.Table5;
import org.convrelu.experiments.paper.Table6;
import org.convrelu.experiments.recipe.Cell;
import org.convrelu.experiments.recipe.Recipe;
import org.convrelu.experiments.recipe.Scale;
import org.convrelu.experiments.run.CellResult;
import org.convrelu.experiments.run.CellRunner;
import org.convrelu.experiments.run.Provenances;
import org.convrelu.io.AtomicFiles;
import org.convrelu.reports.CsvReport;
import org.convrelu.reports.MarkdownReport;
import org.convrelu.reports.Provenance;
import org.convrelu.reports.Report;

/**
 * Regenerates the paper's tables and figures at a scale: each table makes its report from the
 * cells this suite trains (or their stored results), and the suite writes {@code tableN.md},
 * {@code tableN.csv}, {@code tableN_differences.csv}, {@code tableN_activity.csv},
 * {@code figure5}/{@code figure6} (PNG and SVG) and an index into {@code <out>/<scale>/}.
 */
public final class Suite implements TableContext {
    /** Every table, in the paper's order. */
    public static final List<PaperTable> TABLES = List.of(new Table1(), new Table2(), new Table3(), new Table4(), new Table5(),
            new Table6());

    private final DataDir data;
    private final CellRunner runner;
    final Path out;
    final Scale scale;
    final int seeds;
    private final Recipe.TextRecipe textRecipe;
    private final String command;
    final PrintStream log;

    public Suite(DataDir data, Path runs, Path out, Scale scale, int seeds, String command, PrintStream log) {
        this(data, runs, out, scale, seeds, null, command, log, CellRunner.Options.DEFAULT);
    }

    /**
     * @param textRecipe the text recipe of text cells (null: each table's, {@link Recipe.TextRecipe#defaultFor} for Table 2)
     * @param cells how the cells are run: retrained, or trained on modified data
     */
    public Suite(DataDir data, Path runs, Path out, Scale scale, int seeds, Recipe.TextRecipe textRecipe, String command, PrintStream log,
            CellRunner.Options cells) {
        this.data = data;
        this.runner = new CellRunner(data, runs, log, cells);
        this.out = out.resolve(scale.id());
        this.scale = scale;
        this.seeds = seeds > 0 ? seeds : scale.defaultSeeds();
        this.textRecipe = textRecipe;
        this.command = command;
        this.log = log;
    }

    /** The runner that trains and stores this suite's cells. */
    public CellRunner runner() {
        return runner;
    }

    public static PaperTable table(String id) {
        return TABLES.stream().filter(t -> t.id().equals(id)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no table " + id + " (the paper has tables 1 to 6)"));
    }

    @Override
    public Scale scale() {
        return scale;
    }

    @Override
    public List<Long> seeds() {
        return LongStream.rangeClosed(1, seeds).boxed().toList();
    }

    /** The text recipe this run asked for, or null for each table's own. */
    public Recipe.TextRecipe textRecipe() {
        return textRecipe;
    }

    public Path outputDirectory() {
        return out;
    }

    @Override
    public List<PaperTable.Entry> entries(PaperTable table) {
        List<PaperTable.Entry> entries = table.entries(scale);
        return textRecipe == null ? entries : entries.stream().map(e -> e.withTextRecipe(textRecipe)).toList();
    }

    @Override
    public CellResult run(Cell cell) {
        return runner.run(cell);
    }

    @Override
    public List<PaperTable.Entry> otherEntries(PaperTable table) {
        return TABLES.stream().filter(t -> !t.id().equals(table.id())).flatMap(t -> entries(t).stream()).toList();
    }

    @Override
    public CellResult storedOnly(Cell cell) {
        return runner.stored(cell);
    }

    @Override
    public Provenance provenance(Set<Dataset> used, Map<String, String> implementations) {
        return Provenances.of(command, scale, seeds(), data, used, implementations);
    }

    /** Runs one entry of a table for one seed: every fold its recipe asks, or only {@code fold} (1-based) when it is not 0. */
    public List<CellResult> runCell(PaperTable table, int index, long seed, int fold) {
        List<PaperTable.Entry> entries = entries(table);
        if (index < 0 || index >= entries.size()) {
            throw new IllegalArgumentException("table " + table.id() + " has " + entries.size() + " cells at scale " + scale.id()
                    + " (indices 0.." + (entries.size() - 1) + "), got " + index);
        }
        List<Cell> runs = entries.get(index).cell().runs(seed);
        if (fold != 0) {
            runs = runs.stream().filter(c -> c.fold() == fold).toList();
            if (runs.isEmpty()) {
                throw new IllegalArgumentException("cell " + index + " of table " + table.id() + " at scale " + scale.id()
                        + " trains the folds " + entries.get(index).cell().runs(seed).stream().map(Cell::fold).toList() + ", not " + fold);
            }
        }
        return runs.stream().map(runner::run).toList();
    }

    /**
     * Trains every cell of the table's entries for every seed (or finds it stored), writing no
     * report: {@code suite all} trains every table first, so that each report pools its columns over
     * all the rows the tables train, whatever the order of the tables.
     */
    public void train(PaperTable t) {
        log.printf(Locale.ROOT, "Table %s at scale %s, %d seed(s): its cells%n", t.id(), scale.id(), seeds);
        for (PaperTable.Entry e : entries(t)) {
            for (long seed : seeds()) {
                e.cell().runs(seed).forEach(runner::run);
            }
        }
    }

    /** Makes a table's report (training what it needs) and writes it as Markdown and CSV, with its activity CSV. */
    public Report table(PaperTable t) {
        long t0 = System.nanoTime();
        log.printf(Locale.ROOT, "Table %s at scale %s, %d seed(s)%n", t.id(), scale.id(), seeds);
        Report report = TableReports.report(t, this);
        String name = t.id().matches("\\d+") ? "table" + t.id() : t.id();
        MarkdownReport.write(out.resolve(name + ".md"), report);
        CsvReport.write(out.resolve(name + ".csv"), report);
        if (!report.comparisons().isEmpty()) {
            AtomicFiles.writeAtomically(out.resolve(name + "_differences.csv"), CsvReport.formatDifferences(report));
        }
        if (!report.activity().isEmpty()) {
            AtomicFiles.writeAtomically(out.resolve(name + "_activity.csv"), CsvReport.formatActivity(report));
        }
        log.printf(Locale.ROOT, "Table %s written to %s (%.0f s)%n", t.id(), out, (System.nanoTime() - t0) / 1e9);
        return report;
    }

    /** Figure 5: evaluation accuracy curves of Table 1's activations. */
    public void figure5() {
        Figure5.render(this);
    }

    /** Figure 6: histogram of the learned ConvReLU thresholds. */
    public void figure6() {
        Figure6.render(this);
    }

    /** The seed-1 cell of a table's entry, by the identifiers of its row and column. */
    Cell firstSeed(PaperTable t, Label row, Label column) {
        return entries(t).stream().filter(e -> e.row().equals(row) && e.column().equals(column)).findFirst().orElseThrow()
                .cell().withSeed(1);
    }

    void caption(String name, String title, String text, Set<Dataset> used, List<CellResult> results) {
        Provenance p = provenance(used, TrainedTable.implementations(List.of(results)));
        StringBuilder md = new StringBuilder("# ").append(title).append("\n\n![").append(name).append("](").append(name)
                .append(".png)\n\n").append(text).append("\n\n").append("> ").append(scaleSentence()).append("\n\n")
                .append("Command `").append(p.command()).append("`, commit ").append(p.gitCommit()).append(", ").append(p.date())
                .append(", ").append(p.backend()).append(".\n");
        if (!p.implementations().isEmpty()) {
            md.append("\nImplementations that trained the cells: ");
            md.append(String.join("; ", new TreeMap<>(p.implementations()).entrySet().stream().map(e -> e.getKey() + " " + e.getValue())
                    .toList()));
            md.append(".\n");
        }
        AtomicFiles.writeAtomically(out.resolve(name + ".md"), md.toString());
    }

    private String scaleSentence() {
        return scale == Scale.PAPER ? "Paper scale." : "Scale " + scale.id() + ": not a reproduction of the paper's figure.";
    }

    /** Writes the index of the reports at this scale, and of the scales. */
    public void index() {
        ReportIndex.write(out, scale, command);
    }
}
