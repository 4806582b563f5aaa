package org.convrelu.experiments.report;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.convrelu.datasets.Dataset;
import org.convrelu.experiments.paper.Label;
import org.convrelu.experiments.paper.PaperTable;
import org.convrelu.experiments.recipe.Cell;
import org.convrelu.experiments.recipe.Recipe;
import org.convrelu.experiments.recipe.Scale;
import org.convrelu.experiments.run.CellResult;
import org.convrelu.nn.train.SiteStats;
import org.convrelu.reports.PairedDifferences;
import org.convrelu.reports.Published;
import org.convrelu.reports.Report;
import org.convrelu.reports.Stats;

/**
 * The report of a table whose entries are trained: every entry × seed × fold, its top-1 per seed
 * (the mean over folds for cross-validated data), its status against the published figure, the
 * "ConvReLU beats X" differences paired by seed with Holm-adjusted verdicts ({@link PairedDifferences}),
 * the activity of the replaced layers,
 * and the recipes that trained the cells, field by field.
 */
public final class TrainedTable {
    private TrainedTable() {}

    public static Report report(PaperTable t, TableContext ctx) {
        Scale scale = ctx.scale();
        Map<String, List<CellResult>> results = new LinkedHashMap<>(); // entry id → every run: seeds × folds
        Map<String, List<Double>> perSeed = new LinkedHashMap<>(); // entry id → top-1 of each seed that ran (fold means); absent if none did
        Map<String, List<PairedDifferences.Observation>> columns = new LinkedHashMap<>(); // data × network → every finished run of its entries
        List<Report.Entry> cells = new ArrayList<>();
        List<Report.Activity> activity = new ArrayList<>();
        Set<Dataset> used = new LinkedHashSet<>();
        List<PaperTable.Entry> entries = ctx.entries(t);
        for (PaperTable.Entry e : entries) {
            used.add(e.cell().data().dataset());
            List<List<CellResult>> bySeed = new ArrayList<>();
            for (long seed : ctx.seeds()) {
                bySeed.add(e.cell().runs(seed).stream().map(ctx::run).toList());
            }
            List<List<CellResult>> complete = new ArrayList<>(); // the seeds whose runs (folds) all finished
            List<Long> ran = new ArrayList<>();
            for (int i = 0; i < bySeed.size(); i++) {
                if (bySeed.get(i).stream().allMatch(CellResult::ok)) {
                    complete.add(bySeed.get(i));
                    ran.add(ctx.seeds().get(i));
                }
            }
            List<CellResult> rs = complete.stream().flatMap(List::stream).toList();
            results.put(e.id(), rs);
            Double published = Published.value(t.id(), e.row().id(), e.column().id()).orElse(null);
            CellResult notRun = bySeed.stream().flatMap(List::stream).filter(r -> !r.ok()).findFirst().orElse(null);
            if (complete.isEmpty()) {
                cells.add(new Report.Entry(e.row().text(), e.column().text(), "top1_pct", published, List.of(), "not_run", notRun.reason()));
                continue;
            }
            List<Double> values = perSeed(complete);
            perSeed.put(e.id(), values);
            List<PairedDifferences.Observation> column = columns.computeIfAbsent(column(e), k -> new ArrayList<>());
            for (int i = 0; i < complete.size(); i++) {
                List<Cell> runs = e.cell().runs(ran.get(i));
                for (int f = 0; f < runs.size(); f++) {
                    column.add(new PairedDifferences.Observation(e.cell().key(), ran.get(i), runs.get(f).fold(), complete.get(i).get(f).top1()));
                }
            }
            String partial = rs.stream().map(CellResult::partialData).filter(Objects::nonNull).findFirst().orElse(null);
            String missing = "";
            if (notRun != null) { // some seeds ran, others did not: the values are theirs, and the cell says so
                missing = "incomplete: seeds " + ran + " of " + ctx.seeds() + "; the others not run (" + notRun.reason() + ") | ";
            }
            String status = !missing.isEmpty() ? "incomplete" : rs.stream().anyMatch(CellResult::modifiedData) ? "modified_data"
                    : partial != null ? "partial_data" : status(scale, published, values);
            List<Integer> folds = e.cell().runs(1).stream().map(Cell::fold).filter(f -> f > 0).toList();
            String cv = folds.isEmpty() ? "" : "folds " + folds + " of " + Recipe.MR_FOLDS + " held out in turn, top-1 averaged over them"
                    + " per seed | ";
            cells.add(new Report.Entry(e.row().text(), e.column().text(), "top1_pct", published, values, status,
                    missing + (partial == null ? "" : "partial data: " + partial + " | ") + cv + rs.get(0).data() + " | " + rs.get(0).model()));
            activity.addAll(activity(e.row().text() + " / " + e.column().text(), rs));
        }
        Map<String, Integer> pooledRows = addOtherTablesRows(t, ctx, columns);
        List<Report.Comparison> comparisons = new ArrayList<>();
        for (PaperTable.Pair p : t.comparisons()) {
            String better = p.betterRow().id() + "|" + p.betterColumn().id();
            String base = p.baselineRow().id() + "|" + p.baselineColumn().id();
            Double pubBetter = Published.value(t.id(), p.betterRow().id(), p.betterColumn().id()).orElse(null);
            Double pubBase = Published.value(t.id(), p.baselineRow().id(), p.baselineColumn().id()).orElse(null);
            Double pubDiff = pubBetter == null || pubBase == null ? null : pubBetter - pubBase;
            boolean ran = perSeed.get(better) != null && perSeed.get(base) != null;
            comparisons.add(new Report.Comparison(p.label(), label(p.betterRow(), p.betterColumn(), p.label()),
                    label(p.baselineRow(), p.baselineColumn(), p.label()), ran ? difference(entries, columns, better, base) : null, pubDiff));
        }
        List<String> notes = new ArrayList<>(t.notes(scale));
        notes.add("Accuracy is the evaluation top-1 after the last epoch; nothing is selected on the evaluation split.");
        evaluationError(results).ifPresent(notes::add);
        pooledRows.forEach((column, rows) -> notes.add("The residual variance of the " + column.replace("|", " × ") + " column is pooled"
                + " over its " + rows + " trained rows in this table and the others that train it (they share its seeds)."));
        commits(results.values()).ifPresent(notes::add);
        return new Report(t.id(), t.title(), scale.id(), t.rowHeading(), t.rows().stream().map(Label::text).toList(),
                t.columns().stream().map(Label::text).toList(), cells, Report.Comparison.adjusted(comparisons), activity, protocols(entries), notes,
                ctx.provenance(used, implementations(results.values())));
    }

    /**
     * The recipes behind the entries, grouped by data and network: a field with one value in the
     * group prints it, a field that differs between entries (the activation, its placement) lists each.
     */
    static List<Report.Protocol> protocols(List<PaperTable.Entry> entries) {
        Map<String, List<Recipe>> groups = new LinkedHashMap<>();
        for (PaperTable.Entry e : entries) {
            Recipe r = e.cell().recipe();
            groups.computeIfAbsent(r.data().column() + ", " + r.arch().label() + " (" + r.modelName() + ")", k -> new ArrayList<>()).add(r);
        }
        List<Report.Protocol> out = new ArrayList<>();
        groups.forEach((title, recipes) -> {
            List<Recipe.Field> first = recipes.get(0).fields();
            List<Report.ProtocolField> fields = new ArrayList<>();
            for (int i = 0; i < first.size(); i++) {
                Set<String> values = new LinkedHashSet<>();
                Set<String> origins = new TreeSet<>();
                Set<String> reasons = new LinkedHashSet<>();
                for (Recipe r : recipes) {
                    Recipe.Field f = r.fields().get(i);
                    values.add(f.value());
                    origins.add(f.origin().name().toLowerCase(java.util.Locale.ROOT));
                    reasons.add(f.reason());
                }
                String value = values.size() == 1 ? values.iterator().next() : "per entry: " + String.join("; ", values);
                fields.add(new Report.ProtocolField(first.get(i).name(), value, String.join(" / ", origins), String.join("; ", reasons)));
            }
            out.add(new Report.Protocol(title, fields));
        });
        return out;
    }

    /**
     * The column of the seed-paired analysis an entry belongs to: its data and network. Entries of
     * one column share a seed's data order, augmentation and initial weights of their shared layers.
     */
    private static String column(PaperTable.Entry e) {
        return e.cell().data().column() + "|" + e.cell().recipe().modelName();
    }

    /**
     * Adds to each column of this table the stored results of the other tables' entries that train
     * it (never training them), each recipe once: the residual of a column is a property of its data,
     * network and seeds, and more rows estimate it better. Returns, per column, how many rows it pools.
     */
    private static Map<String, Integer> addOtherTablesRows(PaperTable t, TableContext ctx,
            Map<String, List<PairedDifferences.Observation>> columns) {
        for (PaperTable.Entry e : ctx.otherEntries(t)) {
            List<PairedDifferences.Observation> column = columns.get(column(e));
            if (column == null || column.stream().anyMatch(o -> o.row().equals(e.cell().key()))) {
                continue; // another column, or a recipe this table trains itself
            }
            for (long seed : ctx.seeds()) {
                List<Cell> runs = e.cell().runs(seed);
                List<CellResult> rs = runs.stream().map(ctx::storedOnly).toList();
                if (rs.stream().allMatch(r -> r != null && r.ok())) {
                    for (int f = 0; f < runs.size(); f++) {
                        column.add(new PairedDifferences.Observation(e.cell().key(), seed, runs.get(f).fold(), rs.get(f).top1()));
                    }
                }
            }
        }
        Map<String, Integer> rows = new TreeMap<>();
        columns.forEach((c, obs) -> rows.put(c, (int) obs.stream().map(PairedDifferences.Observation::row).distinct().count()));
        return rows;
    }

    /** {@code better − base}, analysed with every entry of their column; entries of different columns share no seed's noise (Welch). */
    private static PairedDifferences.Difference difference(List<PaperTable.Entry> entries, Map<String, List<PairedDifferences.Observation>> columns,
            String better, String base) {
        PaperTable.Entry a = entries.stream().filter(e -> e.id().equals(better)).findFirst().orElseThrow();
        PaperTable.Entry b = entries.stream().filter(e -> e.id().equals(base)).findFirst().orElseThrow();
        if (column(a).equals(column(b))) {
            return PairedDifferences.of(columns.get(column(a))).difference(a.cell().key(), b.cell().key());
        }
        return PairedDifferences.welch(PairedDifferences.seedMeans(columns.get(column(a)), a.cell().key()),
                PairedDifferences.seedMeans(columns.get(column(b)), b.cell().key()));
    }

    private static final java.util.regex.Pattern EVALUATED = java.util.regex.Pattern.compile("evaluation ([\\d,]+) (images|texts)");

    /**
     * The evaluation set's own sampling error, which seed-to-seed intervals leave out: the binomial
     * sd √(p(1 − p)/N) per dataset, at the mean top-1 of its first trained entry, N the evaluated
     * examples (per fold for MR).
     */
    private static java.util.Optional<String> evaluationError(Map<String, List<CellResult>> results) {
        Map<String, String> byColumn = new LinkedHashMap<>();
        for (List<CellResult> rs : results.values()) {
            if (rs.isEmpty() || rs.get(0).data() == null) {
                continue;
            }
            java.util.regex.Matcher m = EVALUATED.matcher(rs.get(0).data());
            if (!m.find()) {
                continue;
            }
            long n = Long.parseLong(m.group(1).replace(",", ""));
            double p = rs.stream().mapToDouble(CellResult::top1).average().orElseThrow() / 100;
            String name = rs.get(0).data().substring(0, rs.get(0).data().indexOf(':'));
            byColumn.putIfAbsent(name, String.format(java.util.Locale.ROOT, "%s %.2f points (%,d %s at %.1f %%)", name,
                    100 * Math.sqrt(p * (1 - p) / n), n, m.group(2), 100 * p));
        }
        return byColumn.isEmpty() ? java.util.Optional.empty() : java.util.Optional.of("The differences' intervals cover seed-to-seed"
                + " noise on a fixed evaluation set. The evaluation set's own sampling error is not in them; as a binomial sd of one"
                + " cell's top-1 it is " + String.join("; ", byColumn.values()) + ".");
    }

    /** The top-1 of each seed whose runs all finished: the cell's, or for cross-validated data the mean over its folds. */
    private static List<Double> perSeed(List<List<CellResult>> complete) {
        return complete.stream().map(folds -> folds.stream().mapToDouble(CellResult::top1).average().orElseThrow()).toList();
    }

    private static String label(Label row, Label column, String pairLabel) {
        return pairLabel.equals(column.text()) ? row.text() : pairLabel.contains(row.text()) ? column.text() : row.text() + " " + column.text();
    }

    /** Paper scale compares with the published figure (within the 95% interval, or 0.5 points of a single seed); smaller scales only measure. */
    private static String status(Scale scale, Double published, List<Double> values) {
        if (scale != Scale.PAPER || published == null) {
            return "measured";
        }
        Stats.Estimate e = Stats.estimate(doubles(values));
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

    /** Which commits trained the cells that ran (results stored before commits were recorded are counted apart). */
    static java.util.Optional<String> commits(Collection<List<CellResult>> results) {
        Set<String> commits = new TreeSet<>();
        long unrecorded = 0;
        for (List<CellResult> rs : results) {
            for (CellResult r : rs) {
                if (r.ok() && r.commit() != null) {
                    commits.add(r.commit());
                } else if (r.ok()) {
                    unrecorded++;
                }
            }
        }
        if (commits.isEmpty() && unrecorded == 0) {
            return java.util.Optional.empty();
        }
        String unknown = unrecorded + " cell run(s) stored without the commit that trained them";
        return java.util.Optional.of(commits.isEmpty() ? unknown + "."
                : "Cells trained by commit " + String.join(", ", commits) + (unrecorded == 0 ? "" : "; " + unknown) + ".");
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
}
