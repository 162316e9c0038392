package org.lipot.transport.exact;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.lipot.transport.Marginals;
import org.lipot.transport.Solution;
import org.lipot.transport.Status;
import org.lipot.transport.TransportProblem;
import org.lipot.transport.geometry.Cost;
import org.lipot.transport.geometry.CostMatrix;
import org.lipot.transport.geometry.PointCloud;
import org.lipot.transport.testing.Certificates;
import org.lipot.transport.testing.Golden;
import org.lipot.transport.testing.LinearProgram;

class NetworkSimplexTest {

    private static final NetworkSimplex SOLVER = NetworkSimplex.builder().build();

    static Stream<JsonNode> goldenCases() {
        return Golden.cases("emd.json").stream();
    }

    private static double[] weights(JsonNode c, String key, int size) {
        double[] w = Golden.vector(c, key);
        return w != null ? w : Marginals.uniform(size).toArray();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("goldenCases")
    void matchesPotOnGoldenCases(JsonNode c) {
        double[][] cost = Golden.matrix(c, "C");
        int n = cost.length;
        int m = cost[0].length;
        TransportProblem problem = TransportProblem.of(CostMatrix.of(cost), weights(c, "a", n), weights(c, "b", m));
        Solution s = SOLVER.solve(problem);
        double expected = c.get("value").asDouble();
        assertEquals(Status.OPTIMAL, s.status());
        assertEquals(expected, s.value(), 1e-12 * Math.max(1, Math.abs(expected)), "value");
        assertTrue(s.plan().nonZeroCount() <= n + m - 1, "basic plan has at most n+m-1 non-zeros");
        Certificates.assertOptimal(problem, s, 1e-12, 1e-12);
        if (c.get("plan_unique_expected").asBoolean()) {
            double[][] plan = Golden.matrix(c, "plan");
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < m; j++) {
                    assertEquals(plan[i][j], s.plan().get(i, j), 1e-9, "plan (" + i + ", " + j + ")");
                }
            }
        }
        if (c.get("dual_unique_expected").asBoolean()) {
            double[] u = Golden.vector(c, "u");
            double[] v = Golden.vector(c, "v");
            double[] f = s.sourcePotential();
            double[] g = s.targetPotential();
            for (int i = 0; i < n; i++) {
                assertEquals(u[i], f[i], 1e-9, "f_" + i);
            }
            for (int j = 0; j < m; j++) {
                assertEquals(v[j], g[j], 1e-9, "g_" + j);
            }
        }
        if (!c.get("xs").isNull()) {
            Cost metric = Cost.named(c.get("metric").asText());
            PointCloud cloud = PointCloud.of(Golden.matrix(c, "xs"), Golden.matrix(c, "xt"), metric);
            TransportProblem fromPoints = TransportProblem.of(cloud, weights(c, "a", n), weights(c, "b", m));
            assertEquals(expected, SOLVER.solve(fromPoints).value(), 1e-10 * Math.max(1, expected), "value from points");
        }
    }

    /** A random problem: integer costs in a small range (many ties) or real costs, weights with zeros. */
    private static double[][] randomCost(Random rnd, int n, int m) {
        boolean ties = rnd.nextBoolean();
        double[][] c = new double[n][m];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < m; j++) {
                c[i][j] = ties ? rnd.nextInt(4) : rnd.nextDouble() * 10;
            }
        }
        return c;
    }

    private static double[] randomWeights(Random rnd, int n) {
        double[] w = new double[n];
        boolean uniform = rnd.nextInt(4) == 0;
        for (int i = 0; i < n; i++) {
            w[i] = uniform ? 1 : rnd.nextInt(5) == 0 ? 0 : rnd.nextDouble();
        }
        int k = rnd.nextInt(n);
        if (w[k] == 0) {
            w[k] = 1; // keep the total positive
        }
        double s = 0;
        for (double v : w) {
            s += v;
        }
        for (int i = 0; i < n; i++) {
            w[i] /= s;
        }
        return w;
    }

    @Test
    void equalsTheLinearProgramOptimumOnRandomSmallProblems() {
        Random rnd = new Random(20261123);
        for (int trial = 0; trial < 400; trial++) {
            int n = 1 + rnd.nextInt(12);
            int m = 1 + rnd.nextInt(12);
            double[][] c = randomCost(rnd, n, m);
            double[] a = randomWeights(rnd, n);
            double[] b = randomWeights(rnd, m);
            TransportProblem problem = TransportProblem.normalized(CostMatrix.of(c), Marginals.of(a), Marginals.of(b));
            Solution s = SOLVER.solve(problem);
            double lp = LinearProgram.transportValue(c, problem.source().toArray(), problem.target().toArray());
            String what = "trial " + trial + " (" + n + " x " + m + ")";
            assertEquals(Status.OPTIMAL, s.status(), what);
            assertEquals(lp, s.value(), 1e-9 * Math.max(1, Math.abs(lp)), what);
            Certificates.assertOptimal(problem, s, 1e-12, 1e-12);
            assertTrue(s.plan().nonZeroCount() <= n + m - 1, what);
        }
    }

    @Test
    void isInvariantUnderPermutationShiftAndScaling() {
        Random rnd = new Random(7);
        for (int trial = 0; trial < 100; trial++) {
            int n = 1 + rnd.nextInt(12);
            int m = 1 + rnd.nextInt(12);
            double[][] c = randomCost(rnd, n, m);
            double[] a = randomWeights(rnd, n);
            double[] b = randomWeights(rnd, m);
            double base = solve(c, a, b);

            int[] p = permutation(rnd, n);
            int[] q = permutation(rnd, m);
            double[][] cp = new double[n][m];
            double[] ap = new double[n];
            double[] bp = new double[m];
            for (int i = 0; i < n; i++) {
                ap[i] = a[p[i]];
                for (int j = 0; j < m; j++) {
                    cp[i][j] = c[p[i]][q[j]];
                }
            }
            for (int j = 0; j < m; j++) {
                bp[j] = b[q[j]];
            }
            assertEquals(base, solve(cp, ap, bp), 1e-12 * Math.max(1, base), "permutation, trial " + trial);

            double shift = rnd.nextDouble() * 100 - 50;
            double scale = 0.01 + rnd.nextDouble() * 100;
            double[][] cs = new double[n][m];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < m; j++) {
                    cs[i][j] = scale * c[i][j] + shift;
                }
            }
            // total mass is 1 (up to rounding of the normalised weights)
            double expected = scale * base + shift;
            assertEquals(expected, solve(cs, a, b), 1e-10 * Math.max(1, Math.abs(expected)), "affine cost, trial " + trial);
        }
    }

    private static double solve(double[][] c, double[] a, double[] b) {
        return SOLVER.solve(TransportProblem.normalized(CostMatrix.of(c), Marginals.of(a), Marginals.of(b))).value();
    }

    private static int[] permutation(Random rnd, int n) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int k = rnd.nextInt(i + 1);
            int t = p[i];
            p[i] = p[k];
            p[k] = t;
        }
        return p;
    }

    private static double[][] uniformCloud(Random rnd, int n, int d, double offset) {
        double[][] x = new double[n][d];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < d; k++) {
                x[i][k] = rnd.nextDouble() + offset;
            }
        }
        return x;
    }

    @Test
    void lazyCostsGiveTheSameOptimumAsTheDenseCache() {
        Random rnd = new Random(3);
        PointCloud cloud = PointCloud.squaredEuclidean(uniformCloud(rnd, 300, 2, 0), uniformCloud(rnd, 250, 2, 0.5));
        TransportProblem problem = TransportProblem.uniform(cloud);
        Solution dense = SOLVER.solve(problem);
        Solution lazy = NetworkSimplex.builder().denseLimit(0).build().solve(problem);
        assertEquals(Status.OPTIMAL, lazy.status());
        assertEquals(dense.value(), lazy.value(), 1e-12 * dense.value());
        Certificates.assertOptimal(problem, lazy, 1e-12, 1e-12);
    }

    @Test
    void warmStartFromOptimalDualsNeedsFewerPivots() {
        Random rnd = new Random(5);
        PointCloud cloud = PointCloud.squaredEuclidean(uniformCloud(rnd, 400, 2, 0), uniformCloud(rnd, 400, 2, 0.5));
        TransportProblem problem = TransportProblem.uniform(cloud);
        Solution cold = SOLVER.solve(problem);
        Solution warm = SOLVER.solve(problem, cold.sourcePotential(), cold.targetPotential());
        assertEquals(cold.value(), warm.value(), 1e-12 * cold.value());
        assertTrue(warm.iterations() < cold.iterations() / 2,
                "warm " + warm.iterations() + " pivots vs cold " + cold.iterations());
        Certificates.assertOptimal(problem, warm, 1e-12, 1e-12);
    }

    @Test
    void reportsThePivotCapAsAStatusWithAFeasiblePlan() {
        Random rnd = new Random(9);
        PointCloud cloud = PointCloud.squaredEuclidean(uniformCloud(rnd, 100, 2, 0), uniformCloud(rnd, 100, 2, 0.5));
        TransportProblem problem = TransportProblem.uniform(cloud);
        Solution s = NetworkSimplex.builder().maxIterations(3).build().solve(problem);
        assertEquals(Status.MAX_ITERATIONS, s.status());
        assertEquals(3, s.iterations());
        double[] rows = s.plan().rowSums();
        for (int i = 0; i < 100; i++) {
            assertEquals(0.01, rows[i], 1e-12);
        }
        assertTrue(s.value() > SOLVER.solve(problem).value());
    }

    @Test
    void zeroWeightPointsGetFeasibleDuals() {
        double[][] c = {{0, 3, 1}, {2, 0, 5}, {4, 4, 0}};
        TransportProblem problem = TransportProblem.of(CostMatrix.of(c), new double[]{0.5, 0, 0.5}, new double[]{0, 0.5, 0.5});
        Solution s = SOLVER.solve(problem);
        assertEquals(0.5 * 3 + 0.5 * 0, s.value(), 1e-15);
        Certificates.assertOptimal(problem, s, 1e-15, 1e-15);
    }

    @Test
    void rejectsBadArguments() {
        TransportProblem problem = TransportProblem.uniform(CostMatrix.of(new double[][]{{1, 2}, {3, 4}}));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SOLVER.solve(problem, new double[]{0, 0}, null));
        assertTrue(e.getMessage().contains("potentials"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> SOLVER.solve(problem, new double[]{0}, new double[]{0, 0}));
        assertTrue(e.getMessage().contains("source potentials have length 1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> SOLVER.solve(problem, new double[]{0, Double.NaN}, new double[]{0, 0}));
        assertTrue(e.getMessage().contains("source potentials: entry 1 is NaN"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> SOLVER.solve(null));
        assertThrows(IllegalArgumentException.class, () -> NetworkSimplex.builder().maxIterations(-1));
        assertThrows(IllegalArgumentException.class, () -> NetworkSimplex.builder().tolerance(Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> NetworkSimplex.builder().denseLimit(-5));
    }

    @Test
    @Tag("slow")
    void solvesTwentyThousandPointsPerSideWithoutACostMatrix() {
        Random rnd = new Random(11);
        int n = 20_000;
        PointCloud cloud = PointCloud.squaredEuclidean(uniformCloud(rnd, n, 2, 0), uniformCloud(rnd, n, 2, 0.5));
        TransportProblem problem = TransportProblem.uniform(cloud);
        Solution s = NetworkSimplex.builder().denseLimit(0).build().solve(problem);
        assertEquals(Status.OPTIMAL, s.status());
        assertTrue(s.marginalError() < 1e-12, "marginal error " + s.marginalError());
        double[] f = s.sourcePotential();
        double[] g = s.targetPotential();
        double dual = 0;
        for (int i = 0; i < n; i++) {
            dual += (f[i] + g[i]) / n;
        }
        assertEquals(s.value(), dual, 1e-10, "duality gap");
        double worst = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                worst = Math.min(worst, cloud.cost(i, j) - f[i] - g[j]);
            }
        }
        assertTrue(worst > -1e-10, "dual infeasibility " + worst);
    }
}
