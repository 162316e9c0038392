package org.lipot.examples;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Ellipse2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.SplittableRandom;

import javax.imageio.ImageIO;

import org.lipot.lipschitz.kr.DualEstimate;
import org.lipot.lipschitz.kr.KantorovichDual;
import org.lipot.transport.Wasserstein;
import org.lipot.transport.geometry.Cost;
import org.lipot.transport.io.AtomicWrite;

/**
 * Estimates W1 between a noisy ring and a Gaussian blob (200 points each, 2-D) with a 1-Lipschitz network through
 * the Kantorovich-Rubinstein dual, prints it against the exact EMD (network simplex), and draws the learned
 * potential {@code f / L} over the plane with the two clouds on top.
 *
 * <p>Usage: {@code KantorovichDualExample [output.png]} (default {@code kr_dual_potential.png}).
 */
public final class KantorovichDualExample {

    private static final int SIZE = 640;
    private static final int TOP = 56;
    private static final double LO = -3.2;
    private static final double HI = 3.2;

    private KantorovichDualExample() {
    }

    /** Runs the example; the optional argument is the PNG path. */
    public static void main(String[] args) {
        Path out = Path.of(args.length > 0 ? args[0] : "kr_dual_potential.png");
        double[][] x = ring(200, 2.0, 0.1, 1);
        double[][] y = blob(200, 1.0, 0.5, 0.5, 2);

        long t0 = System.nanoTime();
        double exact = Wasserstein.exact(x, y, Cost.EUCLIDEAN).value();
        long t1 = System.nanoTime();
        DualEstimate r = KantorovichDual.builder().hiddenWidths(32, 32).steps(600).seed(0).build().estimate(x, y);
        long t2 = System.nanoTime();
        System.out.printf("exact EMD (network simplex)  W1 = %.6f   %.2f s%n", exact, (t1 - t0) / 1e9);
        System.out.printf("Kantorovich dual (1-Lip net) W1 >= %.6f   %.2f s   (%.2f%% of exact, %d steps, "
                + "sound Lipschitz bound %.7f)%n", r.value(), (t2 - t1) / 1e9, 100 * r.value() / exact,
                r.iterations(), r.lipschitzBound());
        draw(out, x, y, r, exact);
        System.out.println("wrote " + out.toAbsolutePath());
    }

    private static void draw(Path file, double[][] x, double[][] y, DualEstimate r, double exact) {
        int plot = SIZE;
        double step = (HI - LO) / plot;
        double[][] grid = new double[plot * plot][];
        for (int row = 0; row < plot; row++) {
            for (int col = 0; col < plot; col++) {
                grid[row * plot + col] = new double[] {LO + (col + 0.5) * step, HI - (row + 0.5) * step};
            }
        }
        double[] f = r.evaluate(grid);
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (double v : f) {
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        BufferedImage image = new BufferedImage(plot, plot + TOP, BufferedImage.TYPE_INT_RGB);
        for (int row = 0; row < plot; row++) {
            for (int col = 0; col < plot; col++) {
                double v = f[row * plot + col];
                // iso-lines every 0.25 length units: f / L is 1-Lipschitz, so they are at least 0.25 apart
                double right = col + 1 < plot ? f[row * plot + col + 1] : v;
                double below = row + 1 < plot ? f[(row + 1) * plot + col] : v;
                boolean line = Math.floor(v / 0.25) != Math.floor(right / 0.25)
                        || Math.floor(v / 0.25) != Math.floor(below / 0.25);
                image.setRGB(col, row + TOP, line ? 0x606060 : diverging(2 * (v - min) / (max - min) - 1));
            }
        }
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, plot, TOP);
        dots(g, x, new Color(0xB2182B), step);
        dots(g, y, new Color(0x2166AC), step);
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
        g.drawString(String.format("Kantorovich potential f/L: dual W1 >= %.4f, exact EMD %.4f", r.value(), exact),
                10, 22);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        g.drawString("red dots: ring x (f high), blue dots: blob y (f low); grey iso-lines every 0.25; square "
                + "[-3.2, 3.2]^2", 10, 44);
        g.dispose();
        AtomicWrite.write(file, o -> {
            if (!ImageIO.write(image, "png", o)) {
                throw new IOException("no PNG writer available");
            }
        });
    }

    private static void dots(Graphics2D g, double[][] p, Color fill, double step) {
        g.setStroke(new BasicStroke(1f));
        for (double[] q : p) {
            double px = (q[0] - LO) / step;
            double py = (HI - q[1]) / step + TOP;
            Ellipse2D dot = new Ellipse2D.Double(px - 3.5, py - 3.5, 7, 7);
            g.setColor(fill);
            g.fill(dot);
            g.setColor(Color.WHITE);
            g.draw(dot);
        }
    }

    /** Blue (-1, lowest f) to white (0) to red (+1, highest f), light so the dots stay visible. */
    private static int diverging(double t) {
        double s = Math.max(-1, Math.min(1, t));
        int[] hi = s >= 0 ? new int[] {244, 165, 130} : new int[] {146, 197, 222};
        double a = Math.abs(s);
        int red = (int) Math.round(255 + a * (hi[0] - 255));
        int green = (int) Math.round(255 + a * (hi[1] - 255));
        int blue = (int) Math.round(255 + a * (hi[2] - 255));
        return (red << 16) | (green << 8) | blue;
    }

    private static double[][] ring(int n, double radius, double sd, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[][] p = new double[n][2];
        for (double[] q : p) {
            double angle = 2 * Math.PI * rng.nextDouble();
            double rr = radius + sd * normal(rng);
            q[0] = rr * Math.cos(angle);
            q[1] = rr * Math.sin(angle);
        }
        return p;
    }

    private static double[][] blob(int n, double mx, double my, double sd, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[][] p = new double[n][2];
        for (double[] q : p) {
            q[0] = mx + sd * normal(rng);
            q[1] = my + sd * normal(rng);
        }
        return p;
    }

    private static double normal(SplittableRandom rng) {
        double u = 1 - rng.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng.nextDouble());
    }
}
