package org.lipot.transport.barycenter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.lipot.transport.barycenter.BregmanBarycenterTest.assertMessage;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.lipot.transport.Status;
import org.lipot.transport.entropic.Sinkhorn;
import org.lipot.transport.exact.NetworkSimplex;

/** Free-support barycenters against the 1-D quantile closed form, translations and identical inputs. */
class FreeSupportBarycenterTest {

    @Test
    void oneDimensionalBarycenterAveragesTheQuantiles() {
        // in 1-D the W_2 barycenter's quantile function is the weighted mean of the inputs' quantile functions
        SplittableRandom rng = new SplittableRandom(5);
        int n = 40;
        double[][][] clouds = {column(gaussian(n, 0, 1, rng)), column(gaussian(n, 5, 0.5, rng)),
            column(exponential(n, rng))};
        double[] weights = {0.5, 0.2, 0.3};
        double[][] initial = column(gaussian(n, 2, 2, rng));
        FreeSupportResult r = FreeSupportBarycenter.builder().build().solve(clouds, null, weights, initial, null);
        assertEquals(Status.CONVERGED, r.status());
        double[] expected = new double[n];
        for (int k = 0; k < clouds.length; k++) {
            double[] sorted = sortedColumn(clouds[k]);
            for (int i = 0; i < n; i++) {
                expected[i] += weights[k] * sorted[i];
            }
        }
        double[] got = sortedColumn(r.points());
        double value = 0;
        for (int k = 0; k < clouds.length; k++) {
            double[] sorted = sortedColumn(clouds[k]);
            for (int i = 0; i < n; i++) {
                assertEquals(expected[i], got[i], 1e-12);
                value += weights[k] * (expected[i] - sorted[i]) * (expected[i] - sorted[i]) / n;
            }
        }
        assertEquals(value, r.value(), 1e-12);
    }

    @Test
    void translatedCloudsMeetAtTheWeightedShift() {
        SplittableRandom rng = new SplittableRandom(8);
        double[][] x = new double[30][];
        for (int i = 0; i < x.length; i++) {
            x[i] = new double[] {rng.nextGaussian(), rng.nextGaussian(), rng.nextGaussian()};
        }
        double[] shift = {4, -1, 2};
        double[][] moved = new double[x.length][];
        for (int i = 0; i < x.length; i++) {
            moved[i] = new double[] {x[i][0] + shift[0], x[i][1] + shift[1], x[i][2] + shift[2]};
        }
        FreeSupportResult r = FreeSupportBarycenter.builder().build()
                .solve(new double[][][] {x, moved}, null, new double[] {0.25, 0.75}, x, null);
        assertEquals(Status.CONVERGED, r.status());
        double[][] p = r.points();
        for (int i = 0; i < x.length; i++) {
            for (int c = 0; c < 3; c++) {
                assertEquals(x[i][c] + 0.75 * shift[c], p[i][c], 1e-12);
            }
        }
        // W_2^2 to each input is (share of the shift)^2 |shift|^2
        double s2 = 16 + 1 + 4;
        assertEquals(0.25 * 0.5625 * s2 + 0.75 * 0.0625 * s2, r.value(), 1e-10);
    }

    @Test
    void identicalInputsGiveTheInputAndEntropicPlansComeClose() {
        SplittableRandom rng = new SplittableRandom(2);
        double[][] x = new double[25][];
        double[][] start = new double[25][];
        for (int i = 0; i < x.length; i++) {
            x[i] = new double[] {rng.nextGaussian(), rng.nextGaussian()};
            start[i] = new double[] {rng.nextDouble(), rng.nextDouble()};
        }
        FreeSupportResult exact = FreeSupportBarycenter.builder().build()
                .solve(new double[][][] {x, x, x}, null, null, start, null);
        assertEquals(Status.CONVERGED, exact.status());
        assertEquals(0, exact.value(), 1e-12);
        // every input point is a barycenter point (up to rounding of (x + x + x) / 3)
        double[][] p = exact.points();
        for (double[] xi : x) {
            double nearest = Double.POSITIVE_INFINITY;
            for (double[] pj : p) {
                nearest = Math.min(nearest, Math.hypot(xi[0] - pj[0], xi[1] - pj[1]));
            }
            assertEquals(0, nearest, 1e-14);
        }
        // entropic plans spread each point's mass, so the barycenter contracts; averaging keeps the mean
        FreeSupportResult entropic = FreeSupportBarycenter.builder().tolerance(1e-8).maxIterations(500)
                .solver(Sinkhorn.builder().epsilon(0.2).tolerance(1e-11).build()).build()
                .solve(new double[][][] {x, x, x}, null, null, start, null);
        assertEquals(Status.CONVERGED, entropic.status(), entropic.iterations() + " rounds, displacement " + entropic.displacement());
        double[] inputMean = mean(x);
        double[] mean = mean(entropic.points());
        assertEquals(inputMean[0], mean[0], 1e-9);
        assertEquals(inputMean[1], mean[1], 1e-9);
        assertTrue(spread(entropic.points(), mean) < 0.99 * spread(x, inputMean), spread(entropic.points(), mean) + " vs " + spread(x, inputMean));
        assertTrue(spread(entropic.points(), mean) > 0.5 * spread(x, inputMean));
    }

    @Test
    void aFailedTransportIsReported() {
        double[][] x = {{0}, {1}, {2}};
        FreeSupportResult r = FreeSupportBarycenter.builder()
                .solver(Sinkhorn.builder().epsilon(1e-3).maxIterations(1).tolerance(1e-14).build()).build()
                .solve(new double[][][] {x, {{5}, {9}}}, null, null, x, null);
        assertEquals(Status.MAX_ITERATIONS, r.status());
        assertEquals(0, r.iterations());
    }

    @Test
    void badInputsNameTheArgument() {
        FreeSupportBarycenter solver = FreeSupportBarycenter.builder().solver(NetworkSimplex.builder().build()).build();
        double[][] x = {{0, 0}, {1, 1}};
        assertMessage("clouds", () -> solver.solve(new double[0][][], null, null, x, null));
        assertMessage("clouds[1]", () -> solver.solve(new double[][][] {x, {{1, 2, 3}}}, null, null, x, null));
        assertMessage("clouds[0]", () -> solver.solve(new double[][][] {{{0, Double.NaN}}}, null, null, x, null));
        assertMessage("initial", () -> solver.solve(new double[][][] {x}, null, null, new double[0][], null));
        assertMessage("cloudWeights[0]", () -> solver.solve(new double[][][] {x}, new double[][] {{0.5, 0.6}}, null,
                x, null));
        assertMessage("cloudWeights must", () -> solver.solve(new double[][][] {x}, new double[2][], null, x, null));
        assertMessage("initialWeights", () -> solver.solve(new double[][][] {x}, null, null, x, new double[] {1}));
        assertMessage("weights", () -> solver.solve(new double[][][] {x, x}, null, new double[] {1, 1}, x, null));
        assertMessage("solver", () -> FreeSupportBarycenter.builder().solver(null));
    }

    private static double[] gaussian(int n, double mean, double sd, SplittableRandom rng) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = mean + sd * rng.nextGaussian();
        }
        return v;
    }

    private static double[] exponential(int n, SplittableRandom rng) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = -Math.log(1 - rng.nextDouble());
        }
        return v;
    }

    private static double[][] column(double[] v) {
        double[][] p = new double[v.length][];
        for (int i = 0; i < v.length; i++) {
            p[i] = new double[] {v[i]};
        }
        return p;
    }

    private static double[] sortedColumn(double[][] p) {
        double[] v = new double[p.length];
        for (int i = 0; i < p.length; i++) {
            v[i] = p[i][0];
        }
        Arrays.sort(v);
        return v;
    }

    private static double[] mean(double[][] p) {
        double[] m = new double[p[0].length];
        for (double[] q : p) {
            for (int c = 0; c < m.length; c++) {
                m[c] += q[c] / p.length;
            }
        }
        return m;
    }

    private static double spread(double[][] p, double[] mean) {
        double s = 0;
        for (double[] q : p) {
            for (int c = 0; c < mean.length; c++) {
                s += (q[c] - mean[c]) * (q[c] - mean[c]) / p.length;
            }
        }
        return s;
    }
}
