package org.convrelu.reports;

import org.apache.commons.math3.distribution.TDistribution;

/** Mean, standard deviation and Student-t 95% confidence intervals over seeds; differences are {@link PairedDifferences}. */
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
}
