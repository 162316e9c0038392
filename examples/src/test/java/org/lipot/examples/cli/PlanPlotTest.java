package org.lipot.examples.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lipot.transport.TransportPlan;
import org.lipot.transport.TransportProblem;
import org.lipot.transport.entropic.Sinkhorn;
import org.lipot.transport.exact.NetworkSimplex;
import org.lipot.transport.geometry.PointCloud;
import org.lipot.transport.io.Npy;

/** {@link PlanPlot} on dense entropic plans: a bounded choice of entries, and a valid PNG that shows them. */
class PlanPlotTest {

    @TempDir
    Path dir;

    private static double[][] cloud(Random rng, int n, double shift) {
        double[][] p = new double[n][];
        for (int i = 0; i < n; i++) {
            p[i] = new double[] {rng.nextDouble() + shift, rng.nextDouble() + shift};
        }
        return p;
    }

    @Test
    void aSparsePlanIsDrawnWhole() {
        Random rng = new Random(1);
        TransportProblem p = TransportProblem.uniform(PointCloud.squaredEuclidean(cloud(rng, 40, 0), cloud(rng, 30, 0.5)));
        TransportPlan plan = NetworkSimplex.builder().build().solve(p).plan();
        PlanPlot.Entries e = PlanPlot.entriesToDraw(plan);
        assertTrue(e.whole());
        assertEquals(plan.nonZeroCount(), e.count());
        assertEquals(1, e.share(), 1e-12);
    }

    @Test
    void aLargeSparsePlanIsDrawnForAsManySourcesAsTheSegmentsAllow() {
        // the 1-D monotone plan of 30000 points: about 60000 entries, 1 or 2 per source
        int n = 30_000;
        double[] u = new double[n];
        double[] v = new double[n];
        Random rng = new Random(4);
        for (int i = 0; i < n; i++) {
            u[i] = rng.nextGaussian();
            v[i] = rng.nextGaussian() + 1;
        }
        TransportPlan plan = org.lipot.transport.exact.MonotoneRearrangement.builder().build().solve(u, null, v, null)
                .plan();
        PlanPlot.Entries e = PlanPlot.entriesToDraw(plan);
        assertTrue(!e.whole() && e.count() <= PlanPlot.MAX_SEGMENTS, e.count() + " segments");
        assertTrue(e.rowStride() <= 4 && e.count() > 5000, "stride " + e.rowStride() + ", " + e.count() + " segments");
    }

    @Test
    void aDenseEntropicPlanIsDrawnAsBoundedFans() {
        Random rng = new Random(2);
        int n = 450;
        TransportProblem p = TransportProblem.uniform(PointCloud.squaredEuclidean(cloud(rng, n, 0), cloud(rng, 400, 0.5)));
        TransportPlan plan = Sinkhorn.builder().epsilon(0.01).tolerance(1e-6).build().solve(p).plan();
        PlanPlot.Entries e = PlanPlot.entriesToDraw(plan);
        assertTrue(!e.whole() && e.count() <= PlanPlot.MAX_SEGMENTS, e.count() + " segments");
        assertEquals(5, e.rowStride(), "at most " + PlanPlot.MAX_ROWS + " of the 450 sources");
        int[] perSource = new int[n];
        for (int k = 0; k < e.count(); k++) {
            assertEquals(0, e.rows()[k] % e.rowStride());
            perSource[e.rows()[k]]++;
            assertTrue(e.shade()[k] > 0 && e.shade()[k] <= 1);
            assertTrue(k == 0 || e.shade()[k] >= (float) e.shade()[k - 1] - 1e-7, "lightest first");
        }
        for (int i = 0; i < n; i += e.rowStride()) {
            assertTrue(perSource[i] >= 1 && perSource[i] <= e.perRow(), "source " + i + ": " + perSource[i]);
            // the drawn entries are the row's largest: none left out is larger than the smallest drawn
            double smallestDrawn = Double.POSITIVE_INFINITY;
            boolean[] drawn = new boolean[400];
            for (int k = 0; k < e.count(); k++) {
                if (e.rows()[k] == i) {
                    drawn[e.cols()[k]] = true;
                    smallestDrawn = Math.min(smallestDrawn, plan.get(i, e.cols()[k]));
                }
            }
            for (int j = 0; j < 400; j++) {
                assertTrue(drawn[j] || plan.get(i, j) <= smallestDrawn * (1 + 1e-6), "source " + i + " target " + j);
            }
        }
    }

    @Test
    void sinkhornPlotIsAValidPngShowingThePlan() throws IOException {
        Random rng = new Random(3);
        Path xs = dir.resolve("xs.npy");
        Path xt = dir.resolve("xt.npy");
        Npy.write(xs, cloud(rng, 300, 0));
        Npy.write(xt, cloud(rng, 250, 0.5));
        Path png = dir.resolve("plan.png");
        CliRun r = CliRun.of("ot", "--source", xs.toString(), "--target", xt.toString(), "--method", "sinkhorn",
                "--eps", "0.01", "--tol", "1e-6", "--plot", png.toString());
        assertEquals(0, r.status(), r.err());
        byte[] bytes = Files.readAllBytes(png);
        assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'}, Arrays.copyOf(bytes, 8));
        BufferedImage image = ImageIO.read(png.toFile());
        assertEquals(900, image.getWidth());
        assertEquals(900, image.getHeight());
        // grey segments, not only dots: many pixels are neither white nor the points' colours
        int grey = 0;
        for (int yPix = 60; yPix < 840; yPix += 3) {
            for (int xPix = 60; xPix < 840; xPix += 3) {
                int rgb = image.getRGB(xPix, yPix) & 0xffffff;
                int red = rgb >> 16;
                int green = (rgb >> 8) & 0xff;
                int blue = rgb & 0xff;
                grey += rgb != 0xffffff && Math.abs(red - green) < 12 && Math.abs(green - blue) < 12 ? 1 : 0;
            }
        }
        assertTrue(grey > 2000, "grey pixels sampled: " + grey);
    }
}
