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
import java.util.Arrays;
import java.util.Locale;

import javax.imageio.ImageIO;

import org.lipot.transport.TransportPlan;
import org.lipot.transport.io.AtomicWrite;

/**
 * Draws a transport plan as a PNG: source points (blue), target points (orange) and one segment per drawn entry
 * {@code P_ij}, darker for more mass. 2-D points are drawn in the plane; 1-D points on two horizontal lines (source
 * above, target below), which shows the monotone coupling.
 *
 * <p>A sparse plan (fewer than {@code n + m} non-zeros, as exact plans have, and at most {@value #MAX_SEGMENTS}) is
 * drawn whole, darker for more mass; a larger sparse one, for as many sources as {@value #MAX_SEGMENTS} segments
 * allow. A denser one (an entropic plan has all {@code n m} entries positive) would be a grey sheet, and slow: it is
 * drawn as fans, for at most {@value #MAX_ROWS} sources evenly spread in the input order, each with its largest
 * entries until they hold {@value #ROW_SHARE} of its mass (at most {@code MAX_SEGMENTS / sources} of them), darker
 * for more of that source's mass, so that each fan shows where and how widely its source's mass goes. The caption
 * says what was drawn and what share of all the mass it holds. That takes two passes over the plan and memory
 * {@code O(m + MAX_SEGMENTS)}: the drawing time is bounded whatever {@code n m}.
 */
final class PlanPlot {

    /** The most segments drawn. */
    static final int MAX_SEGMENTS = 20_000;
    /** The most sources whose entries a dense plan draws. */
    static final int MAX_ROWS = 100;
    /** The share of a source's mass its drawn entries aim to hold, in a dense plan. */
    static final double ROW_SHARE = 0.9;
    /** In a fan, an entry holding {@code 1 / FAN_SHADE} of its source's mass or more is drawn darkest. */
    private static final double FAN_SHADE = 4;

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

        Entries drawn = entriesToDraw(plan);
        g.setStroke(new BasicStroke(drawn.whole ? 1.2f : 0.8f));
        for (int k = 0; k < drawn.count; k++) {
            int i = drawn.rows[k];
            int j = drawn.cols[k];
            // lightest first, so that heavy segments are drawn on top; a whole (sparse) plan keeps a visible floor
            int alpha = (int) Math.round(drawn.whole ? 40 + 215 * drawn.shade[k] : 6 + 249 * drawn.shade[k]);
            g.setColor(new Color(80, 80, 80, alpha));
            g.draw(new Line2D.Double(sx(px[i][0], box, scale), sy(px[i][1], box, scale),
                    sx(py[j][0], box, scale), sy(py[j][1], box, scale)));
        }
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
        g.drawString(drawn.whole
                ? "segments: plan entries P_ij > 0, darker = more mass (" + drawn.count + " entries)"
                : String.format(Locale.ROOT, "segments: for %s, its largest P_ij up to %.0f%% of its mass (at most %d),"
                        + " darker = more; %d, %.1f%% of all mass", drawn.rowStride == 1 ? "each source"
                        : "1 source in " + drawn.rowStride, 100 * ROW_SHARE, drawn.perRow, drawn.count,
                        100 * drawn.share), MARGIN, SIZE - MARGIN / 2 + 10);
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

    /**
     * Entries to draw, lightest first: {@code count} entries {@code (rows[k], cols[k])} of shade {@code shade[k]} in
     * {@code (0, 1]} (mass relative to the largest entry; for fans, {@code FAN_SHADE} times the share of the source's
     * mass, at most 1, so that a wide fan is light and a narrow one dark), holding
     * {@code share} of the plan's mass; {@code whole} if that is every positive entry, else one source in
     * {@code rowStride} was drawn with at most {@code perRow} of its largest entries.
     */
    record Entries(int[] rows, int[] cols, double[] shade, int count, double share, boolean whole, int rowStride,
                   int perRow) {
    }

    /**
     * The whole plan if it is sparse (fewer than {@code n + m} positive entries, and at most {@link #MAX_SEGMENTS}).
     * Else, for one source in {@code ceil(n / rows)}, its largest entries until they hold {@link #ROW_SHARE} of its
     * mass, at most {@code MAX_SEGMENTS / (sources drawn)} of them: every drawn source shows where its mass goes,
     * whatever the masses of the other rows. {@code rows} is {@link #MAX_ROWS} for a dense plan, and for a large
     * sparse one as many as {@code MAX_SEGMENTS} entries allow. Two passes over the plan (which visits its entries row by row), memory
     * {@code O(m + MAX_SEGMENTS)}.
     */
    static Entries entriesToDraw(TransportPlan plan) {
        int n = plan.rows();
        int m = plan.cols();
        long[] positive = {0};
        double[] stats = {0, 0}; // total, largest
        plan.forEachNonZero((i, j, p) -> {
            if (p > 0) {
                positive[0]++;
                stats[0] += p;
                stats[1] = Math.max(stats[1], p);
            }
        });
        boolean whole = positive[0] < (long) n + m && positive[0] <= MAX_SEGMENTS;
        // MAX_ROWS sources for a dense plan; for a large sparse one, as many as MAX_SEGMENTS entries allow
        long rowsWanted = Math.min(n, Math.max(MAX_ROWS, MAX_SEGMENTS * (long) n / Math.max(1, positive[0])));
        int rowStride = whole ? 1 : (int) ((n + rowsWanted - 1) / rowsWanted);
        int perRow = whole ? m : Math.max(1, MAX_SEGMENTS / ((n + rowStride - 1) / rowStride));
        int capacity = (int) Math.min(positive[0], MAX_SEGMENTS);
        int[] rows = new int[capacity];
        int[] cols = new int[capacity];
        double[] shade = new double[capacity];
        int[] count = {0};
        double[] held = {0};
        if (whole) {
            plan.forEachNonZero((i, j, p) -> {
                if (p > 0) {
                    rows[count[0]] = i;
                    cols[count[0]] = j;
                    shade[count[0]++] = p / stats[1];
                    held[0] += p;
                }
            });
        } else {
            // the current row's positive entries, as keys (mass's float bits above the column) for sorting
            long[] row = new long[m];
            double[] rowMass = new double[m];
            int[] state = {-1, 0}; // current row, its entry count
            plan.forEachNonZero((i, j, p) -> {
                if (i != state[0]) {
                    keepLargest(state[0], row, rowMass, state[1], perRow, rows, cols, shade, count, held);
                    state[0] = i;
                    state[1] = 0;
                }
                if (p > 0 && i % rowStride == 0) {
                    row[state[1]++] = ((long) Float.floatToIntBits((float) p) << 32) | j;
                    rowMass[j] = p;
                }
            });
            keepLargest(state[0], row, rowMass, state[1], perRow, rows, cols, shade, count, held);
        }
        sortByShade(rows, cols, shade, count[0]);
        return new Entries(rows, cols, shade, count[0], stats[0] > 0 ? held[0] / stats[0] : 1, whole, rowStride,
                perRow);
    }

    /**
     * Appends row {@code i}'s largest entries (the first {@code length} keys of {@code row}, whose low 32 bits are
     * columns) until they hold {@link #ROW_SHARE} of its mass or number {@code perRow}, shaded by their share of it.
     */
    private static void keepLargest(int i, long[] row, double[] rowMass, int length, int perRow, int[] rows,
                                    int[] cols, double[] shade, int[] count, double[] held) {
        if (length == 0) {
            return;
        }
        double sum = 0;
        for (int k = 0; k < length; k++) {
            sum += rowMass[(int) row[k]];
        }
        Arrays.sort(row, 0, length);
        double kept = 0;
        for (int k = length - 1; k >= Math.max(0, length - perRow) && kept < ROW_SHARE * sum
                && count[0] < rows.length; k--) {
            int j = (int) row[k];
            rows[count[0]] = i;
            cols[count[0]] = j;
            shade[count[0]++] = Math.min(1, FAN_SHADE * rowMass[j] / sum);
            kept += rowMass[j];
        }
        held[0] += kept;
    }

    /**
     * Sorts the first {@code count} entries by increasing shade, in place: each key packs a shade's float bits (which
     * order as integers for positive floats) above its index.
     */
    private static void sortByShade(int[] rows, int[] cols, double[] shade, int count) {
        long[] keys = new long[count];
        for (int k = 0; k < count; k++) {
            keys[k] = ((long) Float.floatToIntBits((float) shade[k]) << 32) | k;
        }
        Arrays.sort(keys);
        int[] r = rows.clone();
        int[] c = cols.clone();
        double[] s = shade.clone();
        for (int k = 0; k < count; k++) {
            int from = (int) keys[k];
            rows[k] = r[from];
            cols[k] = c[from];
            shade[k] = s[from];
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
