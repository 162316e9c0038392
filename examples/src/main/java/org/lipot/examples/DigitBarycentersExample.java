package org.lipot.examples;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.Locale;

import org.lipot.lipschitz.data.Dataset;
import org.lipot.lipschitz.data.Digits;
import org.lipot.lipschitz.io.Png;
import org.lipot.transport.barycenter.BarycenterResult;
import org.lipot.transport.barycenter.ConvolutionalBarycenter;

/**
 * Convolutional Wasserstein barycenters of handwritten digits: the mean images of four classes of the embedded UCI
 * digits (8 x 8, upsampled bilinearly to 32 x 32) sit in the corners of a 5 x 5 grid, and every other cell is their
 * debiased entropic barycenter with bilinear weights, so that one shape morphs into the next along each row and
 * column. Writes the grid as a PNG and prints the solver's figures per cell.
 *
 * <p>Usage: {@code DigitBarycentersExample [output.png]} (default {@code digit_barycenters.png}).
 */
public final class DigitBarycentersExample {

    private static final int SIDE = 32;
    /** The digit's side after upsampling; the rest of the image is an empty margin. */
    private static final int DIGIT = 24;
    private static final int GRID = 5;
    private static final int TILE = 4 * SIDE;
    private static final int TOP = 40;
    private static final int[] CORNERS = {0, 2, 4, 7};

    private DigitBarycentersExample() {
    }

    /** Runs the example; the arguments are the PNG path and {@code debiased} (default: plain barycenters). */
    public static void main(String[] args) {
        Path out = Path.of(args.length > 0 ? args[0] : "digit_barycenters.png");
        boolean debiased = args.length > 1 && args[1].equals("debiased");
        Dataset digits = Digits.load();
        double[][] corners = new double[CORNERS.length][];
        for (int k = 0; k < CORNERS.length; k++) {
            corners[k] = upsample(classMean(digits, CORNERS[k]));
        }
        // a blur of 0.7 pixels: eps = (1 / (SIDE - 1))^2, blur sd sqrt(eps / 2)
        double eps = 1.0 / ((SIDE - 1) * (SIDE - 1));
        ConvolutionalBarycenter solver = ConvolutionalBarycenter.builder().epsilon(eps).debiased(debiased)
                .tolerance(1e-6).build();
        BufferedImage image = new BufferedImage(GRID * TILE, TOP + GRID * TILE, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, image.getWidth(), image.getHeight());
        long t0 = System.nanoTime();
        long sweeps = 0;
        for (int r = 0; r < GRID; r++) {
            for (int c = 0; c < GRID; c++) {
                double s = (double) c / (GRID - 1);
                double t = (double) r / (GRID - 1);
                double[] w = {(1 - s) * (1 - t), s * (1 - t), (1 - s) * t, s * t};
                BarycenterResult q = solver.solve(SIDE, SIDE, corners, w);
                if (!q.converged()) {
                    throw new IllegalStateException("cell " + r + "," + c + ": " + q.status());
                }
                sweeps += q.iterations();
                draw(image, q.barycenter(), c * TILE, TOP + r * TILE);
            }
        }
        double seconds = (System.nanoTime() - t0) * 1e-9;
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 15));
        g.drawString(String.format(Locale.ROOT, "%sbarycenters of digit means, %d x %d, eps %.5f, %.1f s",
                debiased ? "Debiased " : "Entropic ", SIDE, SIDE, eps, seconds), 10, 25);
        g.dispose();
        Png.write(out, image);
        System.out.printf(Locale.ROOT, "%d barycenters of 4 images (%d x %d), %d sweeps in all, %.2f s; wrote %s%n",
                GRID * GRID, SIDE, SIDE, sweeps, seconds, out);
    }

    /** The mean image of one class, as 64 non-negative values. */
    private static double[] classMean(Dataset data, int label) {
        double[] mean = new double[Digits.FEATURES];
        float[] pixels = data.features().data().asFloat();
        for (int i = 0; i < data.size(); i++) {
            if (data.label(i) == label) {
                for (int p = 0; p < Digits.FEATURES; p++) {
                    mean[p] += pixels[i * Digits.FEATURES + p];
                }
            }
        }
        return mean;
    }

    /**
     * Bilinear upsampling from 8 x 8 to {@code DIGIT x DIGIT} (pixel centres aligned), centred in a
     * {@code SIDE x SIDE} image with an empty margin, normalised to mass 1.
     */
    private static double[] upsample(double[] small) {
        double[] big = new double[SIDE * SIDE];
        int margin = (SIDE - DIGIT) / 2;
        double total = 0;
        for (int r = 0; r < DIGIT; r++) {
            for (int c = 0; c < DIGIT; c++) {
                double y = Math.min(7, Math.max(0, (r + 0.5) * 8 / DIGIT - 0.5));
                double x = Math.min(7, Math.max(0, (c + 0.5) * 8 / DIGIT - 0.5));
                int y0 = (int) Math.min(6, Math.floor(y));
                int x0 = (int) Math.min(6, Math.floor(x));
                double fy = y - y0;
                double fx = x - x0;
                double v = (1 - fy) * ((1 - fx) * small[y0 * 8 + x0] + fx * small[y0 * 8 + x0 + 1])
                        + fy * ((1 - fx) * small[(y0 + 1) * 8 + x0] + fx * small[(y0 + 1) * 8 + x0 + 1]);
                big[(r + margin) * SIDE + c + margin] = v;
                total += v;
            }
        }
        for (int p = 0; p < big.length; p++) {
            big[p] /= total;
        }
        return big;
    }

    /** Draws one barycenter, ink darkening with mass (scaled to its own maximum). */
    private static void draw(BufferedImage image, double[] q, int x0, int y0) {
        double max = 0;
        for (double v : q) {
            max = Math.max(max, v);
        }
        int scale = TILE / SIDE;
        for (int r = 0; r < SIDE; r++) {
            for (int c = 0; c < SIDE; c++) {
                double v = Math.min(1, q[r * SIDE + c] / max);
                int red = (int) Math.round(255 * (1 - 0.9 * v));
                int green = (int) Math.round(255 * (1 - 0.75 * v));
                int blue = (int) Math.round(255 * (1 - 0.35 * v));
                int rgb = (red << 16) | (green << 8) | blue;
                for (int dy = 0; dy < scale; dy++) {
                    for (int dx = 0; dx < scale; dx++) {
                        image.setRGB(x0 + c * scale + dx, y0 + r * scale + dy, rgb);
                    }
                }
            }
        }
    }
}
