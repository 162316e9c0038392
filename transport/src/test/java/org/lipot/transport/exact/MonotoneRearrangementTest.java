package org.lipot.transport.exact;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.lipot.transport.Marginals;
import org.lipot.transport.Solution;
import org.lipot.transport.Status;
import org.lipot.transport.TransportPlan;
import org.lipot.transport.TransportProblem;
import org.lipot.transport.geometry.Cost;
import org.lipot.transport.geometry.CostMatrix;
import org.lipot.transport.geometry.PointCloud;
import org.lipot.transport.testing.Certificates;

class MonotoneRearrangementTest {

    private static final double[] EXPONENTS = {1, 1.5, 2, 3, 4.25};

    private static MonotoneRearrangement solver(double p) {
        return MonotoneRearrangement.builder().exponent(p).build();
    }

    private static void assertRelative(double expected, double actual, double tolerance, String what) {
        assertEquals(expected, actual, tolerance * Math.max(Math.abs(expected), Double.MIN_NORMAL), what);
    }

    static double[] randomWeights(Random r, int n, double zeroProbability) {
        double[] w = new double[n];
        double sum = 0;
        for (int i = 0; i < n; i++) {
            w[i] = r.nextDouble() < zeroProbability ? 0.0 : r.nextDouble() + 0.01;
            sum += w[i];
        }
        if (sum == 0) {
            w[r.nextInt(n)] = 1;
            sum = 1;
        }
        for (int i = 0; i < n; i++) {
            w[i] /= sum;
        }
        return w;
    }

    // ------------------------------------------------------------------------------------------ closed forms

    @Test
    void defaultsAndAccessors() {
        MonotoneRearrangement s = MonotoneRearrangement.builder().build();
        assertEquals(2.0, s.exponent());
        assertEquals(3.0, solver(3).exponent());
        assertTrue(s.toString().contains("p=2.0"));
    }

    @Test
    void twoDiracs() {
        for (double p : EXPONENTS) {
            MonotoneRearrangement s = solver(p);
            assertRelative(Math.pow(3.75, p), s.value(new double[] {1.5}, new double[] {-2.25}), 1e-15, "p=" + p);
            // mass 2 on each side: the value scales with the mass
            Solution sol = s.solve(new double[] {1.5}, new double[] {2}, new double[] {-2.25}, new double[] {2});
            assertRelative(2 * Math.pow(3.75, p), sol.value(), 1e-15, "p=" + p);
            assertRelative(Math.pow(2 * Math.pow(3.75, p), 1 / p), sol.distance(p), 1e-15, "W_p, p=" + p);
            assertEquals(2.0, sol.plan().get(0, 0));
        }
    }

    @Test
    void identicalMeasuresCostNothing() {
        Random r = new Random(3);
        double[] x = new double[40];
        for (int i = 0; i < x.length; i++) {
            x[i] = r.nextGaussian();
        }
        double[] a = randomWeights(r, x.length, 0.2);
        for (double p : EXPONENTS) {
            assertEquals(0.0, solver(p).value(x, x));
            assertEquals(0.0, solver(p).value(x, a, x, a));
        }
    }

    /** {@code y = x + s} with the same weights: the identity pairing moves every unit of mass by |s|. */
    @Test
    void translationCostsShiftToThePowerP() {
        Random r = new Random(5);
        for (int trial = 0; trial < 20; trial++) {
            int n = 1 + r.nextInt(60);
            double[] x = new double[n];
            for (int i = 0; i < n; i++) {
                x[i] = trial % 2 == 0 ? r.nextGaussian() * 2 : r.nextInt(5); // odd trials: heavy ties
            }
            double shift = (r.nextDouble() - 0.5) * 6;
            double[] y = new double[n];
            for (int i = 0; i < n; i++) {
                y[i] = x[i] + shift;
            }
            double[] a = randomWeights(r, n, 0.25);
            for (double p : EXPONENTS) {
                double expected = Math.pow(Math.abs(shift), p);
                MonotoneRearrangement s = solver(p);
                assertRelative(expected, s.value(x, a, y, a), 1e-12, "weighted, trial " + trial + " p=" + p);
                assertRelative(expected, s.value(x, y), 1e-12, "uniform, trial " + trial + " p=" + p);
                assertRelative(expected, s.value(y, a, x, a), 1e-12, "reversed, trial " + trial + " p=" + p);
            }
        }
    }

    @Test
    void uniformEqualSizesIsTheMeanOverSortedPairs() {
        Random r = new Random(7);
        for (int trial = 0; trial < 20; trial++) {
            int n = 1 + r.nextInt(200);
            double[] x = new double[n];
            double[] y = new double[n];
            for (int i = 0; i < n; i++) {
                x[i] = r.nextGaussian();
                y[i] = trial % 3 == 0 ? r.nextInt(4) : r.nextDouble() * 3 - 1;
            }
            double[] xs = x.clone();
            double[] ys = y.clone();
            Arrays.sort(xs);
            Arrays.sort(ys);
            for (double p : EXPONENTS) {
                double sum = 0;
                for (int k = 0; k < n; k++) {
                    sum += Math.pow(Math.abs(xs[k] - ys[k]), p);
                }
                assertRelative(sum / n, solver(p).value(x, y), 1e-12, "n=" + n + " p=" + p);
            }
        }
    }

    /** Two uniform points against three: worked by hand. */
    @Test
    void uniformUnequalSizesSplitsMassExactly() {
        double[] x = {1, 0};
        double[] y = {0.5, 1, 0};
        for (double p : EXPONENTS) {
            Solution s = solver(p).solve(x, y);
            assertRelative(Math.pow(0.5, p) / 3, s.value(), 1e-15, "p=" + p);
            // sorted: x = 0 (index 1), 1 (index 0); y = 0 (index 2), 0.5 (index 0), 1 (index 1)
            double[][] expected = {{1.0 / 6, 1.0 / 3, 0}, {1.0 / 6, 0, 1.0 / 3}};
            double[][] plan = s.plan().toDense();
            for (int i = 0; i < 2; i++) {
                assertArrayEquals(expected[i], plan[i], 0.0, "row " + i);
            }
            assertEquals(4, s.plan().nonZeroCount());
        }
    }

    /** For p = 1, W_1 is also the integral of |F_a - F_b|: a different formula, computed independently. */
    @Test
    void w1EqualsTheIntegralOfTheCdfDifference() {
        Random r = new Random(9);
        MonotoneRearrangement w1 = solver(1);
        for (int trial = 0; trial < 100; trial++) {
            int n = 1 + r.nextInt(30);
            int m = 1 + r.nextInt(30);
            double[] x = randomPoints(r, n);
            double[] y = randomPoints(r, m);
            double[] a = trial % 4 == 0 ? null : randomWeights(r, n, 0.2);
            double[] b = trial % 4 == 0 ? null : randomWeights(r, m, 0.2);
            assertRelative(cdfIntegral(x, a, y, b), w1.value(x, a, y, b), 1e-12, "trial " + trial);
        }
    }

    static double[] randomPoints(Random r, int n) {
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = r.nextBoolean() ? r.nextInt(6) * 0.5 : r.nextGaussian() * 2;
        }
        return x;
    }

    /** {@code integral |F_a(t) - F_b(t)| dt} over the merged support. */
    static double cdfIntegral(double[] x, double[] a, double[] y, double[] b) {
        int n = x.length;
        int m = y.length;
        double[][] events = new double[n + m][];
        for (int i = 0; i < n; i++) {
            events[i] = new double[] {x[i], a == null ? 1.0 / n : a[i]};
        }
        for (int j = 0; j < m; j++) {
            events[n + j] = new double[] {y[j], -(b == null ? 1.0 / m : b[j])};
        }
        Arrays.sort(events, (u, v) -> Double.compare(u[0], v[0]));
        double diff = 0;
        double integral = 0;
        for (int k = 0; k < events.length - 1; k++) {
            diff += events[k][1];
            integral += Math.abs(diff) * (events[k + 1][0] - events[k][0]);
        }
        return integral;
    }

    // ------------------------------------------------------------------------------------------ the plan

    @Test
    void planIsAFeasibleMonotoneCouplingInTheCallersIndices() {
        Random r = new Random(13);
        for (int trial = 0; trial < 200; trial++) {
            int n = 1 + r.nextInt(25);
            int m = 1 + r.nextInt(25);
            double[] x = randomPoints(r, n);
            double[] y = randomPoints(r, m);
            boolean uniform = trial % 3 == 0;
            double[] a = uniform ? null : randomWeights(r, n, 0.3);
            double[] b = uniform ? null : randomWeights(r, m, 0.3);
            double p = EXPONENTS[trial % EXPONENTS.length];
            double[] xBefore = x.clone();
            double[] aBefore = a == null ? null : a.clone();
            Solution s = solver(p).solve(x, a, y, b);
            assertArrayEquals(xBefore, x, "points are not modified");
            assertArrayEquals(aBefore, a, "weights are not modified");

            assertEquals(Status.OPTIMAL, s.status());
            assertEquals(0, s.iterations());
            // duals: feasible on every pair (zero-weight points included), tight on the support, no gap
            TransportProblem problem = problem(x, a, y, b, Cost.lpPower(p));
            Certificates.assertOptimal(problem, s, 1e-15, 1e-12);
            assertTrue(s.duality().feasible());
            assertTrue(Double.isNaN(s.duality().maxViolation()), "not measured in 1-D");
            TransportPlan plan = s.plan();
            assertEquals(n, plan.rows());
            assertEquals(m, plan.cols());
            assertTrue(plan.nonZeroCount() <= n + m - 1, "non-zeros");
            double[] rows = plan.rowSums();
            double[] cols = plan.columnSums();
            for (int i = 0; i < n; i++) {
                assertEquals(a == null ? 1.0 / n : a[i], rows[i], 1e-15, "row " + i);
            }
            for (int j = 0; j < m; j++) {
                assertEquals(b == null ? 1.0 / m : b[j], cols[j], 1e-15, "column " + j);
            }
            assertTrue(s.marginalError() < 1e-14, "marginal error " + s.marginalError());
            List<double[]> support = new ArrayList<>();
            double[] cost = {0};
            plan.forEachNonZero((i, j, mass) -> {
                assertTrue(mass > 0);
                if (a != null) {
                    assertTrue(a[i] > 0, "zero-weight source " + i + " carries mass");
                }
                if (b != null) {
                    assertTrue(b[j] > 0, "zero-weight target " + j + " receives mass");
                }
                support.add(new double[] {x[i], y[j]});
                cost[0] += mass * Math.pow(Math.abs(x[i] - y[j]), p);
            });
            // Monotone: no two support pairs cross.
            for (double[] u : support) {
                for (double[] v : support) {
                    assertTrue(!(u[0] < v[0] && u[1] > v[1]), "crossing pairs " + Arrays.toString(u) + " "
                            + Arrays.toString(v));
                }
            }
            assertRelative(s.value(), cost[0], 1e-13, "<P, C>");
        }
    }

    private static TransportProblem problem(double[] x, double[] a, double[] y, double[] b, Cost cost) {
        return TransportProblem.of(PointCloud.of(MonotoneRearrangementGoldenTest.column(x),
                        MonotoneRearrangementGoldenTest.column(y), cost),
                a == null ? Marginals.uniform(x.length) : Marginals.of(a),
                b == null ? Marginals.uniform(y.length) : Marginals.of(b));
    }

    /** Dual potentials of uniform measures with many ties, n = m and n != m, against an independent check. */
    @Test
    void uniformMeasuresWithTiesHaveDualCertificates() {
        Random r = new Random(23);
        for (int trial = 0; trial < 100; trial++) {
            int n = 1 + r.nextInt(30);
            int m = trial % 2 == 0 ? n : 1 + r.nextInt(30);
            double[] x = r.ints(n, 0, 5).asDoubleStream().toArray();
            double[] y = r.ints(m, 0, 5).asDoubleStream().toArray();
            double p = EXPONENTS[trial % EXPONENTS.length];
            Solution s = solver(p).solve(x, y);
            Certificates.assertOptimal(problem(x, null, y, null, Cost.lpPower(p)), s, 1e-15, 1e-13);
        }
    }

    @Test
    void solvesAOneDimensionalProblem() {
        Random r = new Random(29);
        double[] x = randomPoints(r, 9);
        double[] y = randomPoints(r, 6);
        double[] a = randomWeights(r, 9, 0.3);
        double[] b = randomWeights(r, 6, 0.3);
        MonotoneRearrangement w3 = solver(3);
        Cost[] costs = {Cost.EUCLIDEAN, Cost.SQUARED_EUCLIDEAN, w3.cost()};
        double[] exponents = {1, 2, 3};
        for (int k = 0; k < 3; k++) {
            MonotoneRearrangement solver = k == 2 ? w3 : solver(exponents[k]);
            assertEquals(costs[k], solver.cost());
            Solution expected = solver.solve(x, a, y, b);
            Solution s = solver.solve(problem(x, a, y, b, costs[k]));
            assertEquals(expected.value(), s.value(), 0.0);
            assertArrayEquals(expected.sourcePotential(), s.sourcePotential(), 0.0);
            assertArrayEquals(expected.plan().toDense(), s.plan().toDense());
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> w3.solve(problem(x, a, y, b, Cost.SQUARED_EUCLIDEAN)));
        assertTrue(e.getMessage().contains("cost sqeuclidean is not |x - y|^3.0"), e.getMessage());
        // any built-in cost of the solver's exponent is |x - y|^p on the line; a custom cost's form is unknown
        assertEquals(w3.solve(x, a, y, b).value(), w3.solve(problem(x, a, y, b, Cost.lpPower(3))).value(), 0.0);
        Cost custom = (u, v) -> Math.pow(Math.abs(u[0] - v[0]), 3);
        assertThrows(IllegalArgumentException.class, () -> w3.solve(problem(x, a, y, b, custom)));
        e = assertThrows(IllegalArgumentException.class, () -> w3.solve(TransportProblem.uniform(
                PointCloud.squaredEuclidean(new double[][]{{0, 1}}, new double[][]{{1, 1}}))));
        assertTrue(e.getMessage().contains("points of dimension 1, got 2"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> w3.solve(TransportProblem.uniform(CostMatrix.of(new double[][]{{1}}))));
        assertTrue(e.getMessage().contains("needs a PointCloud"), e.getMessage());
    }

    @Test
    void valueIsBitForBitTheSolveValue() {
        Random r = new Random(17);
        for (int trial = 0; trial < 120; trial++) {
            // Sizes past 4096 take the radix branch of the value path's sort, smaller ones the comparison sort.
            int n = trial % 10 == 0 ? 5000 + r.nextInt(3000) : 1 + r.nextInt(50);
            int m = trial % 5 == 0 ? n : trial % 10 == 0 ? 5000 + r.nextInt(3000) : 1 + r.nextInt(50);
            double[] x = randomPoints(r, n);
            double[] y = randomPoints(r, m);
            int kind = trial % 4; // 0: both uniform, 1: a only, 2: b only, 3: both weighted
            double[] a = kind == 1 || kind == 3 ? randomWeights(r, n, 0.2) : null;
            double[] b = kind == 2 || kind == 3 ? randomWeights(r, m, 0.2) : null;
            for (double p : EXPONENTS) {
                MonotoneRearrangement s = solver(p);
                double v = s.value(x, a, y, b);
                assertEquals(Double.doubleToRawLongBits(v), Double.doubleToRawLongBits(s.solve(x, a, y, b).value()),
                        "trial " + trial + " p=" + p);
                if (a == null && b == null) {
                    assertEquals(v, s.value(x, y), 0.0);
                    assertEquals(v, s.solve(x, y).value(), 0.0);
                }
            }
        }
    }

    @Test
    void oneUniformSideEqualsExplicitUniformWeights() {
        Random r = new Random(19);
        double[] x = randomPoints(r, 9);
        double[] y = randomPoints(r, 14);
        double[] b = randomWeights(r, 14, 0.2);
        double[] a = new double[9];
        Arrays.fill(a, 1.0 / 9);
        for (double p : EXPONENTS) {
            assertRelative(solver(p).value(x, a, y, b), solver(p).value(x, null, y, b), 1e-14, "p=" + p);
        }
        double[] u = new double[14];
        Arrays.fill(u, 1.0 / 14);
        assertRelative(solver(2).value(x, a, y, u), solver(2).value(x, y), 1e-14, "both");
    }

    @Test
    void totalsWithinToleranceAreRescaledAndReported() {
        double[] x = {0, 1, 2};
        double[] y = {0.5, 1.5};
        double[] a = {0.25, 0.5, 0.25};
        double[] b = {0.5 * (1 + 4e-10), 0.5 * (1 + 4e-10)}; // total 1 + 4e-10: inside 1e-9
        Solution s = solver(1).solve(x, a, y, b);
        assertRelative(0.5, s.value(), 1e-15, "value uses b scaled to total 1");
        double[] rows = s.plan().rowSums();
        for (int i = 0; i < 3; i++) {
            assertEquals(a[i], rows[i], 1e-15);
        }
        assertEquals(4e-10, s.marginalError(), 1e-15, "the rescaling shows in the reported column error");
    }

    @Test
    void weightsNeedNotSumToOne() {
        double[] x = {0, 1};
        double[] y = {3};
        // mass 5 on each side
        Solution s = solver(2).solve(x, new double[] {2, 3}, y, new double[] {5});
        assertRelative(2 * 9 + 3 * 4, s.value(), 1e-15, "value");
        assertEquals(0.0, s.marginalError());
    }

    @Test
    void overflowIsANumericalErrorNotNaN() {
        double[] x = {-1e308};
        double[] y = {1e308}; // even |x - y| overflows
        assertEquals(Double.POSITIVE_INFINITY, solver(2).value(x, y));
        assertEquals(Double.POSITIVE_INFINITY, solver(1).value(x, new double[] {1}, y, new double[] {1}));
        Solution s = solver(3).solve(x, y);
        assertEquals(Status.NUMERICAL_ERROR, s.status());
        assertEquals(Double.POSITIVE_INFINITY, s.value());
    }

    // ------------------------------------------------------------------------------------------ bad input

    private static void assertRejected(String[] expectedFragments, double[] x, double[] a, double[] y, double[] b) {
        MonotoneRearrangement s = solver(2);
        IllegalArgumentException v = assertThrows(IllegalArgumentException.class, () -> s.value(x, a, y, b));
        IllegalArgumentException p = assertThrows(IllegalArgumentException.class, () -> s.solve(x, a, y, b));
        for (String f : expectedFragments) {
            assertTrue(v.getMessage().contains(f), "value(): '" + v.getMessage() + "' should contain '" + f + "'");
            assertTrue(p.getMessage().contains(f), "solve(): '" + p.getMessage() + "' should contain '" + f + "'");
        }
    }

    private static String[] says(String... fragments) {
        return fragments;
    }

    @Test
    void rejectsBadPoints() {
        double[] ok = {0, 1, 2, 3};
        assertRejected(says("source points: entry 3 is NaN"), new double[] {0, 1, 2, Double.NaN}, null, ok, null);
        assertRejected(says("target points: entry 0 is Infinity"),
                ok, null, new double[] {Double.POSITIVE_INFINITY, 1}, null);
        assertRejected(says("source points: entry 1 is -Infinity"),
                new double[] {0, Double.NEGATIVE_INFINITY}, new double[] {0.5, 0.5}, ok, null);
        assertRejected(says("source points must not be empty"), new double[0], null, ok, null);
        assertRejected(says("target points must not be empty"), ok, null, new double[0], null);
        assertRejected(says("source points must not be null"), null, null, ok, null);
        assertRejected(says("target points must not be null"), ok, null, null, null);
        // the two-argument forms
        assertThrows(IllegalArgumentException.class, () -> solver(1).value(new double[] {Double.NaN}, ok));
        assertThrows(IllegalArgumentException.class, () -> solver(1).solve(ok, new double[0]));
    }

    @Test
    void rejectsBadWeights() {
        double[] x = {0, 1, 2};
        double[] y = {0, 1};
        double[] a = {0.2, 0.3, 0.5};
        double[] b = {0.5, 0.5};
        assertRejected(says("source weights: entry 1 is NaN"), x, new double[] {0.5, Double.NaN, 0.5}, y, b);
        assertRejected(says("target weights: entry 0 is Infinity"), x, a, y, new double[] {Double.POSITIVE_INFINITY, 0});
        assertRejected(says("source weights: entry 2 is negative (-0.5)"), x, new double[] {1, 0.5, -0.5}, y, b);
        assertRejected(says("target weights must have a positive finite total, got 0.0"), x, a, y, new double[2]);
        assertRejected(says("source weights must have a positive finite total"), x, new double[3], y, null);
        assertRejected(says("source points have length 3 but source weights have length 2"), x, b, y, b);
        assertRejected(says("target points have length 2 but target weights have length 3"), x, a, y, a);
        assertRejected(says("source points have length 3 but source weights have length 0"), x, new double[0], y, b);
        // NaN points are rejected even where the weight is zero
        assertRejected(says("source points: entry 0 is NaN"), new double[] {Double.NaN, 1, 2},
                new double[] {0, 0.5, 0.5}, y, b);
    }

    @Test
    void rejectsTotalsThatDiffer() {
        double[] x = {0, 1};
        double[] y = {0, 1};
        assertRejected(says("source weights total 1.0", "target weights total 2.0"),
                x, new double[] {0.5, 0.5}, y, new double[] {1, 1});
        assertRejected(says("source weights total 1.0 (uniform)", "target weights total 1.5"),
                x, null, y, new double[] {1, 0.5});
        assertRejected(says("source weights total 3.0", "target weights total 1.0 (uniform)"),
                x, new double[] {1, 2}, y, null);
        // 2e-9 relative is outside the tolerance
        assertRejected(says("source weights total", "target weights total"),
                x, new double[] {0.5, 0.5}, y, new double[] {0.5, 0.5 + 2e-9});
    }

    @Test
    void rejectsBadExponents() {
        for (double p : new double[] {0.999, 0, -1, Double.NaN, Double.POSITIVE_INFINITY}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> MonotoneRearrangement.builder().exponent(p));
            assertTrue(e.getMessage().contains("exponent p") && e.getMessage().contains(String.valueOf(p)),
                    e.getMessage());
        }
    }

    /** Above the threshold the two sides are sorted on two threads: same value and plan as sorted pairs. */
    @Test
    void largeInputsSortedConcurrentlyGiveTheSortedPairs() {
        int n = 100_000;
        Random r = new Random(11);
        double[] x = r.doubles(n).map(t -> 3 * t - 1).toArray();
        double[] y = r.doubles(n).map(t -> t * t).toArray();
        double[] xs = x.clone();
        double[] ys = y.clone();
        Arrays.sort(xs);
        Arrays.sort(ys);
        double expected = 0;
        for (int k = 0; k < n; k++) {
            expected += (xs[k] - ys[k]) * (xs[k] - ys[k]);
        }
        expected /= n;
        MonotoneRearrangement w2 = MonotoneRearrangement.builder().exponent(2).build();
        assertEquals(expected, w2.value(x, y), 1e-12 * expected);
        Solution s = w2.solve(x, y);
        assertEquals(expected, s.value(), 1e-12 * expected);
        assertEquals(n, s.plan().nonZeroCount());
        int[] rank = new int[n];
        s.plan().forEachNonZero((i, j, mass) -> rank[0] += Arrays.binarySearch(xs, x[i]) == Arrays.binarySearch(ys, y[j]) ? 1 : 0);
        assertEquals(n, rank[0], "every source point goes to the target point of the same rank");
    }
}
