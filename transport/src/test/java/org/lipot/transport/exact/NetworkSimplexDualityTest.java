package org.lipot.transport.exact;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.lipot.transport.Duality;
import org.lipot.transport.Marginals;
import org.lipot.transport.Solution;
import org.lipot.transport.Status;
import org.lipot.transport.TransportProblem;
import org.lipot.transport.geometry.CostMatrix;
import org.lipot.transport.geometry.Geometry;
import org.lipot.transport.geometry.PointCloud;
import org.lipot.transport.testing.LinearProgram;

/** {@code OPTIMAL} comes with a dual check over every pair, which the test repeats independently. */
class NetworkSimplexDualityTest {

    private static final double TOLERANCE = 1e-13;

    /** {@code max(0, f_i + g_j - C_ij)} over all pairs, by a plain loop. */
    private static double maxViolation(Geometry geo, double[] f, double[] g) {
        double worst = 0;
        for (int i = 0; i < f.length; i++) {
            for (int j = 0; j < g.length; j++) {
                worst = Math.max(worst, f[i] + g[j] - geo.cost(i, j));
            }
        }
        return worst;
    }

    private static double maxAbsCost(Geometry geo) {
        double max = 0;
        for (int i = 0; i < geo.sourceCount(); i++) {
            for (int j = 0; j < geo.targetCount(); j++) {
                max = Math.max(max, Math.abs(geo.cost(i, j)));
            }
        }
        return max;
    }

    private static double dual(TransportProblem p, double[] f, double[] g) {
        double d = 0;
        for (int i = 0; i < f.length; i++) {
            d += p.source().get(i) * f[i];
        }
        for (int j = 0; j < g.length; j++) {
            d += p.target().get(j) * g[j];
        }
        return d;
    }

    /** Weights with zeros (about one in four), or uniform (assignment-like, degenerate). */
    private static double[] weights(Random rnd, int n, boolean uniform) {
        double[] w = new double[n];
        for (int i = 0; i < n; i++) {
            w[i] = uniform ? 1 : rnd.nextInt(4) == 0 ? 0 : rnd.nextDouble();
        }
        w[rnd.nextInt(n)] = 1;
        return w;
    }

    /** Dense cache and lazy costs; real and integer (tied) costs; zero weights; square uniform (assignments). */
    @ParameterizedTest(name = "denseLimit {0}")
    @ValueSource(longs = {1L << 25, 0})
    void reportsTheLargestViolationOverAllPairsAndTheGap(long denseLimit) {
        NetworkSimplex simplex = NetworkSimplex.builder().denseLimit(denseLimit).tolerance(TOLERANCE).build();
        Random rnd = new Random(2026);
        int positiveViolations = 0;
        for (int trial = 0; trial < 300; trial++) {
            boolean assignment = trial % 3 == 0;
            int n = 1 + rnd.nextInt(12);
            int m = assignment ? n : 1 + rnd.nextInt(12);
            boolean ties = rnd.nextBoolean();
            double[][] c = new double[n][m];
            for (double[] row : c) {
                for (int j = 0; j < m; j++) {
                    row[j] = ties ? rnd.nextInt(4) : rnd.nextDouble() * 10 - 3;
                }
            }
            CostMatrix geo = CostMatrix.of(c);
            TransportProblem problem = TransportProblem.normalized(geo, Marginals.of(weights(rnd, n, assignment)),
                    Marginals.of(weights(rnd, m, assignment)));
            Solution s = simplex.solve(problem);
            String what = "trial " + trial + " (" + n + " x " + m + ")";
            assertEquals(Status.OPTIMAL, s.status(), what);
            Duality d = s.duality();
            assertTrue(d.feasible(), what);
            double expected = maxViolation(geo, s.sourcePotential(), s.targetPotential());
            assertEquals(expected, d.maxViolation(), 0.0, what + ": violation over all pairs");
            assertTrue(d.maxViolation() <= TOLERANCE * maxAbsCost(geo), what + ": violation " + d.maxViolation());
            positiveViolations += expected > 0 ? 1 : 0;
            double lp = LinearProgram.transportValue(c, problem.source().toArray(), problem.target().toArray());
            assertEquals(lp, s.value(), 1e-9 * Math.max(1, Math.abs(lp)), what + ": LP value");
            double gap = s.value() - dual(problem, s.sourcePotential(), s.targetPotential());
            assertEquals(gap, d.gap(), 1e-15, what + ": gap");
            assertTrue(Math.abs(d.gap()) <= 1e-12 * Math.max(1, maxAbsCost(geo)), what + ": gap " + d.gap());
        }
        System.out.println(positiveViolations + " of 300 trials had a rounding-level positive violation");
    }

    @Test
    void potentialsAtThePivotCapAreMarkedInfeasibleWithTheirMeasuredViolation() {
        Random rnd = new Random(9);
        double[][] x = new double[100][2];
        double[][] y = new double[100][2];
        for (int i = 0; i < 100; i++) {
            x[i] = new double[]{rnd.nextDouble(), rnd.nextDouble()};
            y[i] = new double[]{rnd.nextDouble() + 0.5, rnd.nextDouble()};
        }
        PointCloud cloud = PointCloud.squaredEuclidean(x, y);
        Solution s = NetworkSimplex.builder().maxIterations(3).build().solve(TransportProblem.uniform(cloud));
        assertEquals(Status.MAX_ITERATIONS, s.status());
        assertFalse(s.duality().feasible());
        double expected = maxViolation(cloud, s.sourcePotential(), s.targetPotential());
        assertTrue(expected > 1e-3, "a 3-pivot basis is far from dual feasible: " + expected);
        assertEquals(expected, s.duality().maxViolation(), 0.0);
    }
}
