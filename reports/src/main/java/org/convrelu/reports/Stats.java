package org.convrelu.reports;

import org.apache.commons.math3.distribution.TDistribution;

/** Mean, standard deviation and Student-t 95% confidence intervals over seeds. */
public final class Stats {
    private Stats() {}

    /** A value with its 95% confidence interval; the interval is NaN with fewer than two values. */
    public record Estimate(double mean, double sd, int n, double low, double high) {
        public boolean hasInterval() {
            return n >= 2;
        }
    }

    public static double mean(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x;
        }
        return s / v.length;
    }

    /** Sample standard deviation (n − 1); NaN for one value. */
    public static double sd(double[] v) {
        if (v.length < 2) {
            return Double.NaN;
        }
        double m = mean(v);
        double s = 0;
        for (double x : v) {
            s += (x - m) * (x - m);
        }
        return Math.sqrt(s / (v.length - 1));
    }

    /** Mean with a t-based 95% confidence interval. */
    public static Estimate estimate(double[] v) {
        double m = mean(v);
        if (v.length < 2) {
            return new Estimate(m, Double.NaN, v.length, Double.NaN, Double.NaN);
        }
        double sd = sd(v);
        double half = new TDistribution(v.length - 1).inverseCumulativeProbability(0.975) * sd / Math.sqrt(v.length);
        return new Estimate(m, sd, v.length, m - half, m + half);
    }

    /**
     * Difference of means {@code a − b} with a Welch 95% confidence interval: the reader sees
     * whether a gain of a few tenths of a point stands out from seed noise.
     */
    public static Estimate difference(double[] a, double[] b) {
        double d = mean(a) - mean(b);
        if (a.length < 2 || b.length < 2) {
            return new Estimate(d, Double.NaN, Math.min(a.length, b.length), Double.NaN, Double.NaN);
        }
        double va = Math.pow(sd(a), 2) / a.length;
        double vb = Math.pow(sd(b), 2) / b.length;
        double se = Math.sqrt(va + vb);
        if (se == 0) {
            return new Estimate(d, 0, Math.min(a.length, b.length), d, d);
        }
        double df = Math.pow(va + vb, 2) / (va * va / (a.length - 1) + vb * vb / (b.length - 1));
        double half = new TDistribution(df).inverseCumulativeProbability(0.975) * se;
        return new Estimate(d, se, Math.min(a.length, b.length), d - half, d + half);
    }
}
