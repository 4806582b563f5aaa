package org.convrelu.experiments;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.LongStream;
import org.convrelu.datasets.DataDir;
import org.convrelu.experiments.tables.PaperTable;
import org.convrelu.experiments.tables.Rows;
import org.convrelu.experiments.tables.Table1;
import org.convrelu.experiments.tables.Table2;
import org.convrelu.experiments.tables.Table3;
import org.convrelu.experiments.tables.Table4;
import org.convrelu.experiments.tables.Table5;
import org.convrelu.experiments.tables.Table6;
import org.convrelu.nn.models.Models;
import org.convrelu.nn.train.SiteStats;
import org.convrelu.io.AtomicFiles;
import org.convrelu.reports.CsvReport;
import org.convrelu.reports.MarkdownReport;
import org.convrelu.reports.Provenance;
import org.convrelu.reports.Published;
import org.convrelu.reports.Report;
import org.convrelu.reports.Stats;
import org.convrelu.tensor.Precision;
import org.convrelu.tensor.RandomStream;
import org.convrelu.tensor.ops.Backends;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Regenerates the paper's tables and figures at a scale: trains (or reuses) every cell for every
 * seed, then writes {@code tableN.md}, {@code tableN.csv}, {@code tableN_activity.csv},
 * {@code figure5}/{@code figure6} (PNG and SVG) and an index into {@code <out>/<scale>/}.
 */
public final class Suite {
    /** Every table, in the paper's order. */
    public static final List<PaperTable> TABLES = List.of(new Table1(), new Table2(), new Table3(), new Table4(), new Table5(),
            new Table6());

    private final DataDir data;
    final CellRunner runner;
    final Path out;
    final Scale scale;
    final int seeds;
    private final String command;
    final PrintStream log;

    public Suite(DataDir data, Path runs, Path out, Scale scale, int seeds, String command, PrintStream log) {
        this(data, runs, out, scale, seeds, command, log, CellRunner.Options.DEFAULT);
    }

    /** @param cells how the cells are run: retrained, or trained on modified data */
    public Suite(DataDir data, Path runs, Path out, Scale scale, int seeds, String command, PrintStream log, CellRunner.Options cells) {
        this.data = data;
        this.runner = new CellRunner(data, runs, log, cells);
        this.out = out.resolve(scale.id());
        this.scale = scale;
        this.seeds = seeds > 0 ? seeds : scale.defaultSeeds();
        this.command = command;
        this.log = log;
    }

    public static PaperTable table(String id) {
        return TABLES.stream().filter(t -> t.id().equals(id)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no table " + id + " (the paper has tables 1 to 6)"));
    }

    public Scale scale() {
        return scale;
    }

    public List<Long> seedList() {
        return LongStream.rangeClosed(1, seeds).boxed().toList();
    }

    public Path outputDirectory() {
        return out;
    }

    /** Runs one entry of a table for one seed: every fold the protocol asks, or only {@code fold} (1-based) when it is not 0. */
    public List<CellResult> runCell(PaperTable table, int index, long seed, int fold) {
        List<PaperTable.Entry> entries = table.entries(scale);
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
     * The top-1 of each seed: the cell's, or for cross-validated data the mean over its folds;
     * null where a run did not produce one.
     */
    private static List<Double> perSeed(List<List<CellResult>> bySeed) {
        List<Double> values = new ArrayList<>();
        for (List<CellResult> folds : bySeed) {
            if (!folds.stream().allMatch(CellResult::ok)) {
                return null;
            }
            values.add(folds.stream().mapToDouble(CellResult::top1).average().orElseThrow());
        }
        return values;
    }

    /** Trains what a table needs and writes its reports. */
    public Report table(PaperTable t) {
        long t0 = System.nanoTime();
        log.printf(Locale.ROOT, "Table %s at scale %s, %d seed(s)%n", t.id(), scale.id(), seeds);
        Report report = t.id().equals("6") ? table6() : trainedTable(t);
        MarkdownReport.write(out.resolve("table" + t.id() + ".md"), report);
        CsvReport.write(out.resolve("table" + t.id() + ".csv"), report);
        if (!report.activity().isEmpty()) {
            AtomicFiles.writeAtomically(out.resolve("table" + t.id() + "_activity.csv"), CsvReport.formatActivity(report));
        }
        log.printf(Locale.ROOT, "Table %s written to %s (%.0f s)%n", t.id(), out, (System.nanoTime() - t0) / 1e9);
        return report;
    }

    private Report trainedTable(PaperTable t) {
        Map<String, List<CellResult>> results = new LinkedHashMap<>(); // every run of an entry: seeds × folds
        Map<String, List<Double>> perSeed = new LinkedHashMap<>(); // an entry's top-1 per seed (fold means)
        List<Report.Cell> cells = new ArrayList<>();
        List<Report.Activity> activity = new ArrayList<>();
        Set<org.convrelu.datasets.Dataset> used = new LinkedHashSet<>();
        for (PaperTable.Entry e : t.entries(scale)) {
            used.add(e.cell().data().dataset());
            List<List<CellResult>> bySeed = new ArrayList<>();
            for (long seed : seedList()) {
                bySeed.add(e.cell().runs(seed).stream().map(runner::run).toList());
            }
            List<CellResult> rs = bySeed.stream().flatMap(List::stream).toList();
            results.put(e.row() + "|" + e.column(), rs);
            perSeed.put(e.row() + "|" + e.column(), perSeed(bySeed));
            Double published = Published.value(t.id(), e.row(), e.column()).orElse(null);
            CellResult notRun = rs.stream().filter(r -> !r.ok()).findFirst().orElse(null);
            if (notRun != null) {
                cells.add(new Report.Cell(e.row(), e.column(), "top1_pct", published, List.of(), "not_run", notRun.reason()));
                continue;
            }
            List<Double> values = perSeed.get(e.row() + "|" + e.column());
            String partial = rs.stream().map(CellResult::partialData).filter(java.util.Objects::nonNull).findFirst().orElse(null);
            String status = rs.stream().anyMatch(CellResult::modifiedData) ? "modified_data"
                    : partial != null && scale == Scale.PAPER ? "partial_data" : status(published, values);
            List<Integer> folds = e.cell().runs(1).stream().map(Cell::fold).filter(f -> f > 0).toList();
            String cv = folds.isEmpty() ? "" : "folds " + folds + " of " + Protocol.MR_FOLDS + " held out in turn, top-1 averaged over them"
                    + " per seed | ";
            cells.add(new Report.Cell(e.row(), e.column(), "top1_pct", published, values, status,
                    (partial == null ? "" : "partial data: " + partial + " | ") + cv + rs.get(0).data() + " | " + rs.get(0).model()));
            activity.addAll(activity(e.row() + " / " + e.column(), rs));
        }
        List<Report.Comparison> comparisons = new ArrayList<>();
        for (PaperTable.Pair p : t.comparisons()) {
            List<CellResult> better = results.get(p.betterRow() + "|" + p.betterColumn());
            List<CellResult> base = results.get(p.baselineRow() + "|" + p.baselineColumn());
            Double pubBetter = Published.value(t.id(), p.betterRow(), p.betterColumn()).orElse(null);
            Double pubBase = Published.value(t.id(), p.baselineRow(), p.baselineColumn()).orElse(null);
            Double pubDiff = pubBetter == null || pubBase == null ? null : pubBetter - pubBase;
            List<Double> betterValues = perSeed.get(p.betterRow() + "|" + p.betterColumn());
            List<Double> baseValues = perSeed.get(p.baselineRow() + "|" + p.baselineColumn());
            boolean ran = better.stream().allMatch(CellResult::ok) && base.stream().allMatch(CellResult::ok);
            comparisons.add(new Report.Comparison(p.label(), label(p.betterRow(), p.betterColumn(), p.label()),
                    label(p.baselineRow(), p.baselineColumn(), p.label()),
                    ran ? Stats.difference(doubles(betterValues), doubles(baseValues)) : null, pubDiff));
        }
        List<String> notes = new ArrayList<>(t.notes(scale));
        notes.add("Protocol at this scale: " + protocols(t));
        notes.add("Accuracy is the evaluation top-1 after the last epoch; nothing is selected on the evaluation split.");
        return new Report(t.id(), t.title(), scale.id(), t.rows(), t.columns(), cells, comparisons, activity, notes,
                provenance(used, implementations(results.values())));
    }

    private static String label(String row, String column, String pairLabel) {
        return pairLabel.equals(column) ? row : pairLabel.contains(row) ? column : row + " " + column;
    }

    private String protocols(PaperTable t) {
        Set<String> ps = new LinkedHashSet<>();
        for (PaperTable.Entry e : t.entries(scale)) {
            ps.add(e.cell().data().column() + ", " + e.cell().arch().label() + ": "
                    + Protocol.of(scale, e.cell().data(), e.cell().arch()).describe());
        }
        return String.join("; ", ps) + ". From the paper: SGD, images lr 0.1 ×0.1 at epochs 150 and 250 (here at 50% and 83% of"
                + " the epochs), batch 128 at paper scale. Ours, where the paper is silent or departed from: 300 epochs, momentum 0.9,"
                + " weight decay 5e-4 on weights and thresholds, crop + flip augmentation; text lr 0.01 halved every 15,000 steps"
                + " (every 3 epochs below paper scale), after Zhang et al., instead of the paper's shared schedule.";
    }

    private String status(Double published, List<Double> values) {
        if (scale != Scale.PAPER) {
            return "measured";
        }
        if (published == null) {
            return "measured";
        }
        Stats.Estimate e = Stats.estimate(values.stream().mapToDouble(Double::doubleValue).toArray());
        boolean within = e.hasInterval() ? published >= e.low() && published <= e.high() : Math.abs(e.mean() - published) <= 0.5;
        return within ? "within" : "differs";
    }

    private static double[] doubles(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).toArray();
    }

    /** Mean dead and off fractions over seeds, per layer group, for the groups with replaced layers (the first block for ReLU). */
    private static List<Report.Activity> activity(String cell, List<CellResult> rs) {
        Set<String> groups = new LinkedHashSet<>();
        for (SiteStats s : rs.get(0).sites()) {
            boolean replaced = rs.get(0).replacedSites().contains(s.layer()) || s.kind().equals("ConvReLU");
            if (replaced) {
                groups.add(group(s.layer()));
            }
        }
        if (groups.isEmpty() && !rs.get(0).sites().isEmpty()) {
            groups.add(group(rs.get(0).sites().get(0).layer()));
        }
        List<Report.Activity> out = new ArrayList<>();
        for (String g : groups) {
            Map<String, double[]> byKind = new TreeMap<>(); // kind → [units, dead·units, off·units] summed over seeds
            for (CellResult r : rs) {
                for (SiteStats s : r.sites()) {
                    if (group(s.layer()).equals(g)) {
                        double[] a = byKind.computeIfAbsent(s.kind(), k -> new double[3]);
                        a[0] += s.units();
                        a[1] += s.deadFraction() * s.units();
                        a[2] += s.offFraction() * s.units();
                    }
                }
            }
            byKind.forEach((kind, a) -> out.add(new Report.Activity(cell, g, kind, Math.round(a[0] / rs.size()), a[1] / a[0], a[2] / a[0])));
        }
        return out;
    }

    private static String group(String layer) {
        int dot = layer.indexOf('.');
        return dot < 0 ? layer : layer.substring(0, dot);
    }

    private Report table6() {
        List<Report.Cell> cells = new ArrayList<>();
        long relu = 0;
        List<String> notes = new ArrayList<>(new Table6().notes(scale));
        StringBuilder huang = new StringBuilder("DenseNet-40 of Huang et al. (3 blocks × 12 layers, growth 12, 10 classes) for"
                + " comparison, same rows: ");
        for (String row : Rows.names()) {
            Rows.Row r = Rows.ACTIVATIONS.get(row);
            Models.Options o = new Models.Options(r.activation(), r.replacement(), Precision.FLOAT32, RandomStream.root(1));
            long count = Models.densenetCifar(100, 32, o).parameterCount();
            huang.append(row).append(' ').append(String.format(Locale.ROOT, "%,d", Models.densenet40(10, 32, o).parameterCount()))
                    .append("; ");
            if (row.equals("ReLU")) {
                relu = count;
            }
            double ratio = 100.0 * (count - relu) / relu;
            Double pubCount = Published.value("6", row, "#Params").orElse(null);
            Double pubRatio = Published.value("6", row, "Ratio").orElse(null);
            cells.add(new Report.Cell(row, "#Params", "params", pubCount, List.of((double) count),
                    pubCount != null && pubCount == count ? "exact" : "differs", "densenet_cifar, 100 classes"));
            double rounded = Math.round(ratio * 100) / 100.0;
            cells.add(new Report.Cell(row, "Ratio", "ratio_pct", pubRatio, List.of(ratio),
                    pubRatio != null && Math.abs(pubRatio - rounded) < 1e-9 ? "exact" : "differs", "extra parameters over ReLU, %"));
        }
        notes.add(huang.toString().replaceAll("; $", "."));
        return new Report("6", new Table6().title(), scale.id(), Rows.names(), List.of("#Params", "Ratio"), cells, List.of(),
                List.of(), notes, provenance(Set.of(), Map.of()));
    }

    /** Figure 5: evaluation accuracy curves of Table 1's activations. */
    public void figure5() {
        Figure5.render(this);
    }

    /** Figure 6: histogram of the learned ConvReLU thresholds. */
    public void figure6() {
        Figure6.render(this);
    }

    Cell firstSeed(PaperTable t, String row, String column) {
        return t.entries(scale).stream().filter(e -> e.row().equals(row) && e.column().equals(column)).findFirst().orElseThrow()
                .cell().withSeed(1);
    }

    void caption(String name, String title, String text, Set<org.convrelu.datasets.Dataset> used, List<CellResult> results) {
        Provenance p = provenance(used, implementations(List.of(results)));
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

    /** Writes the index of the reports at this scale. */
    public void index() {
        StringBuilder md = new StringBuilder("# Regenerated tables and figures, scale ").append(scale.id()).append("\n\n");
        md.append("Written by `").append(command).append("` at commit ").append(gitCommit()).append(", ")
                .append(Instant.now().truncatedTo(ChronoUnit.SECONDS)).append(".\n\n");
        for (PaperTable t : TABLES) {
            if (Files.exists(out.resolve("table" + t.id() + ".md"))) {
                md.append("- [Table ").append(t.id()).append("](table").append(t.id()).append(".md): ").append(t.title())
                        .append(" ([csv](table").append(t.id()).append(".csv))\n");
            }
        }
        for (String f : new String[] {"figure5", "figure6"}) {
            if (Files.exists(out.resolve(f + ".md"))) {
                md.append("- [").append(f.replace("figure", "Figure ")).append("](").append(f).append(".md)\n");
            }
        }
        AtomicFiles.writeAtomically(out.resolve("README.md"), md.toString());
        indexOfScales();
    }

    /** {@code <out>/README.md}: the scales that have reports, largest first. */
    private void indexOfScales() {
        StringBuilder md = new StringBuilder("# Results\n\nReports regenerated by the suite, one folder per scale (largest first)."
                + " Each report opens with its provenance. Only `paper` numbers are a reproduction of the published ones;"
                + " `reduced` and `smoke` stand beside them for orientation.\n\n");
        List<Scale> scales = new ArrayList<>(List.of(Scale.values()));
        java.util.Collections.reverse(scales);
        for (Scale s : scales) {
            if (Files.exists(out.getParent().resolve(s.id()).resolve("README.md"))) {
                md.append("- [").append(s.id()).append("](").append(s.id()).append("/README.md)\n");
            }
        }
        if (Files.exists(out.getParent().resolve("performance.md"))) {
            md.append("\nPerformance of the kernels and training steps (`suite bench`): [performance.md](performance.md)\n");
        }
        AtomicFiles.writeAtomically(out.getParent().resolve("README.md"), md.toString());
    }

    Provenance provenance(Set<org.convrelu.datasets.Dataset> used, Map<String, String> implementations) {
        Map<String, String> sums = new TreeMap<>();
        for (org.convrelu.datasets.Dataset d : used) {
            sums.put(d.title(), Data.checksumStatus(d, data));
        }
        return new Provenance(command, scale.id(), gitCommit(), Instant.now().truncatedTo(ChronoUnit.SECONDS).toString(),
                System.getProperty("java.vm.name") + " " + System.getProperty("java.version"), backend(), sums, seedList(),
                implementations);
    }

    /** Per op kind, the implementations that trained these results ("not recorded" for results stored without them). */
    static Map<String, String> implementations(Collection<List<CellResult>> results) {
        Map<String, Set<String>> byKind = new TreeMap<>();
        boolean unrecorded = false;
        for (List<CellResult> rs : results) {
            for (CellResult r : rs) {
                if (!r.ok()) {
                    continue;
                }
                if (r.implementations() == null) {
                    unrecorded = true;
                    continue;
                }
                r.implementations().forEach((kind, impls) -> byKind.computeIfAbsent(kind, k -> new TreeSet<>()).addAll(impls));
            }
        }
        Map<String, String> out = new TreeMap<>();
        byKind.forEach((kind, impls) -> out.put(kind, String.join(", ", impls)));
        if (unrecorded) {
            out.put("(cells trained before implementations were recorded)", "not recorded");
        }
        return out;
    }

    static String backend() {
        Properties build = new Properties();
        try (var in = Suite.class.getResourceAsStream("build.properties")) {
            if (in != null) {
                build.load(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        var env = Nd4j.getExecutioner().getEnvironmentInformation();
        return "ND4J " + build.getProperty("nd4j.version", "?") + " " + env.get("backend") + " (" + build.getProperty("nd4j.backend", "?")
                + " " + build.getProperty("nd4j.classifier", "?") + ", BLAS " + env.get("blas.vendor") + ", " + env.get("omp.threads")
                + " OpenMP threads, " + Runtime.getRuntime().availableProcessors() + " cores); " + Backends.describe();
    }

    private static String commit;

    /** The commit the code came from, "-dirty" when tracked files outside reports/results differ from it. */
    static synchronized String gitCommit() {
        if (commit == null) {
            String head = git("rev-parse", "--short=12", "HEAD");
            String changes = git("status", "--porcelain", "--untracked-files=no", "--", ".", ":(exclude)reports/results");
            commit = head == null ? "unknown (not a git checkout)" : head + (changes == null || changes.isEmpty() ? "" : "-dirty");
        }
        return commit;
    }

    private static String git(String... args) {
        try {
            List<String> command = new ArrayList<>(List.of("git"));
            command.addAll(List.of(args));
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String s = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            return p.waitFor() == 0 ? s : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
