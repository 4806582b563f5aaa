package org.convrelu.reports;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.commons.math3.distribution.TDistribution;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.ArrayRealVector;
import org.apache.commons.math3.linear.DecompositionSolver;
import org.apache.commons.math3.linear.QRDecomposition;
import org.apache.commons.math3.linear.RealMatrix;
import org.apache.commons.math3.linear.RealVector;

/**
 * The differences between the rows of one column of a table (one dataset × network), analysed with
 * the seeds as blocks.
 *
 * <p>A seed fixes the data order, the augmentation, the dropout masks and the initial weights of
 * the layers the rows share, so the rows' results for one seed share noise. The model is two-way
 * additive, {@code top1[row, block] = μ + α[row] + β[block] + ε}, fitted by least squares; a block is
 * a seed, or a (seed, fold) for cross-validated data, whose held-out fold is shared as well. The
 * residual variance σ², pooled over the column's rows with {@code N − rows − blocks + 1} degrees of
 * freedom ((r − 1)(n − 1) when every row ran every block), gives the difference of two rows its
 * standard error: √(2σ²/n) for n shared blocks, the paired analysis. Rows that share no block with
 * each other (directly or through other rows) fall back to Welch's interval over their per-seed
 * values.
 *
 * <p>Every difference carries the smallest difference its standard error could have detected with
 * 80 % power in a two-sided test at 5 %: {@code (t(0.975, df) + t(0.80, df)) · SE}.
 */
public final class PairedDifferences {
    /** Below this many residual degrees of freedom a difference gets no verdict: the variance estimate is too loose. */
    public static final double MIN_DF = 4;

    /** One result: a row's top-1 for one seed and, with cross-validation, one held-out fold (0 without). */
    public record Observation(String row, long seed, int fold, double value) {}

    /** How a difference was analysed. */
    public enum Method {
        /** Seeds (or seed × fold) as blocks, the residual pooled over the column's rows. */
        PAIRED,
        /** Welch's unequal-variance interval over the per-seed values: the rows share no block. */
        WELCH,
        /** Not enough results for any interval (one seed, or no residual left). */
        NONE
    }

    /**
     * {@code a − b}: the estimate, its standard error and degrees of freedom, the 95 % interval, the
     * two-sided p-value, and the difference detectable at 80 % power; {@code blocks} counts the
     * blocks both rows ran (seeds, or seed × fold). Without an interval the statistics are NaN.
     */
    public record Difference(double estimate, double se, double df, Method method, int blocks, int seedsA, int seedsB,
            double low, double high, double p, double detectable) {

        public boolean hasInterval() {
            return method != Method.NONE;
        }

        /** Enough residual degrees of freedom for a verdict ({@link #MIN_DF}). */
        public boolean decidable() {
            return hasInterval() && df >= MIN_DF;
        }

        /** How the report names the analysis: "paired over 10 seeds" or "Welch (no shared seeds)". */
        public String methodText() {
            return switch (method) {
                case PAIRED -> String.format(Locale.ROOT, "paired, %d shared %s, residual df %s", blocks,
                        blocks == 1 ? "block" : "blocks", df == Math.rint(df) ? Long.toString((long) df) : String.format(Locale.ROOT, "%.1f", df));
                case WELCH -> String.format(Locale.ROOT, "Welch (no shared seeds), %d and %d seeds, df %.1f", seedsA, seedsB, df);
                case NONE -> "no interval (" + Math.min(seedsA, seedsB) + " seed" + (Math.min(seedsA, seedsB) == 1 ? "" : "s")
                        + ", no residual left)";
            };
        }

        static Difference none(double estimate, int blocks, int seedsA, int seedsB) {
            return new Difference(estimate, Double.NaN, Double.NaN, Method.NONE, blocks, seedsA, seedsB, Double.NaN, Double.NaN,
                    Double.NaN, Double.NaN);
        }

        static Difference of(double estimate, double se, double df, Method method, int blocks, int seedsA, int seedsB) {
            if (!(se > 0) || !(df > 0) || !Double.isFinite(se)) { // a zero standard error gives no interval, never one of zero width
                return none(estimate, blocks, seedsA, seedsB);
            }
            TDistribution t = new TDistribution(df);
            double half = t.inverseCumulativeProbability(0.975) * se;
            double p = 2 * t.cumulativeProbability(-Math.abs(estimate / se));
            return new Difference(estimate, se, df, method, blocks, seedsA, seedsB, estimate - half, estimate + half, p,
                    PairedDifferences.detectable(se, df));
        }
    }

    private final Map<String, List<Observation>> byRow = new LinkedHashMap<>();
    private final Map<String, Integer> component = new LinkedHashMap<>(); // row → its connected part of the row–block graph
    private final List<Fit> fits = new ArrayList<>();
    private final double residualVariance; // σ², pooled over every part
    private final double residualDf;

    /** One connected part of the design: its rows, the row effects' covariance / σ² and the estimates (the first row's effect 0). */
    private record Fit(List<String> rows, double[] effects, RealMatrix covariance) {}

    private PairedDifferences(List<Observation> observations) {
        for (Observation o : observations) {
            byRow.computeIfAbsent(o.row(), k -> new ArrayList<>()).add(o);
        }
        List<List<String>> parts = connectedRows();
        double ss = 0;
        double df = 0;
        for (List<String> part : parts) {
            for (String row : part) {
                component.put(row, fits.size());
            }
            List<Observation> obs = part.stream().flatMap(r -> byRow.get(r).stream()).toList();
            List<String> blocks = new ArrayList<>(new LinkedHashSet<>(obs.stream().map(PairedDifferences::block).toList()));
            int p = part.size() + blocks.size() - 1; // μ, α[1..r-1], β[1..b-1]
            double[][] x = new double[obs.size()][p];
            double[] y = new double[obs.size()];
            for (int i = 0; i < obs.size(); i++) {
                Observation o = obs.get(i);
                x[i][0] = 1;
                int r = part.indexOf(o.row());
                if (r > 0) {
                    x[i][r] = 1;
                }
                int b = blocks.indexOf(block(o));
                if (b > 0) {
                    x[i][part.size() - 1 + b] = 1;
                }
                y[i] = o.value();
            }
            RealMatrix design = new Array2DRowRealMatrix(x, false);
            DecompositionSolver solver = new QRDecomposition(design, 1e-10).getSolver();
            RealVector coef = solver.solve(new ArrayRealVector(y, false));
            RealVector residual = design.operate(coef).subtract(new ArrayRealVector(y, false));
            // a fit exact but for rounding leaves no residual: its variance is 0, not 1e-30
            double rss = residual.dotProduct(residual);
            ss += rss <= 1e-24 * Math.max(1, new ArrayRealVector(y, false).dotProduct(new ArrayRealVector(y, false))) ? 0 : rss;
            df += obs.size() - p;
            RealMatrix pinv = solver.getInverse(); // (X'X)⁻¹X' for a design of full column rank
            RealMatrix cov = pinv.multiply(pinv.transpose());
            double[] effects = new double[part.size()];
            for (int r = 1; r < part.size(); r++) {
                effects[r] = coef.getEntry(r);
            }
            // the row effects α[1..r-1] are coefficients 1..r-1, after μ
            fits.add(new Fit(part, effects, part.size() < 2 ? null : cov.getSubMatrix(1, part.size() - 1, 1, part.size() - 1)));
        }
        this.residualDf = df;
        this.residualVariance = df > 0 ? ss / df : Double.NaN;
    }

    /** The analysis of one column's results. */
    public static PairedDifferences of(List<Observation> observations) {
        return new PairedDifferences(observations);
    }

    /** The residual variance pooled over the column's rows (NaN without residual degrees of freedom). */
    public double residualVariance() {
        return residualVariance;
    }

    public double residualDf() {
        return residualDf;
    }

    /** {@code a − b}, paired where the two rows share blocks, Welch where they do not. */
    public Difference difference(String a, String b) {
        List<Observation> oa = byRow.get(a);
        List<Observation> ob = byRow.get(b);
        if (oa == null || ob == null) {
            throw new IllegalArgumentException("no results for row " + (oa == null ? a : b) + "; rows: " + byRow.keySet());
        }
        double[] seedsA = seedMeans(oa, a);
        double[] seedsB = seedMeans(ob, b);
        Set<String> shared = new LinkedHashSet<>(oa.stream().map(PairedDifferences::block).toList());
        shared.retainAll(ob.stream().map(PairedDifferences::block).toList());
        if (component.get(a).equals(component.get(b))) {
            Fit fit = fits.get(component.get(a));
            int i = fit.rows().indexOf(a);
            int j = fit.rows().indexOf(b);
            double estimate = fit.effects()[i] - fit.effects()[j];
            // Var(α_i − α_j) / σ² from the covariance of the row effects, the first row's effect fixed at 0 (not in the matrix)
            double vi = i == 0 ? 0 : fit.covariance().getEntry(i - 1, i - 1);
            double vj = j == 0 ? 0 : fit.covariance().getEntry(j - 1, j - 1);
            double cij = i == 0 || j == 0 ? 0 : fit.covariance().getEntry(i - 1, j - 1);
            double se = Math.sqrt(residualVariance * (vi + vj - 2 * cij));
            return Difference.of(estimate, se, residualDf, Method.PAIRED, shared.size(), seedsA.length, seedsB.length);
        }
        return welch(seedsA, seedsB);
    }

    /** Welch's interval for {@code mean(a) − mean(b)}, its df by Satterthwaite; no interval with fewer than two values a side. */
    public static Difference welch(double[] a, double[] b) {
        double estimate = Stats.mean(a) - Stats.mean(b);
        if (a.length < 2 || b.length < 2) {
            return Difference.none(estimate, 0, a.length, b.length);
        }
        double va = Math.pow(Stats.sd(a), 2) / a.length;
        double vb = Math.pow(Stats.sd(b), 2) / b.length;
        double df = Math.pow(va + vb, 2) / (va * va / (a.length - 1) + vb * vb / (b.length - 1));
        return Difference.of(estimate, Math.sqrt(va + vb), df, Method.WELCH, 0, a.length, b.length);
    }

    /** The smallest true difference a two-sided 5 % test with this SE and df detects with 80 % power. */
    public static double detectable(double se, double df) {
        TDistribution t = new TDistribution(df);
        return (t.inverseCumulativeProbability(0.975) + t.inverseCumulativeProbability(0.80)) * se;
    }

    /**
     * Holm's step-down adjustment of a family of p-values (NaN entries are not in the family and
     * stay NaN): the i-th smallest of m is multiplied by m − i + 1, then made non-decreasing, capped at 1.
     */
    public static double[] holm(double[] p) {
        Integer[] order = new Integer[p.length];
        int m = 0;
        for (int i = 0; i < p.length; i++) {
            if (!Double.isNaN(p[i])) {
                order[m++] = i;
            }
        }
        Integer[] tested = Arrays.copyOf(order, m);
        Arrays.sort(tested, Comparator.comparingDouble(i -> p[i]));
        double[] adjusted = new double[p.length];
        Arrays.fill(adjusted, Double.NaN);
        double running = 0;
        for (int k = 0; k < m; k++) {
            running = Math.max(running, Math.min(1, (m - k) * p[tested[k]]));
            adjusted[tested[k]] = running;
        }
        return adjusted;
    }

    /** The rows grouped into the connected parts of the bipartite row–block graph, in first-seen order. */
    private List<List<String>> connectedRows() {
        List<String> rows = new ArrayList<>(byRow.keySet());
        int[] parent = new int[rows.size()];
        for (int i = 0; i < parent.length; i++) {
            parent[i] = i;
        }
        Map<String, Integer> firstRowOfBlock = new LinkedHashMap<>();
        for (int r = 0; r < rows.size(); r++) {
            for (Observation o : byRow.get(rows.get(r))) {
                Integer other = firstRowOfBlock.putIfAbsent(block(o), r);
                if (other != null) {
                    parent[find(parent, r)] = find(parent, other);
                }
            }
        }
        Map<Integer, List<String>> parts = new LinkedHashMap<>();
        for (int r = 0; r < rows.size(); r++) {
            parts.computeIfAbsent(find(parent, r), k -> new ArrayList<>()).add(rows.get(r));
        }
        return new ArrayList<>(parts.values());
    }

    private static int find(int[] parent, int i) {
        while (parent[i] != i) {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        return i;
    }

    private static String block(Observation o) {
        return o.seed() + "/" + o.fold();
    }

    /** The value per seed of {@code row} among {@code obs}, in seed order: the mean over its folds for cross-validated data. */
    public static double[] seedMeans(List<Observation> obs, String row) {
        Map<Long, double[]> sums = new java.util.TreeMap<>();
        for (Observation o : obs) {
            if (!o.row().equals(row)) {
                continue;
            }
            double[] s = sums.computeIfAbsent(o.seed(), k -> new double[2]);
            s[0] += o.value();
            s[1]++;
        }
        return sums.values().stream().mapToDouble(s -> s[0] / s[1]).toArray();
    }
}
