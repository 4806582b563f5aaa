package org.convrelu.reports;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.convrelu.io.AtomicFiles;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.VectorGraphicsEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.Styler;

/** The paper's figures as PNG and SVG, drawn with XChart. */
public final class Plots {
    private Plots() {}

    /**
     * Lines {@code name → [xs, ys]} or {@code name → [xs, ys, half-widths]} (Figure 5's accuracy
     * curves; the third row, where given, draws each point's spread as an error bar in the series' colour); writes
     * {@code base.png} and {@code base.svg}.
     */
    public static void lines(Path base, String title, String xLabel, String yLabel, Map<String, double[][]> series) {
        XYChart chart = new XYChartBuilder().width(900).height(560).title(title).xAxisTitle(xLabel).yAxisTitle(yLabel).build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideSE);
        chart.getStyler().setMarkerSize(4);
        chart.getStyler().setErrorBarsColorSeriesColor(true);
        chart.getStyler().setChartTitleFont(chart.getStyler().getChartTitleFont().deriveFont(14f));
        series.forEach((name, xy) -> {
            if (xy.length > 2) {
                chart.addSeries(name, xy[0], xy[1], xy[2]);
            } else {
                chart.addSeries(name, xy[0], xy[1]);
            }
        });
        save(base, chart);
    }

    /**
     * A histogram of {@code values} in {@code bins} equal bins (Figure 6's thresholds), drawn as a
     * step outline over a numeric axis, so that its tick labels stay few and readable.
     */
    public static void histogram(Path base, String title, String xLabel, double[] values, int bins) {
        double min = java.util.Arrays.stream(values).min().orElse(0);
        double max = java.util.Arrays.stream(values).max().orElse(1);
        if (max == min) {
            max = min + 1e-9;
        }
        double width = (max - min) / bins;
        double[] counts = new double[bins];
        for (double v : values) {
            counts[Math.min(bins - 1, (int) ((v - min) / width))]++;
        }
        // each bin as a flat top from its left to its right edge, dropping to 0 at both ends
        double[] x = new double[2 * bins + 2];
        double[] y = new double[2 * bins + 2];
        x[0] = min;
        for (int i = 0; i < bins; i++) {
            x[2 * i + 1] = min + i * width;
            x[2 * i + 2] = min + (i + 1) * width;
            y[2 * i + 1] = counts[i];
            y[2 * i + 2] = counts[i];
        }
        x[2 * bins + 1] = max;
        XYChart chart = new XYChartBuilder().width(900).height(560).title(title).xAxisTitle(xLabel).yAxisTitle("count").build();
        // XChart puts a tick at every x value when they are equally spaced, as bin edges are;
        // bounds on a round step off the bin grid keep its round ticks instead
        double step = roundStep((max - min) / 8);
        double lo = Math.floor(min / step) * step;
        double hi = Math.ceil(max / step) * step;
        chart.getStyler().setXAxisMin(lo == min ? lo - step : lo);
        chart.getStyler().setXAxisMax(hi == max ? hi + step : hi);
        chart.getStyler().setLegendVisible(false);
        chart.getStyler().setMarkerSize(0);
        chart.getStyler().setDefaultSeriesRenderStyle(org.knowm.xchart.XYSeries.XYSeriesRenderStyle.Area);
        chart.getStyler().setXAxisDecimalPattern("0.00");
        chart.getStyler().setChartTitleFont(chart.getStyler().getChartTitleFont().deriveFont(14f));
        chart.addSeries("thresholds", x, y);
        save(base, chart);
    }

    /** The smallest of 1, 2, 2.5 and 5 times a power of ten at or above {@code rough}. */
    static double roundStep(double rough) {
        double power = Math.pow(10, Math.floor(Math.log10(rough)));
        for (double m : new double[] {1, 2, 2.5, 5}) {
            if (m * power >= rough * (1 - 1e-9)) {
                return m * power;
            }
        }
        return 10 * power;
    }

    private static void save(Path base, org.knowm.xchart.internal.chartpart.Chart<?, ?> chart) {
        try {
            Files.createDirectories(base.toAbsolutePath().getParent());
            Path png = base.resolveSibling(base.getFileName() + ".png");
            Path svg = base.resolveSibling(base.getFileName() + ".svg");
            byte[] bytes = BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
            AtomicFiles.writeAtomically(png, bytes);
            Path tmpSvg = Files.createTempFile(svg.toAbsolutePath().getParent(), ".figure", ".svg");
            VectorGraphicsEncoder.saveVectorGraphic(chart, tmpSvg.toString(), VectorGraphicsEncoder.VectorGraphicsFormat.SVG);
            AtomicFiles.writeAtomically(svg, Files.readAllBytes(tmpSvg));
            Files.deleteIfExists(tmpSvg);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write figure " + base, e);
        }
    }
}
