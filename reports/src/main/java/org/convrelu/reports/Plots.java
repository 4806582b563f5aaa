package org.convrelu.reports;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.convrelu.io.AtomicFiles;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.VectorGraphicsEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.Styler;

/** The paper's figures as PNG and SVG, drawn with XChart. */
public final class Plots {
    private Plots() {}

    /** Lines {@code name → [xs, ys]} (Figure 5's accuracy curves); writes {@code base.png} and {@code base.svg}. */
    public static void lines(Path base, String title, String xLabel, String yLabel, Map<String, double[][]> series) {
        XYChart chart = new XYChartBuilder().width(800).height(500).title(title).xAxisTitle(xLabel).yAxisTitle(yLabel).build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideSE);
        chart.getStyler().setMarkerSize(4);
        series.forEach((name, xy) -> chart.addSeries(name, xy[0], xy[1]));
        save(base, chart);
    }

    /** A histogram of {@code values} in {@code bins} equal bins (Figure 6's thresholds). */
    public static void histogram(Path base, String title, String xLabel, double[] values, int bins) {
        double min = java.util.Arrays.stream(values).min().orElse(0);
        double max = java.util.Arrays.stream(values).max().orElse(1);
        if (max == min) {
            max = min + 1e-9;
        }
        double[] centres = new double[bins];
        double[] counts = new double[bins];
        double width = (max - min) / bins;
        for (int i = 0; i < bins; i++) {
            centres[i] = min + (i + 0.5) * width;
        }
        for (double v : values) {
            counts[Math.min(bins - 1, (int) ((v - min) / width))]++;
        }
        CategoryChart chart = new CategoryChartBuilder().width(800).height(500).title(title).xAxisTitle(xLabel)
                .yAxisTitle("count").build();
        chart.getStyler().setLegendVisible(false);
        chart.getStyler().setAvailableSpaceFill(0.99);
        chart.getStyler().setXAxisDecimalPattern("0.0000");
        chart.getStyler().setXAxisLabelRotation(45);
        chart.addSeries("thresholds", centres, counts);
        save(base, chart);
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
