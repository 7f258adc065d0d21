package com.consentry.bench;

import javax.imageio.ImageIO;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * A PNG of the run, drawn with java.awt in headless mode: records committed over time (top) and
 * records/s between samples (bottom, averaged over {@value #SMOOTH} samples), one line per app.
 */
final class ThroughputPlot {
    private static final int WIDTH = 1000;
    private static final int PANEL = 300;
    private static final int LEFT = 90;
    private static final int RIGHT = 160;
    private static final int TOP = 40;
    private static final int GAP = 60;
    private static final int SMOOTH = 4;
    private static final Color[] COLOURS = {new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c),
            new Color(0xd62728)};

    private ThroughputPlot() {
    }

    static void write(List<AppResult> apps, String title, Path png) throws IOException {
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
        BufferedImage image = new BufferedImage(WIDTH, TOP + 2 * PANEL + GAP + 50, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, image.getWidth(), image.getHeight());
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
        g.drawString(title, LEFT, 22);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        List<List<double[]>> rates = new ArrayList<>();
        for (AppResult a : apps) {
            rates.add(rates(a.samples()));
        }
        double maxSeconds = apps.stream().flatMap(a -> a.samples().stream()).mapToDouble(Sample::seconds).max().orElse(1);
        double maxRecords = apps.stream().flatMap(a -> a.samples().stream()).mapToDouble(Sample::records).max().orElse(1);
        double maxRate = rates.stream().flatMap(List::stream).mapToDouble(p -> p[1]).max().orElse(1);
        List<List<double[]>> cumulative = new ArrayList<>();
        for (AppResult a : apps) {
            cumulative.add(a.samples().stream().map(s -> new double[] {s.seconds(), s.records()}).toList());
        }
        panel(g, TOP, "records committed", maxSeconds, maxRecords, cumulative, apps, true);
        panel(g, TOP + PANEL + GAP, "records/s", maxSeconds, maxRate, rates, apps, false);
        g.dispose();
        ImageIO.write(image, "png", png.toFile());
    }

    /** Records/s between consecutive samples, averaged over a few samples. */
    private static List<double[]> rates(List<Sample> samples) {
        List<double[]> out = new ArrayList<>();
        for (int i = SMOOTH; i < samples.size(); i += 1) {
            Sample a = samples.get(i - SMOOTH);
            Sample b = samples.get(i);
            if (b.seconds() > a.seconds()) {
                out.add(new double[] {b.seconds(), (b.records() - a.records()) / (b.seconds() - a.seconds())});
            }
        }
        return out;
    }

    private static void panel(Graphics2D g, int top, String label, double dataMaxX, double dataMaxY,
                              List<List<double[]>> series, List<AppResult> apps, boolean legend) {
        int plotWidth = WIDTH - LEFT - RIGHT;
        double stepX = niceStep(dataMaxX);
        double stepY = niceStep(dataMaxY);
        double maxX = Math.max(stepX, Math.ceil(dataMaxX / stepX) * stepX);
        double maxY = Math.max(stepY, Math.ceil(dataMaxY / stepY) * stepY);
        g.setColor(Color.BLACK);
        g.drawRect(LEFT, top, plotWidth, PANEL);
        g.drawString(label, 8, top - 6);
        g.drawString("seconds since the app's JVM started", LEFT + plotWidth / 2 - 90, top + PANEL + 30);
        for (double v = 0; v <= maxY + stepY / 2; v += stepY) {
            int y = (int) (top + PANEL - v / maxY * PANEL);
            g.setColor(new Color(0xdddddd));
            g.drawLine(LEFT + 1, y, LEFT + plotWidth - 1, y);
            g.setColor(Color.BLACK);
            g.drawString(tick(v, stepY), 8, y + 4);
        }
        for (double v = 0; v <= maxX + stepX / 2; v += stepX) {
            g.drawString(tick(v, stepX), (int) (LEFT + v / maxX * plotWidth) - 8, top + PANEL + 15);
        }
        ToDoubleFunction<double[]> px = p -> LEFT + p[0] / maxX * plotWidth;
        ToDoubleFunction<double[]> py = p -> top + PANEL - (maxY <= 0 ? 0 : p[1] / maxY * PANEL);
        g.setStroke(new BasicStroke(2f));
        for (int s = 0; s < series.size(); s++) {
            g.setColor(COLOURS[s % COLOURS.length]);
            List<double[]> points = series.get(s);
            for (int i = 1; i < points.size(); i++) {
                g.drawLine((int) px.applyAsDouble(points.get(i - 1)), (int) py.applyAsDouble(points.get(i - 1)),
                        (int) px.applyAsDouble(points.get(i)), (int) py.applyAsDouble(points.get(i)));
            }
            if (legend) {
                g.fillRect(LEFT + plotWidth + 15, top + 10 + s * 18, 12, 12);
                g.drawString(apps.get(s).app(), LEFT + plotWidth + 32, top + 21 + s * 18);
            }
        }
        g.setStroke(new BasicStroke(1f));
    }

    private static String tick(double v, double step) {
        return String.format(Locale.ROOT, step < 1 ? "%.1f" : "%,.0f", v);
    }

    /** A round step (1, 2 or 5 times a power of ten) giving four to ten ticks up to {@code max}. */
    static double niceStep(double max) {
        if (max <= 0) {
            return 1;
        }
        double raw = max / 5;
        double magnitude = Math.pow(10, Math.floor(Math.log10(raw)));
        double r = raw / magnitude;
        return (r < 1.5 ? 1 : r < 3.5 ? 2 : r < 7.5 ? 5 : 10) * magnitude;
    }
}
