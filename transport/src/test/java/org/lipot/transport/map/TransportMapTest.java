package org.lipot.transport.map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;

import org.junit.jupiter.api.Test;
import org.lipot.transport.DensePlan;
import org.lipot.transport.Marginals;
import org.lipot.transport.Solution;
import org.lipot.transport.SparsePlan;
import org.lipot.transport.Status;
import org.lipot.transport.TransportProblem;
import org.lipot.transport.Wasserstein;
import org.lipot.transport.entropic.EntropicSolution;
import org.lipot.transport.entropic.Sinkhorn;
import org.lipot.transport.geometry.Cost;
import org.lipot.transport.geometry.PointCloud;

class TransportMapTest {

    private static double[][] cloud(Random r, int n, int d) {
        double[][] x = new double[n][d];
        for (double[] p : x) {
            for (int k = 0; k < d; k++) {
                p[k] = r.nextGaussian();
            }
        }
        return x;
    }

    private static double[][] shifted(double[][] x, double[] t) {
        double[][] y = new double[x.length][];
        for (int i = 0; i < x.length; i++) {
            y[i] = x[i].clone();
            for (int k = 0; k < t.length; k++) {
                y[i][k] += t[k];
            }
        }
        return y;
    }

    @Test
    void barycentricMapOfAnOptimalTranslationIsTheTranslationOnAndOffTheSample() {
        double[][] x = cloud(new Random(3), 50, 2);
        double[] t = {0.7, -1.3};
        double[][] y = shifted(x, t);
        Solution s = Wasserstein.exact(x, y);
        BarycentricMap map = BarycentricMap.of(PointCloud.squaredEuclidean(x, y), s.plan());
        assertEquals(2, map.dimension());
        double[][] images = map.apply(x);
        for (int i = 0; i < x.length; i++) {
            assertArrayEquals(y[i], images[i], 1e-12, "sample point " + i);
        }
        double[] z = {5, 5};
        assertArrayEquals(new double[] {5.7, 3.7}, map.apply(z), 1e-12, "an outside point moves like its nearest");
    }

    @Test
    void barycentricMapAveragesSplitMassAndSkipsMasslessPoints() {
        double[][] x = {{0, 0}, {10, 0}, {0, 10}};
        double[][] y = {{1, 0}, {0, 1}, {4, 4}};
        // source 0 splits 1/4 : 3/4 between targets 0 and 1; source 1 goes to target 2; source 2 has no mass
        SparsePlan plan = SparsePlan.of(3, 3, new int[] {0, 0, 1}, new int[] {0, 1, 2}, new double[] {0.1, 0.3, 0.6});
        BarycentricMap map = BarycentricMap.of(PointCloud.squaredEuclidean(x, y), plan);
        assertArrayEquals(new double[] {0.25, 0.75}, map.apply(x[0]), 1e-15);
        assertArrayEquals(new double[] {4, 4}, map.apply(x[1]), 0.0);
        // the massless source (0, 10) is nearest to source 0, so it moves by source 0's displacement
        assertArrayEquals(new double[] {0.25, 10.75}, map.apply(x[2]), 1e-15);
    }

    @Test
    void entropicMapOnTheSampleIsTheBarycentricProjectionOfTheEntropicPlan() {
        Random r = new Random(5);
        double[][] x = cloud(r, 30, 3);
        double[][] y = cloud(r, 20, 3);
        double[] b = r.doubles(20, 0.5, 1.5).toArray();
        double[] g = r.doubles(20, -0.5, 0.5).toArray();
        double eps = 0.3;
        // f as the soft c-transform of g makes the rows of P_ij = a_i b_j exp((f_i + g_j - C_ij) / eps) sum to a_i
        double[] p = new double[30 * 20];
        for (int i = 0; i < 30; i++) {
            double z = 0;
            for (int j = 0; j < 20; j++) {
                z += b[j] * Math.exp((g[j] - Cost.SQUARED_EUCLIDEAN.between(x[i], y[j])) / eps);
            }
            double f = -eps * Math.log(z);
            for (int j = 0; j < 20; j++) {
                p[i * 20 + j] = (1.0 / 30) * b[j] * Math.exp((f + g[j] - Cost.SQUARED_EUCLIDEAN.between(x[i], y[j]))
                        / eps);
            }
        }
        BarycentricMap projection = BarycentricMap.of(PointCloud.squaredEuclidean(x, y), DensePlan.ofRowMajor(30, 20, p));
        EntropicMap map = EntropicMap.of(y, b, g, eps, Cost.SQUARED_EUCLIDEAN);
        for (int i = 0; i < 30; i++) {
            assertArrayEquals(projection.apply(x[i]), map.apply(x[i]), 1e-12, "point " + i);
        }
    }

    @Test
    void entropicMapOfASolutionIsTheBarycentricProjectionOfItsPlanOnTheSample() {
        Random r = new Random(8);
        double[][] x = cloud(r, 40, 2);
        double[][] y = cloud(r, 25, 2);
        double[] a = r.doubles(40, 0.5, 1.5).toArray();
        double[] b = r.doubles(25, 0.5, 1.5).toArray();
        TransportProblem problem = TransportProblem.normalized(PointCloud.squaredEuclidean(x, y), Marginals.of(a),
                Marginals.of(b));
        EntropicSolution s = Sinkhorn.builder().epsilon(0.2).tolerance(1e-14).threads(2).build().solve(problem);
        assertEquals(Status.CONVERGED, s.status());
        EntropicMap map = EntropicMap.of(problem, s);
        assertEquals(0.2, map.epsilon());
        BarycentricMap projection = BarycentricMap.of(PointCloud.squaredEuclidean(x, y), s.plan());
        for (int i = 0; i < x.length; i++) {
            assertArrayEquals(projection.apply(x[i]), map.apply(x[i]), 1e-10, "point " + i);
        }
        assertTrue(assertThrows(IllegalArgumentException.class, () -> EntropicMap.of(null, s)).getMessage()
                .contains("problem"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> EntropicMap.of(problem, null)).getMessage()
                .contains("solution"));
        TransportProblem matrix = TransportProblem.uniform(PointCloud.squaredEuclidean(x, y).toCostMatrix());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> EntropicMap.of(matrix, s)).getMessage()
                .contains("PointCloud"));
        TransportProblem fewer = TransportProblem.uniform(PointCloud.squaredEuclidean(x, cloud(r, 3, 2)));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> EntropicMap.of(fewer, s)).getMessage()
                .contains("target potential"));
    }

    @Test
    void entropicMapLimitsAndEquivariance() {
        double[][] y = {{0, 0}, {2, 0}, {0, 4}};
        double[] b = {0.5, 0.25, 0.25};
        double[] g = {0, 0, 0};
        // eps -> 0: the nearest target (argmin of c - g), with no overflow or NaN even at 1e-300
        for (double eps : new double[] {1e-3, 1e-12, 1e-300}) {
            assertArrayEquals(new double[] {2, 0}, EntropicMap.of(y, b, g, eps, Cost.SQUARED_EUCLIDEAN)
                    .apply(new double[] {1.9, 0.3}), 1e-12, "eps " + eps);
        }
        // eps -> infinity: the b-weighted mean of the targets
        assertArrayEquals(new double[] {0.5, 1.0}, EntropicMap.of(y, b, g, 1e15, Cost.SQUARED_EUCLIDEAN)
                .apply(new double[] {30, -7}), 1e-9);
        // a single target takes every point
        assertArrayEquals(new double[] {3, 1}, EntropicMap.of(new double[][] {{3, 1}}, new double[] {1},
                new double[] {7}, 0.01, Cost.EUCLIDEAN).apply(new double[] {-100, 100}), 0.0);
        // moving every point by s moves every image by s (the cost depends on x - y only)
        double[] s = {1.5, -2};
        double[] x = {0.4, 1.1};
        double[] moved = EntropicMap.of(shifted(y, s), b, new double[] {0.1, -0.2, 0.3}, 0.7, Cost.SQUARED_EUCLIDEAN)
                .apply(shifted(new double[][] {x}, s)[0]);
        double[] base = EntropicMap.of(y, b, new double[] {0.1, -0.2, 0.3}, 0.7, Cost.SQUARED_EUCLIDEAN).apply(x);
        assertArrayEquals(new double[] {base[0] + s[0], base[1] + s[1]}, moved, 1e-12);
    }

    @Test
    void badInputsNameTheArgument() {
        double[][] y = {{0, 0}, {1, 1}};
        double[] b = {0.5, 0.5};
        double[] g = {0, 0};
        Cost c = Cost.SQUARED_EUCLIDEAN;
        assertMessage(() -> EntropicMap.of(y, b, g, 0, c), "epsilon");
        assertMessage(() -> EntropicMap.of(y, b, g, Double.NaN, c), "epsilon");
        assertMessage(() -> EntropicMap.of(y, new double[] {0.5}, g, 1, c), "b has length 1");
        assertMessage(() -> EntropicMap.of(y, new double[] {0, 0}, g, 1, c), "all weights are 0");
        assertMessage(() -> EntropicMap.of(y, new double[] {-1, 2}, g, 1, c), "b: weight 0");
        assertMessage(() -> EntropicMap.of(y, b, new double[] {0, Double.NaN}, 1, c), "g: potential 1");
        assertMessage(() -> EntropicMap.of(new double[][] {{0, 0}, {1}}, b, g, 1, c), "point 1 has dimension 1");
        EntropicMap map = EntropicMap.of(y, b, g, 1, c);
        assertMessage(() -> map.apply(new double[] {1}), "dimension 1 but the map takes 2");
        assertMessage(() -> map.apply(new double[][] {{0, 0}, {0, Double.NaN}}), "point 1: coordinate 1");
        PointCloud cloud = PointCloud.squaredEuclidean(y, y);
        assertMessage(() -> BarycentricMap.of(cloud, DensePlan.ofRowMajor(1, 2, new double[] {1, 1})), "plan is 1 x 2");
        assertMessage(() -> BarycentricMap.of(cloud, DensePlan.ofRowMajor(2, 2, new double[4])), "no mass");
    }

    private static void assertMessage(org.junit.jupiter.api.function.Executable run, String part) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, run);
        assertTrue(e.getMessage().contains(part), "'" + part + "' in: " + e.getMessage());
    }
}
