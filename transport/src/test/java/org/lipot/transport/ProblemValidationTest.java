package org.lipot.transport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.lipot.transport.geometry.Cost;
import org.lipot.transport.geometry.CostMatrix;
import org.lipot.transport.geometry.PointCloud;

/** Bad input is rejected with a message that names the argument; good input is kept unchanged. */
class ProblemValidationTest {

    private static void assertRejected(String expectedFragment, Executable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().contains(expectedFragment), "message '" + e.getMessage() + "' lacks '" + expectedFragment + "'");
    }

    @Test
    void marginalsRejectNonFiniteNegativeEmptyAndZeroTotal() {
        assertRejected("source weights: entry 1 is NaN", () -> Marginals.of("source weights", new double[]{1, Double.NaN}));
        assertRejected("weights: entry 0 is Infinity", () -> Marginals.of(Double.POSITIVE_INFINITY));
        assertRejected("entry 2 is negative (-0.5)", () -> Marginals.of(1, 1, -0.5));
        assertRejected("target weights must not be empty", () -> Marginals.of("target weights", new double[0]));
        assertRejected("positive finite total, got 0.0", () -> Marginals.of(0, 0));
        assertRejected("positive finite total, got Infinity", () -> Marginals.of(Double.MAX_VALUE, Double.MAX_VALUE));
        assertRejected("size must be at least 1", () -> Marginals.uniform(0));
    }

    @Test
    void marginalsKeepWeightsAndNormalise() {
        double[] w = {0.2, 0, 0.6};
        Marginals m = Marginals.of(w);
        w[0] = 99;
        assertEquals(0.2, m.get(0));
        assertEquals(0.8, m.total(), 1e-16);
        assertEquals(1, m.normalized().total(), 1e-15);
        assertFalse(m.isUniform());
        assertTrue(Marginals.uniform(7).isUniform());
        assertEquals(1, Marginals.uniform(3).total(), 1e-16);
    }

    @Test
    void problemsCheckSizesAndTotals() {
        CostMatrix c = CostMatrix.of(new double[][]{{1, 2, 3}, {4, 5, 6}});
        assertRejected("geometry has 2 source points but source weights have length 3",
                () -> TransportProblem.of(c, Marginals.uniform(3), Marginals.uniform(3)));
        assertRejected("geometry has 3 target points but target weights have length 2",
                () -> TransportProblem.of(c, Marginals.uniform(2), Marginals.uniform(2)));
        assertRejected("source weights total 2.0 but target weights total 1.0",
                () -> TransportProblem.of(c, new double[]{1, 1}, new double[]{0.5, 0.25, 0.25}));
        assertRejected("geometry must not be null", () -> TransportProblem.uniform(null));
        assertRejected("target weights must not be null", () -> TransportProblem.of(c, Marginals.uniform(2), null));
        // within 1e-9 relative is accepted as rounding
        TransportProblem.of(c, new double[]{0.5, 0.5}, new double[]{0.3, 0.3, 0.4 + 1e-12});
        TransportProblem p = TransportProblem.normalized(c, Marginals.of(1, 3), Marginals.of(2, 2, 4));
        assertArrayEquals(new double[]{0.25, 0.75}, p.source().toArray(), 1e-16);
        assertArrayEquals(new double[]{0.25, 0.25, 0.5}, p.target().toArray(), 1e-16);
    }

    @Test
    void geometriesRejectBadPointsAndMatrices() {
        assertRejected("source points must not be empty", () -> PointCloud.squaredEuclidean(new double[0][], new double[][]{{1}}));
        assertRejected("target points must not be empty", () -> PointCloud.squaredEuclidean(new double[][]{{1}}, null));
        assertRejected("source points: coordinate 1 of point 0 is NaN",
                () -> PointCloud.squaredEuclidean(new double[][]{{1, Double.NaN}}, new double[][]{{1, 2}}));
        assertRejected("target points: coordinate 0 of point 1 is -Infinity",
                () -> PointCloud.squaredEuclidean(new double[][]{{1}}, new double[][]{{1}, {Double.NEGATIVE_INFINITY}}));
        assertRejected("source points are ragged: point 0 has 2 coordinates but point 1 has 1",
                () -> PointCloud.squaredEuclidean(new double[][]{{1, 2}, {3}}, new double[][]{{1, 2}}));
        assertRejected("target points have dimension 1 but source points have dimension 2",
                () -> PointCloud.squaredEuclidean(new double[][]{{1, 2}}, new double[][]{{1}}));
        assertRejected("cost must not be null", () -> PointCloud.of(new double[][]{{1}}, new double[][]{{1}}, null));
        assertRejected("cost matrix entry (1, 0) is NaN", () -> CostMatrix.of(new double[][]{{1}, {Double.NaN}}));
        assertRejected("cost matrix is ragged", () -> CostMatrix.of(new double[][]{{1, 2}, {3}}));
        assertRejected("at least one row", () -> CostMatrix.of(new double[0][]));
        assertRejected("cost matrix is 2 x 2 but the array has length 3", () -> CostMatrix.ofRowMajor(2, 2, new double[3]));
        assertRejected("p must be a finite number >= 1", () -> Cost.lpPower(0.5));
        assertRejected("unknown cost 'manhattan'", () -> Cost.named("manhattan"));
    }

    @Test
    void costsAreExactlyAsDocumented() {
        double[] x = {1, 2};
        double[] y = {4, -2};
        assertEquals(25, Cost.SQUARED_EUCLIDEAN.between(x, y));
        assertEquals(5, Cost.EUCLIDEAN.between(x, y));
        assertEquals(7, Cost.lpPower(1).between(x, y));
        assertEquals(27 + 64, Cost.lpPower(3).between(x, y), 1e-12);
        assertEquals(Cost.SQUARED_EUCLIDEAN, Cost.named("sqeuclidean"));
        assertEquals(7, Cost.named("lp:1").between(x, y));
        PointCloud cloud = PointCloud.squaredEuclidean(new double[][]{x}, new double[][]{y, x});
        assertEquals(25, cloud.cost(0, 0));
        assertArrayEquals(new double[][]{{25, 0}}, cloud.toCostMatrix().toArray());
    }

    @Test
    void plansSumDuplicatesDropZerosAndRejectBadEntries() {
        SparsePlan p = SparsePlan.of(2, 3, new int[]{1, 0, 1, 0}, new int[]{2, 1, 2, 0}, new double[]{0.25, 0.5, 0.25, 0});
        assertEquals(2, p.nonZeroCount());
        assertEquals(0.5, p.get(1, 2));
        assertEquals(0.5, p.get(0, 1));
        assertEquals(0, p.get(0, 0));
        assertArrayEquals(new double[]{0.5, 0.5}, p.rowSums());
        assertArrayEquals(new double[]{0, 0.5, 0.5}, p.columnSums());
        assertArrayEquals(new double[][]{{0, 0.5, 0}, {0, 0, 0.5}}, p.toDense());
        assertArrayEquals(new int[]{0, 1}, p.rowIndices());
        assertEquals(1, p.total());
        assertEquals(0.5 * 2 + 0.5 * 6, p.cost(CostMatrix.of(new double[][]{{1, 2, 3}, {4, 5, 6}})));
        assertRejected("outside the 2 x 3 plan", () -> SparsePlan.of(2, 3, new int[]{2}, new int[]{0}, new double[]{1}));
        assertRejected("mass of entry 0 is -1.0", () -> SparsePlan.of(2, 3, new int[]{0}, new int[]{0}, new double[]{-1}));
        assertRejected("lengths 1, 2, 1", () -> SparsePlan.of(2, 3, new int[]{0}, new int[]{0, 1}, new double[]{1}));
        assertRejected("plan is 2 x 2 but geometry is 2 x 3",
                () -> SparsePlan.of(2, 2, new int[0], new int[0], new double[0]).cost(CostMatrix.of(new double[2][3])));

        DensePlan d = DensePlan.ofRowMajor(2, 2, new double[]{0.1, 0.2, 0.3, 0.4});
        assertEquals(0.3, d.get(1, 0));
        assertArrayEquals(new double[]{0.4, 0.6}, d.columnSums(), 1e-15);
        assertEquals(4, d.nonZeroCount());
        assertRejected("plan entry (0, 1) is NaN", () -> DensePlan.ofRowMajor(1, 2, new double[]{0, Double.NaN}));
    }

    @Test
    void plansGivenRowByRowEqualTheSortedOnes() {
        // rows in a shuffled order, each row's entries consecutive with their columns shuffled (runs of 0 to 40
        // entries), zeros among them; the arrays' capacity past count is ignored
        java.util.Random rng = new java.util.Random(8);
        int n = 30;
        int m = 50;
        int[] rowOrder = shuffled(n, rng);
        int[] rows = new int[n * m + 5];
        int[] cols = new int[n * m + 5];
        double[] mass = new double[n * m + 5];
        int count = 0;
        for (int r : rowOrder) {
            int[] perm = shuffled(m, rng);
            int len = r % 3 == 0 ? rng.nextInt(41) : rng.nextInt(4);
            for (int t = 0; t < len; t++) {
                rows[count] = r;
                cols[count] = perm[t];
                mass[count] = t % 5 == 4 ? 0 : rng.nextDouble();
                count++;
            }
        }
        rows[count] = 0; // past count: must not be read
        mass[count] = -1;
        SparsePlan grouped = SparsePlan.ofGroupedRows(n, m, rows, cols, mass, count);
        SparsePlan sorted = SparsePlan.of(n, m, java.util.Arrays.copyOf(rows, count),
                java.util.Arrays.copyOf(cols, count), java.util.Arrays.copyOf(mass, count));
        assertArrayEquals(sorted.rowIndices(), grouped.rowIndices());
        assertArrayEquals(sorted.columnIndices(), grouped.columnIndices());
        assertArrayEquals(sorted.masses(), grouped.masses());
        assertTrue(grouped.nonZeroCount() > n, "entries " + grouped.nonZeroCount());

        assertRejected("row 0 are not consecutive", () -> SparsePlan.ofGroupedRows(2, 3, new int[]{0, 1, 0},
                new int[]{0, 0, 1}, new double[]{1, 1, 1}, 3));
        assertRejected("entry (1, 2) appears twice", () -> SparsePlan.ofGroupedRows(2, 3, new int[]{1, 1, 1},
                new int[]{2, 0, 2}, new double[]{1, 1, 1}, 3));
        assertRejected("count is 4 but the arrays hold 3", () -> SparsePlan.ofGroupedRows(2, 3, new int[3],
                new int[3], new double[3], 4));
        assertRejected("outside the 2 x 3 plan", () -> SparsePlan.ofGroupedRows(2, 3, new int[]{0}, new int[]{3},
                new double[]{1}, 1));
        assertRejected("mass of entry 0 is NaN", () -> SparsePlan.ofGroupedRows(2, 3, new int[]{0}, new int[]{0},
                new double[]{Double.NaN}, 1));
        assertEquals(0, SparsePlan.ofGroupedRows(2, 3, new int[]{0, 0}, new int[]{1, 1}, new double[]{0, 0}, 2)
                .nonZeroCount(), "zeros are dropped before repeats are looked for");
    }

    private static int[] shuffled(int n, java.util.Random rng) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            int j = rng.nextInt(i + 1);
            p[i] = p[j];
            p[j] = i;
        }
        return p;
    }

    /** 50 000 x 50 000 = 2.5e9 entries cannot be indexed by an int: refused before anything large is allocated. */
    @Test
    void refusesDenseMatricesThatAJavaArrayCannotHold() {
        int n = 50_000;
        double[] row = new double[n];
        double[][] shared = new double[n][];
        java.util.Arrays.fill(shared, row); // 400 kB, not 20 GB
        assertRejected("cost matrix is 50000 x 50000 = 2500000000 entries", () -> CostMatrix.of(shared));
        double[][] line = new double[n][1];
        assertRejected("cost matrix is 50000 x 50000 = 2500000000 entries",
                () -> PointCloud.squaredEuclidean(line, line).toCostMatrix());
    }

    @Test
    void solutionCopiesPotentialsAndComputesDistances() {
        double[] f = {1, 2};
        Solution s = new Solution(4, SparsePlan.of(1, 1, new int[]{0}, new int[]{0}, new double[]{1}), f, new double[]{0},
                new Duality(true, 0, 0), 0, 0, Status.OPTIMAL);
        f[0] = 7;
        assertEquals(1, s.sourcePotential()[0]);
        s.sourcePotential()[0] = 9;
        assertEquals(1, s.sourcePotential()[0]);
        assertEquals(2, s.distance(2), 1e-15);
        assertEquals(4, s.distance(1));
        assertTrue(s.converged());
        assertRejected("p must be >= 1", () -> s.distance(0.5));
        assertRejected("all null or all given", () -> new Solution(4, s.plan(), f, new double[]{0}, null, 0, 0,
                Status.MAX_ITERATIONS));
    }
}
