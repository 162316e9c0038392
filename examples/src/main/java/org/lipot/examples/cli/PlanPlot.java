package org.lipot.examples.cli;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Line2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

import javax.imageio.ImageIO;

import org.lipot.transport.TransportPlan;
import org.lipot.transport.io.AtomicWrite;

/**
 * Draws a transport plan as a PNG: source points (blue), target points (orange) and one segment per non-zero
 * {@code P_ij}, its opacity proportional to the mass. 2-D points are drawn in the plane; 1-D points on two
 * horizontal lines (source above, target below), which shows the monotone coupling.
 */
final class PlanPlot {

    private static final int SIZE = 900;
    private static final int MARGIN = 60;
    private static final Color SOURCE = new Color(31, 119, 180);
    private static final Color TARGET = new Color(255, 127, 14);

    private PlanPlot() {
    }

    /**
     * Writes the picture atomically to {@code file}.
     *
     * @throws IllegalArgumentException if the points are neither 1-D nor 2-D, or the plan's shape does not match
     * @throws UncheckedIOException     naming the file if it cannot be written
     */
    static void write(Path file, double[][] x, double[][] y, TransportPlan plan, String title) {
        checkDrawable(x, y);
        int d = x[0].length;
        if (plan.rows() != x.length || plan.cols() != y.length) {
            throw new IllegalArgumentException("plan is " + plan.rows() + " x " + plan.cols() + " but there are "
                    + x.length + " source and " + y.length + " target points");
        }
        double[][] px = d == 2 ? x : onLine(x, 1);
        double[][] py = d == 2 ? y : onLine(y, 0);
        double[] box = boundingBox(px, py);
        double scale = (SIZE - 2.0 * MARGIN) / Math.max(box[2] - box[0], box[3] - box[1]);

        BufferedImage image = new BufferedImage(SIZE, SIZE, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, SIZE, SIZE);

        double[] largest = {0};
        plan.forEachNonZero((i, j, mass) -> largest[0] = Math.max(largest[0], mass));
        double max = largest[0];
        g.setStroke(new BasicStroke(1.2f));
        plan.forEachNonZero((i, j, mass) -> {
            if (mass <= 0) {
                return;
            }
            int alpha = (int) Math.round(40 + 215 * mass / max);
            g.setColor(new Color(80, 80, 80, alpha));
            g.draw(new Line2D.Double(sx(px[i][0], box, scale), sy(px[i][1], box, scale),
                    sx(py[j][0], box, scale), sy(py[j][1], box, scale)));
        });
        double r = x.length + y.length > 2000 ? 2 : 3.5;
        dots(g, px, box, scale, r, SOURCE);
        dots(g, py, box, scale, r, TARGET);

        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 16));
        g.drawString(title, MARGIN, MARGIN / 2 + 6);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        legend(g, SOURCE, "source (" + x.length + ")", SIZE - 330);
        legend(g, TARGET, "target (" + y.length + ")", SIZE - 200);
        g.setColor(Color.DARK_GRAY);
        g.drawString("segments: plan entries P_ij > 0, darker = more mass (" + plan.nonZeroCount() + " entries)",
                MARGIN, SIZE - MARGIN / 2 + 10);
        g.dispose();
        writeAtomically(file, image);
    }

    /**
     * Checks, before solving, that the points can be drawn: both clouds 1-D or both 2-D.
     *
     * @throws IllegalArgumentException naming {@code --plot} and the dimensions
     */
    static void checkDrawable(double[][] x, double[][] y) {
        int d = x[0].length;
        if (d > 2 || y[0].length != d) {
            throw new IllegalArgumentException("--plot draws 1-D or 2-D points, but the points have dimension " + d
                    + " (source) and " + y[0].length + " (target)");
        }
    }

    private static double[][] onLine(double[][] points, double height) {
        double[][] p = new double[points.length][];
        for (int i = 0; i < p.length; i++) {
            p[i] = new double[] {points[i][0], height};
        }
        return p;
    }

    /** {minX, minY, maxX, maxY}, widened so that a degenerate cloud still has a non-zero extent. */
    private static double[] boundingBox(double[][] a, double[][] b) {
        double[] box = {Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY,
                Double.NEGATIVE_INFINITY};
        for (double[][] points : new double[][][] {a, b}) {
            for (double[] p : points) {
                box[0] = Math.min(box[0], p[0]);
                box[1] = Math.min(box[1], p[1]);
                box[2] = Math.max(box[2], p[0]);
                box[3] = Math.max(box[3], p[1]);
            }
        }
        double extent = Math.max(box[2] - box[0], box[3] - box[1]);
        if (!(extent > 0)) {
            extent = 1;
        }
        // centre the shorter side
        double cx = 0.5 * (box[0] + box[2]);
        double cy = 0.5 * (box[1] + box[3]);
        return new double[] {cx - extent / 2, cy - extent / 2, cx + extent / 2, cy + extent / 2};
    }

    private static double sx(double x, double[] box, double scale) {
        return MARGIN + (x - box[0]) * scale;
    }

    private static double sy(double y, double[] box, double scale) {
        return SIZE - MARGIN - (y - box[1]) * scale;
    }

    private static void dots(Graphics2D g, double[][] points, double[] box, double scale, double r, Color color) {
        g.setColor(color);
        for (double[] p : points) {
            g.fill(new Ellipse2D.Double(sx(p[0], box, scale) - r, sy(p[1], box, scale) - r, 2 * r, 2 * r));
        }
    }

    private static void legend(Graphics2D g, Color color, String label, int x) {
        g.setColor(color);
        g.fill(new Ellipse2D.Double(x, SIZE - MARGIN / 2 - 34, 10, 10));
        g.setColor(Color.BLACK);
        g.drawString(label, x + 16, SIZE - MARGIN / 2 - 24);
    }

    private static void writeAtomically(Path file, BufferedImage image) {
        AtomicWrite.write(file, out -> {
            if (!ImageIO.write(image, "png", out)) {
                throw new IOException("no PNG writer available");
            }
        });
    }
}
