package org.convrelu.datasets.image;

import java.util.Arrays;

/**
 * Per-channel mean and standard deviation of pixel values scaled to [0, 1], computed from a
 * (training) split, never hard-coded.
 */
public record ChannelStats(double[] mean, double[] std) {

    public static ChannelStats of(ImageSet set) {
        int c = set.channels();
        int plane = set.height() * set.width();
        double[] sum = new double[c];
        double[] sq = new double[c];
        byte[] px = set.pixels();
        for (int n = 0; n < set.size(); n++) {
            for (int ch = 0; ch < c; ch++) {
                int base = (n * c + ch) * plane;
                long s = 0;
                long s2 = 0;
                for (int i = 0; i < plane; i++) {
                    int v = px[base + i] & 0xFF;
                    s += v;
                    s2 += (long) v * v;
                }
                sum[ch] += s;
                sq[ch] += s2;
            }
        }
        double count = (double) set.size() * plane;
        double[] mean = new double[c];
        double[] std = new double[c];
        for (int ch = 0; ch < c; ch++) {
            double m = sum[ch] / count;
            mean[ch] = m / 255.0;
            std[ch] = Math.sqrt(Math.max(0, sq[ch] / count - m * m)) / 255.0;
        }
        return new ChannelStats(mean, std);
    }

    @Override
    public String toString() {
        return "mean " + fmt(mean) + ", std " + fmt(std);
    }

    private static String fmt(double[] v) {
        return Arrays.stream(v).mapToObj(d -> String.format(java.util.Locale.ROOT, "%.4f", d))
                .collect(java.util.stream.Collectors.joining(", ", "(", ")"));
    }
}
