package io.sfu.bench.load;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A line chart as inline SVG, for the HTML report: numeric x and y axes with rounded ticks (y from 0), one polyline
 * with point markers per series, optional horizontal threshold lines (the objective) and a vertical marker (the
 * last passing step), and a legend. Missing values (NaN) break a line. No scripts, no external resources.
 */
public final class SvgChart {
    private static final int LEFT = 64;
    private static final int RIGHT = 16;
    private static final int TOP = 36;
    private static final int BOTTOM = 48;

    private record Series(String name, String color, double[] xs, double[] ys) {
    }

    private record Threshold(String label, double y, String color) {
    }

    private final String title;
    private final String xLabel;
    private final String yLabel;
    private final List<Series> series = new ArrayList<>();
    private final List<Threshold> thresholds = new ArrayList<>();
    private double markerX = Double.NaN;
    private String markerLabel;

    public SvgChart(String title, String xLabel, String yLabel) {
        this.title = title;
        this.xLabel = xLabel;
        this.yLabel = yLabel;
    }

    /** Adds a series; {@code xs} and {@code ys} have the same length. */
    public SvgChart series(String name, String color, double[] xs, double[] ys) {
        if (xs.length != ys.length) {
            throw new IllegalArgumentException("xs and ys differ in length");
        }
        series.add(new Series(name, color, xs.clone(), ys.clone()));
        return this;
    }

    /** A dashed horizontal line at {@code y}. */
    public SvgChart threshold(String label, double y, String color) {
        thresholds.add(new Threshold(label, y, color));
        return this;
    }

    /** A dotted vertical line at {@code x}. */
    public SvgChart marker(String label, double x) {
        this.markerLabel = label;
        this.markerX = x;
        return this;
    }

    /** The chart as an {@code <svg>} element. */
    public String render(int width, int height) {
        double minX = Double.POSITIVE_INFINITY;
        double maxX = Double.NEGATIVE_INFINITY;
        double maxY = 0;
        for (Series s : series) {
            for (int i = 0; i < s.xs.length; i++) {
                if (Double.isFinite(s.xs[i]) && Double.isFinite(s.ys[i])) {
                    minX = Math.min(minX, s.xs[i]);
                    maxX = Math.max(maxX, s.xs[i]);
                    maxY = Math.max(maxY, s.ys[i]);
                }
            }
        }
        for (Threshold t : thresholds) {
            // a threshold far above the data would flatten it: show it only when it is near
            if (t.y <= maxY * 3 || maxY == 0) {
                maxY = Math.max(maxY, t.y);
            }
        }
        boolean empty = minX == Double.POSITIVE_INFINITY;
        if (empty) {
            minX = 0;
            maxX = 1;
        }
        if (maxX - minX < 1e-9) {
            minX -= 1;
            maxX += 1;
        }
        double yStep = niceStep(maxY <= 0 ? 1 : maxY, 5);
        double yTop = Math.max(yStep, Math.ceil(maxY * 1.05 / yStep) * yStep);
        double xStep = niceStep(maxX - minX, 8);
        int plotW = width - LEFT - RIGHT;
        int plotH = height - TOP - BOTTOM;
        double fx0 = minX;
        double fx1 = maxX;
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" "
                + "font-family=\"sans-serif\" font-size=\"11\" role=\"img\" aria-label=\"%s\">%n",
            width, height, width, height, escape(title)));
        sb.append(String.format(Locale.ROOT, "<rect x=\"0\" y=\"0\" width=\"%d\" height=\"%d\" fill=\"#fff\"/>%n",
            width, height));
        sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"18\" font-size=\"14\" font-weight=\"bold\">%s"
            + "</text>%n", LEFT, escape(title)));
        // y grid and labels
        for (double y = 0; y <= yTop + yStep / 2; y += yStep) {
            double py = TOP + plotH - y / yTop * plotH;
            sb.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" "
                + "stroke=\"#e3e3e3\"/><text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>%n", LEFT, py,
                LEFT + plotW, py, LEFT - 6, py + 4, label(y, yStep)));
        }
        // x ticks
        double firstX = Math.ceil(fx0 / xStep) * xStep;
        for (double x = firstX; x <= fx1 + xStep / 1000; x += xStep) {
            double px = LEFT + (x - fx0) / (fx1 - fx0) * plotW;
            sb.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#999\"/>"
                + "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>%n", px, TOP + plotH, px, TOP + plotH + 4,
                px, TOP + plotH + 16, label(x, xStep)));
        }
        sb.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" "
            + "stroke=\"#666\"/>%n", LEFT, TOP, plotW, plotH));
        sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">%s</text>%n",
            LEFT + plotW / 2, height - 8, escape(xLabel)));
        sb.append(String.format(Locale.ROOT, "<text x=\"14\" y=\"%d\" text-anchor=\"middle\" "
            + "transform=\"rotate(-90 14 %d)\">%s</text>%n", TOP + plotH / 2, TOP + plotH / 2, escape(yLabel)));
        for (Threshold t : thresholds) {
            if (t.y > yTop) {
                continue;
            }
            double py = TOP + plotH - t.y / yTop * plotH;
            sb.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"%s\" "
                + "stroke-dasharray=\"6 4\"/><text x=\"%d\" y=\"%.1f\" text-anchor=\"end\" fill=\"%s\">%s</text>%n",
                LEFT, py, LEFT + plotW, py, t.color, LEFT + plotW - 4, py - 4, t.color, escape(t.label)));
        }
        if (Double.isFinite(markerX) && markerX >= fx0 && markerX <= fx1) {
            double px = LEFT + (markerX - fx0) / (fx1 - fx0) * plotW;
            sb.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#2a7\" "
                + "stroke-dasharray=\"2 3\"/><text x=\"%.1f\" y=\"%d\" fill=\"#2a7\">%s</text>%n", px, TOP, px,
                TOP + plotH, px + 3, TOP + 12, escape(markerLabel)));
        }
        for (Series s : series) {
            StringBuilder path = new StringBuilder();
            StringBuilder dots = new StringBuilder();
            boolean pen = false;
            for (int i = 0; i < s.xs.length; i++) {
                if (!Double.isFinite(s.xs[i]) || !Double.isFinite(s.ys[i])) {
                    pen = false;
                    continue;
                }
                double px = LEFT + (s.xs[i] - fx0) / (fx1 - fx0) * plotW;
                double py = TOP + plotH - Math.min(s.ys[i], yTop) / yTop * plotH;
                path.append(pen ? " L" : " M").append(String.format(Locale.ROOT, "%.1f %.1f", px, py));
                pen = true;
                if (s.xs.length <= 60) {
                    dots.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"2.5\" fill=\"%s\"/>",
                        px, py, s.color));
                }
            }
            if (path.length() > 0) {
                sb.append(String.format(Locale.ROOT, "<path d=\"%s\" fill=\"none\" stroke=\"%s\" stroke-width=\"2\"/>"
                    + "%s%n", path.toString().trim(), s.color, dots));
            }
        }
        int lx = LEFT + 8;
        for (Series s : series) {
            sb.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"12\" height=\"3\" fill=\"%s\"/>"
                + "<text x=\"%d\" y=\"%d\">%s</text>%n", lx, TOP + 8, s.color, lx + 16, TOP + 13, escape(s.name)));
            lx += 26 + 7 * s.name.length();
        }
        if (empty) {
            sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\" fill=\"#999\">"
                + "no data</text>%n", LEFT + plotW / 2, TOP + plotH / 2));
        }
        sb.append("</svg>");
        return sb.toString();
    }

    /** A step of 1, 2 or 5 times a power of ten giving about {@code count} intervals over {@code range}. */
    static double niceStep(double range, int count) {
        double raw = range / count;
        double magnitude = Math.pow(10, Math.floor(Math.log10(raw)));
        double fraction = raw / magnitude;
        double nice = fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10;
        return nice * magnitude;
    }

    private static String label(double v, double step) {
        if (step >= 1 && Math.abs(v - Math.rint(v)) < 1e-9) {
            return String.format(Locale.ROOT, "%.0f", v);
        }
        int digits = (int) Math.max(0, Math.ceil(-Math.log10(step)));
        return String.format(Locale.ROOT, "%." + digits + "f", v);
    }

    static String escape(String s) {
        if (s == null) {
            return "";
        }
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
