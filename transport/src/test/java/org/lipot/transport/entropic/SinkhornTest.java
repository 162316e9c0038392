package org.lipot.transport.entropic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.lipot.transport.Status;
import org.lipot.transport.TransportProblem;
import org.lipot.transport.exact.NetworkSimplex;
import org.lipot.transport.geometry.Cost;
import org.lipot.transport.geometry.CostMatrix;
import org.lipot.transport.geometry.PointCloud;

class SinkhornTest {

    static double[][] points(long seed, int n, double shift) {
        Random rng = new Random(seed);
        double[][] p = new double[n][];
        for (int i = 0; i < n; i++) {
            p[i] = new double[] {rng.nextDouble() + shift, rng.nextDouble() + shift};
        }
        return p;
    }

    static double[] weights(long seed, int n) {
        Random rng = new Random(seed);
        double[] w = new double[n];
        double s = 0;
        for (int i = 0; i < n; i++) {
            w[i] = 0.5 + rng.nextDouble();
            s += w[i];
        }
        for (int i = 0; i < n; i++) {
            w[i] /= s;
        }
        return w;
    }

    static TransportProblem cloud(int n, int m) {
        return TransportProblem.of(PointCloud.squaredEuclidean(points(1, n, 0), points(2, m, 0.4)), weights(3, n),
                weights(4, m));
    }

    @Test
    void modesAgree() {
        TransportProblem p = cloud(80, 70);
        Sinkhorn.Builder base = Sinkhorn.builder().epsilon(0.02).tolerance(1e-12).threads(2);
        EntropicSolution kernel = base.mode(Sinkhorn.Mode.KERNEL).build().solve(p);
        EntropicSolution[] others = {
                base.mode(Sinkhorn.Mode.LOG).build().solve(p),
                base.mode(Sinkhorn.Mode.LOG).online(true).build().solve(p),
                base.mode(Sinkhorn.Mode.AUTO).online(false).denseLimit(0).build().solve(p), // online by size
        };
        assertEquals(Status.CONVERGED, kernel.status());
        for (EntropicSolution s : others) {
            assertEquals(Status.CONVERGED, s.status());
            assertEquals(kernel.iterations(), s.iterations(), "the same iteration");
            assertEquals(kernel.value(), s.value(), 1e-8 * kernel.value());
            assertEquals(kernel.entropicObjective(), s.entropicObjective(), 1e-8);
            double[] f = s.sourcePotential();
            double[] g = s.targetPotential();
            double shift = f[0] - kernel.sourcePotential()[0];
            for (int i = 0; i < f.length; i++) {
                assertEquals(kernel.sourcePotential()[i], f[i] - shift, 1e-8);
            }
            for (int j = 0; j < g.length; j++) {
                assertEquals(kernel.targetPotential()[j], g[j] + shift, 1e-8);
            }
            for (int i = 0; i < 80; i += 7) {
                for (int j = 0; j < 70; j += 5) {
                    assertEquals(kernel.plan().get(i, j), s.plan().get(i, j), 1e-10);
                }
            }
        }
    }

    @Test
    void linearCostTendsToTheExactOptimumAsEpsilonShrinks() {
        TransportProblem p = cloud(40, 30);
        double exact = NetworkSimplex.builder().build().solve(p).value();
        double previousGap = Double.POSITIVE_INFINITY;
        for (double rel : new double[] {1e-1, 1e-2, 1e-3, 1e-4}) {
            double eps = Sinkhorn.relativeEpsilon(p, rel);
            EntropicSolution s = Sinkhorn.builder().epsilon(eps).tolerance(1e-10).epsilonScaling(1, 0.5)
                    .maxIterations(1_000_000).build().solve(p);
            assertEquals(Status.CONVERGED, s.status(), "rel " + rel);
            double gap = s.value() - exact;
            assertTrue(gap > -1e-9, "an entropic plan is feasible, so never below the optimum: " + gap);
            assertTrue(gap <= eps * Math.log(40.0 * 30) + 1e-9, "gap " + gap + " at eps " + eps);
            assertTrue(gap < previousGap, "gap shrinks");
            previousGap = gap;
        }
        assertTrue(previousGap < 1e-4 * exact, "at eps = 1e-4 max C the value is exact to 1e-4: " + previousGap / exact);
    }

    @ParameterizedTest
    @ValueSource(strings = {"KERNEL", "LOG"})
    void neverNaNAtAnyEpsilonWithLargeCosts(String modeName) {
        assertFiniteAtEveryEpsilon(Sinkhorn.Mode.valueOf(modeName), Sinkhorn.Precision.FLOAT64);
    }

    /**
     * Costs up to 1e4, eps from 1e4 down to 1e-7 max C, with and without epsilon scaling: every value, potential,
     * plan entry and history entry is finite, and the status is CONVERGED or MAX_ITERATIONS.
     */
    static void assertFiniteAtEveryEpsilon(Sinkhorn.Mode mode, Sinkhorn.Precision precision) {
        double[][] x = points(5, 30, 0);
        double[][] y = points(6, 25, 0.5);
        for (double[] q : x) {
            q[0] *= 60;
            q[1] *= 60;
        }
        for (double[] q : y) {
            q[0] *= 60;
            q[1] *= 60;
        }
        TransportProblem p = TransportProblem.uniform(PointCloud.squaredEuclidean(x, y));
        double maxCost = Sinkhorn.relativeEpsilon(p, 1);
        assertTrue(maxCost > 5e3 && maxCost < 1e4 * 1.01, "costs up to about 1e4: " + maxCost);
        for (double eps : new double[] {1e4, 100, 1, 1e-5 * maxCost, 1e-7 * maxCost}) {
            for (boolean scaling : new boolean[] {false, true}) {
                Sinkhorn.Builder b = Sinkhorn.builder().epsilon(eps).tolerance(1e-9).maxIterations(3000).mode(mode)
                        .precision(precision);
                if (scaling) {
                    b.epsilonScaling(maxCost, 0.5);
                }
                EntropicSolution s = b.build().solve(p);
                String what = mode + " " + precision + " eps=" + eps + " scaling=" + scaling + ": " + s.status();
                assertTrue(s.status() == Status.CONVERGED || s.status() == Status.MAX_ITERATIONS, what);
                assertTrue(Double.isFinite(s.value()) && Double.isFinite(s.entropicObjective()), what);
                assertTrue(Double.isFinite(s.marginalError()), what);
                for (double v : s.sourcePotential()) {
                    assertTrue(Double.isFinite(v), what);
                }
                for (double v : s.targetPotential()) {
                    assertTrue(Double.isFinite(v), what);
                }
                for (double e : s.errorHistory()) {
                    assertTrue(!Double.isNaN(e), what);
                }
                double total = 0;
                for (double[] row : s.plan().toDense()) {
                    for (double v : row) {
                        assertTrue(v >= 0 && Double.isFinite(v), what);
                        total += v;
                    }
                }
                assertEquals(1, total, 1e-6, what);
                if (s.converged()) {
                    assertTrue(s.columnMarginalError() < 1e-9, what);
                }
            }
        }
    }

    /**
     * The coarse start (at least 512 points a side) at costs up to 1e4 and a coarse level cut off after one to a few
     * sweeps, far from its fixed point: the potentials carried to the points stay finite, and so does the solve.
     */
    @Test
    void coarseStartFromAnUnconvergedCoarseLevelStaysFinite() {
        double[][] x = points(7, 600, 0);
        double[][] y = points(8, 560, 0.5);
        for (double[][] cloud : new double[][][] {x, y}) {
            for (double[] q : cloud) {
                q[0] *= 60;
                q[1] *= 60;
            }
        }
        TransportProblem p = TransportProblem.uniform(PointCloud.squaredEuclidean(x, y));
        double maxCost = Sinkhorn.relativeEpsilon(p, 1);
        for (double eps : new double[] {1e4, 1, 1e-5 * maxCost}) {
            for (int sweeps : new int[] {1, 3, 40}) {
                EntropicSolution s = Sinkhorn.builder().epsilon(eps).tolerance(1e-9).maxIterations(sweeps)
                        .mode(Sinkhorn.Mode.KERNEL).build().solve(p);
                String what = "eps=" + eps + " sweeps=" + sweeps + ": " + s.status();
                assertTrue(s.status() == Status.CONVERGED || s.status() == Status.MAX_ITERATIONS, what);
                assertTrue(Double.isFinite(s.value()) && Double.isFinite(s.entropicObjective()), what);
                for (double[] pot : new double[][] {s.sourcePotential(), s.targetPotential()}) {
                    for (double v : pot) {
                        assertTrue(Double.isFinite(v), what);
                    }
                }
            }
        }
    }

    @Test
    void smallEpsilonWithScalingConvergesWhereThePlainKernelUnderflows() {
        TransportProblem p = cloud(30, 30);
        double eps = Sinkhorn.relativeEpsilon(p, 1e-5);
        // exp(-C/eps) is 0 in double on whole rows here: a plain kernel would divide by zero
        CostMatrix c = p.geometry().toCostMatrix();
        int emptyRows = 0;
        for (int i = 0; i < 30; i++) {
            double rowSum = 0;
            for (int j = 0; j < 30; j++) {
                rowSum += Math.exp(-c.cost(i, j) / eps);
            }
            emptyRows += rowSum == 0 ? 1 : 0;
        }
        assertTrue(emptyRows > 10, "rows that underflow: " + emptyRows);
        EntropicSolution s = Sinkhorn.builder().epsilon(eps).tolerance(1e-9).epsilonScaling(1, 0.5)
                .maxIterations(1_000_000).build().solve(p);
        assertEquals(Status.CONVERGED, s.status());
        assertEquals(NetworkSimplex.builder().build().solve(p).value(), s.value(), 1e-6);
    }

    @Test
    void marginalsOfTheReturnedPlan() {
        TransportProblem p = cloud(50, 60);
        double tol = 1e-8;
        EntropicSolution s = Sinkhorn.builder().epsilon(0.01).tolerance(tol).build().solve(p);
        assertEquals(Status.CONVERGED, s.status());
        double[][] dense = s.plan().toDense();
        double[] a = p.source().toArray();
        double[] b = p.target().toArray();
        double col = 0;
        double row = 0;
        for (int j = 0; j < 60; j++) {
            double sum = 0;
            for (int i = 0; i < 50; i++) {
                sum += dense[i][j];
            }
            col += Math.abs(sum - b[j]);
            assertEquals(s.plan().columnSums()[j], sum, 1e-14, "the lazy plan is the measured one");
        }
        for (int i = 0; i < 50; i++) {
            double sum = 0;
            for (int j = 0; j < 60; j++) {
                sum += dense[i][j];
            }
            row += Math.abs(sum - a[i]);
        }
        assertTrue(col < tol, "columns: " + col);
        assertTrue(row < 1e-13, "rows are exact after the row update: " + row);
        assertEquals(col + row, s.marginalError(), 1e-13);
        assertEquals(s.plan().cost(p.geometry()), s.value(), 1e-13);
        double[] h = s.errorHistory();
        long regular = s.iterations() / 10;
        assertTrue(h.length >= regular && h.length <= 2 * regular + 1,
                "a check every 10 sweeps by default, and at most one early one per period: " + h.length + " checks in "
                        + s.iterations() + " sweeps");
        assertTrue(h[h.length - 1] < tol && h[h.length - 2] >= tol, "stops at the first check below tol");
    }

    @Test
    void anOverRelaxedSweepCloseToTheToleranceBringsTheCheckForward() {
        TransportProblem p = cloud(60, 50);
        double tol = 1e-9;
        EntropicSolution s = Sinkhorn.builder().epsilon(0.01).tolerance(tol).build().solve(p);
        assertEquals(Status.CONVERGED, s.status());
        assertTrue(s.iterations() % 10 != 0, "stopped at an early check, sweep " + s.iterations());
        double[] h = s.errorHistory();
        assertTrue(h[h.length - 1] < tol, "the early check is a real one: " + h[h.length - 1]);
        assertTrue(s.relaxation() > 1, "early checks follow over-relaxed sweeps: " + s.relaxation());
        EntropicSolution plain = Sinkhorn.builder().epsilon(0.01).tolerance(tol).overrelaxation(false).build()
                .solve(p);
        assertEquals(0, plain.iterations() % 10, "plain sweeps check at multiples of the period only");
        assertEquals(plain.value(), s.value(), 1e-8);
    }

    @Test
    void checkPeriodStopsAtAMultipleOfItWithTheSameIterates() {
        TransportProblem p = cloud(60, 50);
        for (boolean scaling : new boolean[] {false, true}) {
            Sinkhorn.Builder base = Sinkhorn.builder().epsilon(0.005).tolerance(1e-9).threads(2).overrelaxation(false);
            if (scaling) {
                base.epsilonScaling(1, 0.5);
            }
            EntropicSolution every = base.checkPeriod(1).build().solve(p);
            EntropicSolution tenth = base.checkPeriod(10).build().solve(p);
            String what = "scaling " + scaling;
            assertEquals(Status.CONVERGED, every.status(), what);
            assertEquals(Status.CONVERGED, tenth.status(), what);
            assertEquals(0, tenth.iterations() % 10, what + ": " + tenth.iterations());
            assertTrue(tenth.iterations() >= every.iterations(), what);
            assertEquals(every.value(), tenth.value(), 1e-9, what);
            assertEquals(every.entropicObjective(), tenth.entropicObjective(), 1e-9, what);
            double[] h1 = every.errorHistory();
            double[] h10 = tenth.errorHistory();
            assertEquals(every.iterations(), h1.length, what);
            assertEquals(tenth.iterations() / 10, h10.length, what);
            if (!scaling) {
                // the same sweeps: check c is sweep 10 (c + 1) of the run that checks every sweep
                for (int c = 0; c < h10.length && 10 * c + 9 < h1.length; c++) {
                    assertEquals(h1[10 * c + 9], h10[c], 0, what + " check " + c);
                }
            }
        }
    }

    @Test
    void theSweepCapIsAlwaysACheck() {
        TransportProblem p = cloud(30, 20);
        EntropicSolution s = Sinkhorn.builder().epsilon(0.001).tolerance(1e-12).maxIterations(25).checkPeriod(10)
                .build().solve(p);
        assertEquals(Status.MAX_ITERATIONS, s.status());
        assertEquals(25, s.iterations());
        assertEquals(3, s.errorHistory().length, "sweeps 10, 20 and the last one, 25");
    }

    @Test
    void atTheSweepCapThePlanMatchesItsPotentialsWhateverTheStage() {
        // epsilon scaling stopped by the cap, possibly right where a stage ended: the plan, its measured sums and
        // the potentials and epsilon it reports must describe the same plan
        TransportProblem p = cloud(20, 15);
        for (long cap = 1; cap <= 60; cap++) {
            EntropicSolution s = Sinkhorn.builder().epsilon(1e-3).tolerance(1e-12).epsilonScaling(1, 0.5).checkPeriod(1)
                    .maxIterations(cap).threads(1).build().solve(p);
            double[][] dense = s.plan().toDense();
            double[] rows = s.plan().rowSums();
            for (int i = 0; i < dense.length; i++) {
                double sum = 0;
                for (double v : dense[i]) {
                    sum += v;
                }
                assertEquals(rows[i], sum, 1e-12, "cap " + cap + " row " + i);
            }
        }
    }

    @Test
    void swappingSourceAndTargetGivesTheSameValue() {
        double[][] x = points(7, 20, 0);
        double[][] y = points(8, 15, 0.3);
        double[] a = weights(9, 20);
        double[] b = weights(10, 15);
        Sinkhorn solver = Sinkhorn.builder().epsilon(0.05).tolerance(1e-13).build();
        EntropicSolution st = solver.solve(TransportProblem.of(PointCloud.squaredEuclidean(x, y), a, b));
        EntropicSolution ts = solver.solve(TransportProblem.of(PointCloud.squaredEuclidean(y, x), b, a));
        assertEquals(st.value(), ts.value(), 1e-12);
        assertEquals(st.entropicObjective(), ts.entropicObjective(), 1e-12);
        assertEquals(st.plan().get(3, 4), ts.plan().get(4, 3), 1e-13);
    }

    @Test
    void onePointTargetIsTheProductPlanAfterOneSweep() {
        // the row update alone makes P_i0 = a_i, and then the single column holds all the mass
        double[] a = weights(11, 6);
        double[][] c = {{0.3}, {1.2}, {0.7}, {2.0}, {0.1}, {0.9}};
        EntropicSolution s = Sinkhorn.builder().epsilon(0.01).checkPeriod(1).build()
                .solve(TransportProblem.of(CostMatrix.of(c), a, new double[] {1}));
        assertEquals(Status.CONVERGED, s.status());
        assertEquals(1, s.iterations());
        double value = 0;
        for (int i = 0; i < 6; i++) {
            assertEquals(a[i], s.plan().get(i, 0), 1e-13 * a[i], "rounding of (f - C) / eps");
            value += a[i] * c[i][0];
        }
        assertEquals(value, s.value(), 1e-15 * value);
    }

    @ParameterizedTest
    @ValueSource(doubles = {2, 0.5, 0.1, 0.01})
    void twoPointsClosedForm(double eps) {
        // C = [[0, 1], [1, 0]], uniform: P = [[p, 1/2 - p], [1/2 - p, p]] with p / (1/2 - p) = exp(1/eps)
        EntropicSolution s = Sinkhorn.builder().epsilon(eps).tolerance(1e-14).build()
                .solve(TransportProblem.uniform(CostMatrix.of(new double[][] {{0, 1}, {1, 0}})));
        double off = 1 / (1 + Math.exp(1 / eps));
        assertEquals(Status.CONVERGED, s.status());
        assertEquals(off, s.value(), 1e-14);
        assertEquals(off / 2, s.plan().get(0, 1), 1e-15);
        double p = (1 - off) / 2;
        double q = off / 2;
        double entropy = 2 * p * (Math.log(p) - 1) + 2 * q * (Math.log(q) - 1);
        assertEquals(off + eps * entropy, s.entropicObjective(), 1e-13);
    }

    @Test
    void warmStartFromTheSolutionIsAlreadyConverged() {
        TransportProblem p = cloud(30, 20);
        Sinkhorn solver = Sinkhorn.builder().epsilon(0.01).tolerance(1e-9).checkPeriod(1).build();
        EntropicSolution cold = solver.solve(p);
        EntropicSolution warm = solver.solve(p, cold.sourcePotential(), cold.targetPotential());
        assertTrue(cold.iterations() > 5);
        assertEquals(1, warm.iterations());
        assertEquals(cold.value(), warm.value(), 1e-9);
    }

    @Test
    void nonFiniteCostIsNumericalErrorOnlineAndRefusedStored() {
        Cost broken = (u, v) -> u[0] > 0.5 && v[0] > 0.9 ? Double.NaN : Cost.SQUARED_EUCLIDEAN.between(u, v);
        TransportProblem p = TransportProblem.uniform(PointCloud.of(points(1, 20, 0), points(2, 20, 0.4), broken));
        EntropicSolution s = Sinkhorn.builder().epsilon(0.1).online(true).build().solve(p);
        assertEquals(Status.NUMERICAL_ERROR, s.status());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Sinkhorn.builder().epsilon(0.1).build().solve(p));
        assertTrue(e.getMessage().contains("cost C("), e.getMessage());
    }

    @Test
    void badArgumentsAreNamed() {
        assertNamed("epsilon", () -> Sinkhorn.builder().epsilon(0));
        assertNamed("epsilon", () -> Sinkhorn.builder().epsilon(-1));
        assertNamed("epsilon", () -> Sinkhorn.builder().epsilon(Double.NaN));
        assertNamed("epsilon", () -> Sinkhorn.builder().epsilon(Double.POSITIVE_INFINITY));
        assertNamed("epsilon", () -> Sinkhorn.builder().build());
        assertNamed("tolerance", () -> Sinkhorn.builder().tolerance(0));
        assertNamed("tolerance", () -> Sinkhorn.builder().tolerance(Double.NaN));
        assertNamed("maxIterations", () -> Sinkhorn.builder().maxIterations(0));
        assertNamed("threads", () -> Sinkhorn.builder().threads(0));
        assertNamed("checkPeriod", () -> Sinkhorn.builder().checkPeriod(0));
        assertNamed("epsilonScaling factor", () -> Sinkhorn.builder().epsilonScaling(1, 1));
        assertNamed("epsilonScaling start", () -> Sinkhorn.builder().epsilonScaling(0, 0.5));
        assertNamed("denseLimit", () -> Sinkhorn.builder().denseLimit(-1));
        assertNamed("online", () -> Sinkhorn.builder().epsilon(1).online(true).mode(Sinkhorn.Mode.KERNEL).build());
        assertNamed("fraction", () -> Sinkhorn.relativeEpsilon(cloud(3, 3), 0));

        TransportProblem p = cloud(5, 4);
        Sinkhorn s = Sinkhorn.builder().epsilon(0.1).build();
        assertNamed("sourcePotential", () -> s.solve(p, new double[4], new double[4]));
        assertNamed("targetPotential", () -> s.solve(p, new double[5], new double[5]));
        assertNamed("targetPotential", () -> s.solve(p, new double[5], null));
        assertNamed("sourcePotential", () -> s.solve(p, new double[] {0, 0, Double.NaN, 0, 0}, new double[4]));
        assertNamed("online", () -> Sinkhorn.builder().epsilon(1).online(true).build()
                .solve(TransportProblem.uniform(CostMatrix.of(new double[][] {{1, 2}}))));
    }

    private static void assertNamed(String name, org.junit.jupiter.api.function.Executable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().startsWith(name), "message names " + name + ": " + e.getMessage());
    }
}
