package org.lipot.transport.entropic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.lipot.transport.internal.RowBlocks;
import org.lipot.transport.Status;
import org.lipot.transport.TransportProblem;
import org.lipot.transport.geometry.Cost;
import org.lipot.transport.geometry.CostMatrix;
import org.lipot.transport.geometry.PointCloud;

class MultiscaleTest {


    /** Gaussian clouds in 3-D, N(0, I) and N(1, diag(0.5, 1, 1.5)^2), scaled by {@code scale}. */
    static PointCloud gaussians(long seed, int n, double scale) {
        Random rng = new Random(seed);
        double[] spread = {0.5, 1, 1.5};
        double[][] x = new double[n][3];
        double[][] y = new double[n][3];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < 3; k++) {
                x[i][k] = scale * rng.nextGaussian();
                y[i][k] = scale * (1 + spread[k] * rng.nextGaussian());
            }
        }
        return PointCloud.squaredEuclidean(x, y);
    }

    private static Sinkhorn.Builder multiscale(double eps, double tol) {
        return Sinkhorn.builder().epsilon(eps).tolerance(tol).mode(Sinkhorn.Mode.MULTISCALE).checkPeriod(1);
    }

    @ParameterizedTest
    @ValueSource(doubles = {0.05, 0.005})
    void agreesWithThePlainLogIterationTo1e8(double eps) {
        TransportProblem problem = TransportProblem.of(gaussians(1, 600, 0.1),
                SinkhornTest.weights(2, 600), SinkhornTest.weights(3, 600));
        EntropicSolution log = Sinkhorn.builder().epsilon(eps).tolerance(1e-11).mode(Sinkhorn.Mode.LOG)
                .coarseStart(false).checkPeriod(1).build().solve(problem);
        // denseLimit 1000: the coarse level (75 x 75 clusters) is solved by MULTISCALE too
        EntropicSolution ms = multiscale(eps, 1e-11).denseLimit(1000).build().solve(problem);
        assertEquals(Status.CONVERGED, log.status());
        assertEquals(Status.CONVERGED, ms.status());
        assertEquals(log.value(), ms.value(), 1e-8 * log.value());
        assertEquals(log.entropicObjective(), ms.entropicObjective(), 1e-8 * Math.abs(log.entropicObjective()));
        double shift = ms.sourcePotential()[0] - log.sourcePotential()[0];
        for (int i = 0; i < 600; i += 37) {
            assertEquals(log.sourcePotential()[i], ms.sourcePotential()[i] - shift, 1e-8, "f_" + i);
            assertEquals(log.targetPotential()[i], ms.targetPotential()[i] + shift, 1e-8, "g_" + i);
        }
        assertTrue(ms.iterations() < log.iterations(), "the coarse start saves sweeps: " + ms.iterations() + " vs "
                + log.iterations());
    }

    @Test
    void droppedBlocksCarryNoMoreMassThanTheirBoundAndTheReportedErrorsBoundTheFullPlan() {
        int n = 3000;
        // blocks of 128 points are small next to the clouds' extent (4 x 4), so far blocks can be dropped
        double[][] x = SinkhornTest.points(4, n, 0);
        double[][] y = SinkhornTest.points(5, n, 0.5);
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < 2; k++) {
                x[i][k] *= 4;
                y[i][k] *= 4;
            }
        }
        PointCloud cloud = PointCloud.squaredEuclidean(x, y);
        double eps = 0.01;
        EntropicSolution s = multiscale(eps, 1e-3).build().solve(TransportProblem.uniform(cloud));
        assertEquals(Status.CONVERGED, s.status());
        double[] f = s.sourcePotential();
        double[] g = s.targetPotential();
        double[] rows = new double[n];
        double[] cols = new double[n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double p = Math.exp((f[i] + g[j] - cloud.cost(i, j)) / eps) / ((double) n * n);
                rows[i] += p;
                cols[j] += p;
            }
        }
        double rowError = 0;
        double colError = 0;
        for (int j = 0; j < n; j++) {
            colError += Math.abs(cols[j] - 1.0 / n);
            rowError += Math.abs(rows[j] - 1.0 / n);
        }
        assertTrue(colError <= s.columnMarginalError(), colError + " <= " + s.columnMarginalError());
        assertTrue(rowError + colError <= s.marginalError(), (rowError + colError) + " <= " + s.marginalError());

        double[] uniform = new double[n];
        java.util.Arrays.fill(uniform, 1.0 / n);
        double budget = 1e-6;
        RowBlocks blocks = new RowBlocks(2);
        MultiscaleIteration it = new MultiscaleIteration(cloud, uniform, uniform, f, g, eps, budget, blocks);
        double kept = it.keptFraction();
        assertTrue(kept < 0.9, "blocks were dropped: kept " + kept);
        Iteration.Outcome truncated = it.finish();
        assertTrue(truncated.droppedMass() <= budget, truncated.droppedMass() + " <= " + budget);
        double missing = 0;
        for (int i = 0; i < n; i++) {
            double gap = rows[i] - truncated.rowSums()[i];
            assertTrue(gap >= -1e-15, "a truncated row sum exceeds the full one by " + -gap);
            missing += gap;
        }
        assertTrue(missing <= truncated.droppedMass() + 1e-15, missing + " <= " + truncated.droppedMass());
    }

    @ParameterizedTest
    @ValueSource(doubles = {1.0, 1e-2, 1e-4, 1e-5})
    void neverNaNWithCostsUpTo1e4(double relativeEps) {
        PointCloud cloud = gaussians(6, 400, 30);
        TransportProblem problem = TransportProblem.uniform(cloud);
        double eps = Sinkhorn.relativeEpsilon(problem, relativeEps);
        EntropicSolution s = multiscale(eps, 1e-6).maxIterations(300).build().solve(problem);
        assertTrue(s.status() == Status.CONVERGED || s.status() == Status.MAX_ITERATIONS, s.status().toString());
        assertTrue(Double.isFinite(s.value()) && Double.isFinite(s.entropicObjective()) && s.marginalError() < 2);
        for (double v : s.sourcePotential()) {
            assertTrue(Double.isFinite(v));
        }
        for (double v : s.targetPotential()) {
            assertTrue(Double.isFinite(v));
        }
    }

    @Test
    void zeroWeightsKeepFinitePotentials() {
        double[] a = SinkhornTest.weights(7, 300);
        for (int i = 0; i < 300; i += 3) {
            a[i] = 0;
        }
        double total = 0;
        for (double w : a) {
            total += w;
        }
        for (int i = 0; i < 300; i++) {
            a[i] /= total;
        }
        TransportProblem problem = TransportProblem.of(gaussians(8, 300, 0.1), a, SinkhornTest.weights(9, 300));
        EntropicSolution ms = multiscale(0.01, 1e-10).build().solve(problem);
        EntropicSolution log = Sinkhorn.builder().epsilon(0.01).tolerance(1e-10).mode(Sinkhorn.Mode.LOG)
                .coarseStart(false).build().solve(problem);
        assertEquals(Status.CONVERGED, ms.status());
        assertEquals(log.value(), ms.value(), 1e-8 * log.value());
        for (double v : ms.sourcePotential()) {
            assertTrue(Double.isFinite(v));
        }
    }

    @Test
    void warmStartFromTheSolutionConvergesInOneSweep() {
        TransportProblem problem = TransportProblem.uniform(gaussians(10, 500, 0.1));
        Sinkhorn solver = multiscale(0.01, 1e-8).build();
        EntropicSolution s = solver.solve(problem);
        EntropicSolution again = solver.solve(problem, s.sourcePotential(), s.targetPotential());
        assertEquals(1, again.iterations());
        assertEquals(s.value(), again.value(), 1e-9 * s.value());
    }

    @Test
    void twoSolvesAreBitForBitTheSame() {
        TransportProblem problem = TransportProblem.uniform(gaussians(13, 2000, 0.1));
        Sinkhorn solver = multiscale(0.002, 1e-6).threads(2).build();
        EntropicSolution first = solver.solve(problem);
        EntropicSolution second = solver.solve(problem);
        assertEquals(first.value(), second.value(), 0.0);
        assertEquals(first.marginalError(), second.marginalError(), 0.0);
        org.junit.jupiter.api.Assertions.assertArrayEquals(first.plan().columnSums(), second.plan().columnSums(), 0.0);
        org.junit.jupiter.api.Assertions.assertArrayEquals(first.sourcePotential(), second.sourcePotential(), 0.0);
    }

    @Test
    void smallExponentialsAreAccurate() {
        Random rng = new Random(11);
        for (double bound : new double[] {0.1, 0.5, 3, 20, 40}) {
            double[] t = new double[200];
            double[] exact = new double[200];
            for (int q = 0; q < t.length; q++) {
                t[q] = bound * (2 * rng.nextDouble() - 1);
                exact[q] = Math.exp(t[q]);
            }
            MultiscaleIteration.expSmall(t, t.length, bound);
            for (int q = 0; q < t.length; q++) {
                assertEquals(exact[q], t[q], 1e-11 * exact[q], "bound " + bound);
            }
        }
    }

    @Test
    void kdOrderSplitsEveryRangeAtItsMedian() {
        Random rng = new Random(12);
        int n = 1000;
        double[][] byAxis = new double[2][n];
        for (int i = 0; i < n; i++) {
            byAxis[0][i] = rng.nextDouble();
            byAxis[1][i] = 3 * rng.nextDouble();
        }
        int[] order = KdOrder.order(byAxis, 8);
        boolean[] seen = new boolean[n];
        for (int i : order) {
            assertTrue(!seen[i]);
            seen[i] = true;
        }
        // the first split is along the wider axis 1: every point of the left half is below every point of the right
        double leftMax = Double.NEGATIVE_INFINITY;
        double rightMin = Double.POSITIVE_INFINITY;
        for (int p = 0; p < n; p++) {
            double v = byAxis[1][order[p]];
            if (p < n / 2) {
                leftMax = Math.max(leftMax, v);
            } else {
                rightMin = Math.min(rightMin, v);
            }
        }
        assertTrue(leftMax <= rightMin);
        int[] starts = KdOrder.boundaries(n, 8);
        assertEquals(0, starts[0]);
        assertEquals(n, starts[starts.length - 1]);
        for (int c = 0; c + 1 < starts.length; c++) {
            int size = starts[c + 1] - starts[c];
            assertTrue(size >= 4 && size <= 8, "cluster size " + size);
        }
    }

    @Test
    void refusesWhatItCannotBound() {
        PointCloud euclidean = PointCloud.of(SinkhornTest.points(1, 20, 0), SinkhornTest.points(2, 20, 0),
                Cost.EUCLIDEAN);
        Sinkhorn solver = multiscale(0.1, 1e-6).build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> solver.solve(TransportProblem.uniform(euclidean)));
        assertTrue(e.getMessage().contains("MULTISCALE"), e.getMessage());
        CostMatrix matrix = CostMatrix.of(new double[][] {{0, 1}, {1, 0}});
        assertThrows(IllegalArgumentException.class, () -> solver.solve(TransportProblem.uniform(matrix)));
        e = assertThrows(IllegalArgumentException.class, () -> multiscale(0.1, 1e-6).online(true).build());
        assertTrue(e.getMessage().contains("online"), e.getMessage());
    }
}
