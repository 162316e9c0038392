package org.lipot.transport.exact;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.lipot.transport.Marginals;
import org.lipot.transport.Solution;
import org.lipot.transport.Status;
import org.lipot.transport.TransportProblem;
import org.lipot.transport.geometry.Cost;
import org.lipot.transport.geometry.CostMatrix;
import org.lipot.transport.geometry.Geometry;
import org.lipot.transport.geometry.PointCloud;

/** Inputs on which the network simplex used to return a wrong answer without saying so. */
class NetworkSimplexSafetyTest {

    private static final double[][] LINE = {{0}, {1}, {2}, {3}};

    private static NetworkSimplex solver(long denseLimit) {
        return NetworkSimplex.builder().denseLimit(denseLimit).build();
    }

    private static void assertRejectedCost(String fragment, long denseLimit, Geometry geometry) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> solver(denseLimit).solve(TransportProblem.uniform(geometry)));
        assertTrue(e.getMessage().contains(fragment), e.getMessage());
    }

    /** Dense cache (default limit) and lazy costs (limit 0). */
    @ParameterizedTest(name = "denseLimit {0}")
    @ValueSource(longs = {1L << 25, 0})
    void rejectsNonFiniteCostsInsteadOfCallingTheStartOptimal(long denseLimit) {
        Cost nanAtOneTwo = (x, y) -> x[0] == 1 && y[0] == 2 ? Double.NaN : Math.abs(x[0] - y[0]);
        assertRejectedCost("cost C(1, 2) is NaN", denseLimit, PointCloud.of(LINE, LINE, nanAtOneTwo));
        // finite coordinates whose squared distance overflows
        assertRejectedCost("cost C(1, 0) is Infinity", denseLimit,
                PointCloud.squaredEuclidean(new double[][]{{0}, {1e200}}, new double[][]{{0}, {1}}));
        // |10|^400 overflows
        assertRejectedCost("cost C(1, 0) is Infinity", denseLimit,
                PointCloud.of(new double[][]{{0}, {10}}, new double[][]{{0}, {1}}, Cost.lpPower(400)));
    }

    /** A zero-weight point is never solved for, but its duals are repaired from its costs: those are checked too. */
    @ParameterizedTest(name = "denseLimit {0}")
    @ValueSource(longs = {1L << 25, 0})
    void rejectsANonFiniteCostOfAZeroWeightPoint(long denseLimit) {
        Cost nanFromThree = (x, y) -> x[0] == 3 ? Double.NaN : Math.abs(x[0] - y[0]);
        TransportProblem problem = TransportProblem.of(PointCloud.of(LINE, LINE, nanFromThree),
                new double[]{0.5, 0.5, 0, 0}, new double[]{0.25, 0.25, 0.25, 0.25});
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> solver(denseLimit).solve(problem));
        assertTrue(e.getMessage().contains("cost C(3, 0) is NaN"), e.getMessage());
    }

    /**
     * Finite costs near the double range: the plan is found, but the potentials along the tree overflow to
     * infinity, so nothing can certify optimality.
     */
    @ParameterizedTest(name = "denseLimit {0}")
    @ValueSource(longs = {1L << 25, 0})
    void reportsOverflowingPotentialsAsANumericalError(long denseLimit) {
        double big = 1e308;
        CostMatrix c = CostMatrix.of(new double[][]{{-big, big}, {big, -big}});
        Solution s = solver(denseLimit).solve(TransportProblem.of(c, new double[]{0.5, 0.5}, new double[]{0.25, 0.75}));
        assertEquals(Status.NUMERICAL_ERROR, s.status());
    }

    @Test
    void marginalErrorCountsRowsAndColumns() {
        Random rnd = new Random(17);
        NetworkSimplex simplex = NetworkSimplex.builder().build();
        double rowErrors = 0;
        for (int trial = 0; trial < 200; trial++) {
            int n = 2 + rnd.nextInt(30);
            int m = 2 + rnd.nextInt(30);
            double[][] c = new double[n][m];
            for (double[] row : c) {
                for (int j = 0; j < m; j++) {
                    row[j] = rnd.nextDouble();
                }
            }
            double[] a = new double[n];
            double[] b = new double[m];
            for (int i = 0; i < n; i++) {
                a[i] = rnd.nextDouble();
            }
            for (int j = 0; j < m; j++) {
                b[j] = rnd.nextDouble();
            }
            TransportProblem problem = TransportProblem.normalized(CostMatrix.of(c), Marginals.of(a), Marginals.of(b));
            Solution s = simplex.solve(problem);
            double[] rows = s.plan().rowSums();
            double[] cols = s.plan().columnSums();
            double rowError = 0;
            for (int i = 0; i < n; i++) {
                rowError += Math.abs(rows[i] - problem.source().get(i));
            }
            double colError = 0;
            for (int j = 0; j < m; j++) {
                colError += Math.abs(cols[j] - problem.target().get(j));
            }
            rowErrors += rowError;
            assertEquals(rowError + colError, s.marginalError(), 1e-6 * (rowError + colError), "trial " + trial);
        }
        assertTrue(rowErrors > 0, "no trial had a row-marginal error, so the test proves nothing");
    }

    /** Totals within the 1e-9 tolerance: b is scaled to a's total, and the marginal error shows it. */
    @Test
    void theInToleranceRescalingShowsInTheMarginalError() {
        CostMatrix c = CostMatrix.of(new double[][]{{0, 1}, {1, 0}});
        double[] b = {0.5 * (1 + 4e-10), 0.5 * (1 + 4e-10)};
        Solution s = NetworkSimplex.builder().build().solve(TransportProblem.of(c, new double[]{0.5, 0.5}, b));
        assertEquals(Status.OPTIMAL, s.status());
        assertEquals(0, s.value(), 0.0);
        double[] rows = s.plan().rowSums();
        assertEquals(0.5, rows[0], 0.0);
        assertEquals(0.5, rows[1], 0.0);
        assertEquals(4e-10, s.marginalError(), 1e-16);
    }

    @Test
    void refusesADenseCacheLargerThanAJavaArray() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> NetworkSimplex.builder().denseLimit(1L << 31));
        assertTrue(e.getMessage().contains("2147483648"), e.getMessage());
    }
}
