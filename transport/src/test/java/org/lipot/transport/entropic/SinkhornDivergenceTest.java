package org.lipot.transport.entropic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.lipot.transport.Status;
import org.lipot.transport.TransportProblem;
import org.lipot.transport.geometry.Cost;
import org.lipot.transport.geometry.CostMatrix;
import org.lipot.transport.geometry.PointCloud;

/**
 * {@link SinkhornDivergence} beyond the golden file: zero on identical measures, never negative on random clouds,
 * the symmetric self solve against the plain Sinkhorn on the same problem, modes agreeing, the source gradient
 * against central finite differences, non-convergence in the status, and named bad arguments.
 */
class SinkhornDivergenceTest {

    private static double[][] cloud(Random rnd, int n, int d, double shift) {
        double[][] p = new double[n][d];
        for (double[] row : p) {
            for (int k = 0; k < d; k++) {
                row[k] = rnd.nextGaussian() + shift;
            }
        }
        return p;
    }

    private static Sinkhorn.Builder tight(double eps) {
        return Sinkhorn.builder().epsilon(eps).tolerance(1e-13).maxIterations(1_000_000).threads(2);
    }

    @ParameterizedTest
    @EnumSource(Sinkhorn.Mode.class)
    void isZeroBetweenAMeasureAndItself(Sinkhorn.Mode mode) {
        Random rnd = new Random(1);
        double[][] x = cloud(rnd, 9, 3, 0);
        double[] a = SinkhornTest.weights(rnd.nextLong(), 9);
        DivergenceResult r = SinkhornDivergence.of(tight(0.3).mode(mode).build())
                .solve(TransportProblem.of(PointCloud.squaredEuclidean(x, x), a, a));
        assertEquals(Status.CONVERGED, r.status());
        assertEquals(0, r.value(), 1e-12);
        assertEquals(r.sourceSelfTerm(), r.targetSelfTerm(), 1e-12);
        double[][] grad = SinkhornDivergence.of(tight(0.3).mode(mode).build())
                .sourceGradient(TransportProblem.of(PointCloud.squaredEuclidean(x, x), a, a), r);
        for (double[] row : grad) {
            for (double v : row) {
                assertEquals(0, v, 1e-10, "the gradient vanishes at the minimum S(a, a) = 0");
            }
        }
    }

    @Test
    void isNeverNegativeOnRandomClouds() {
        Random rnd = new Random(2);
        for (int t = 0; t < 40; t++) {
            int n = 1 + rnd.nextInt(30);
            int m = 1 + rnd.nextInt(30);
            int d = 1 + rnd.nextInt(3);
            double eps = Math.pow(10, -2 + 3 * rnd.nextDouble());
            double shift = rnd.nextInt(3) == 0 ? 0 : rnd.nextDouble();
            Cost cost = rnd.nextBoolean() ? Cost.SQUARED_EUCLIDEAN : Cost.EUCLIDEAN;
            TransportProblem problem = TransportProblem.of(PointCloud.of(cloud(rnd, n, d, 0), cloud(rnd, m, d, shift),
                    cost), SinkhornTest.weights(rnd.nextLong(), n), SinkhornTest.weights(rnd.nextLong(), m));
            DivergenceResult r = SinkhornDivergence.of(tight(eps).tolerance(1e-12).build()).solve(problem);
            String what = "trial " + t + ": " + n + " x " + m + " in R^" + d + ", eps " + eps + ", " + cost;
            assertEquals(Status.CONVERGED, r.status(), what);
            assertTrue(r.value() >= -1e-12, what + ": S = " + r.value());
        }
    }

    @Test
    void selfTermsMatchThePlainIterationWithOneSymmetricPotential() {
        Random rnd = new Random(3);
        double[][] x = cloud(rnd, 25, 2, 0);
        double[][] y = cloud(rnd, 18, 2, 1);
        double[] a = SinkhornTest.weights(rnd.nextLong(), 25);
        double[] b = SinkhornTest.weights(rnd.nextLong(), 18);
        Sinkhorn sinkhorn = tight(0.5).mode(Sinkhorn.Mode.LOG).build();
        DivergenceResult r = SinkhornDivergence.of(sinkhorn).solve(TransportProblem.of(PointCloud.squaredEuclidean(x, y), a, b));
        EntropicSolution plain = sinkhorn.solve(TransportProblem.of(PointCloud.squaredEuclidean(x, x), a, a));
        EntropicSolution self = r.sourceSelf();
        double[] p = self.sourcePotential();
        double[] q = self.targetPotential();
        double[] f = plain.sourcePotential();
        double[] g = plain.targetPotential();
        double plainValue = 0;
        for (int i = 0; i < 25; i++) {
            assertEquals(p[i], q[i], 0, "one potential");
            plainValue += a[i] * (f[i] + g[i]);
        }
        assertEquals(plainValue, r.sourceSelfTerm(), 1e-11);
        assertEquals(plain.value(), self.value(), 1e-11);
        assertTrue(self.marginalError() < 1e-12, "self plan marginals " + self.marginalError());
        assertTrue(self.iterations() < plain.iterations(), self.iterations() + " symmetric sweeps vs " + plain.iterations());
    }

    @Test
    void modesAgree() {
        Random rnd = new Random(4);
        TransportProblem problem = TransportProblem.of(PointCloud.squaredEuclidean(cloud(rnd, 40, 2, 0),
                cloud(rnd, 30, 2, 0.5)), SinkhornTest.weights(rnd.nextLong(), 40), SinkhornTest.weights(rnd.nextLong(), 30));
        double kernel = SinkhornDivergence.of(tight(0.05).mode(Sinkhorn.Mode.KERNEL).build()).solve(problem).value();
        double log = SinkhornDivergence.of(tight(0.05).mode(Sinkhorn.Mode.LOG).build()).solve(problem).value();
        double online = SinkhornDivergence.of(tight(0.05).online(true).build()).solve(problem).value();
        double scaled = SinkhornDivergence.of(tight(0.05).epsilonScaling(1, 0.5).build()).solve(problem).value();
        assertEquals(kernel, log, 1e-11);
        assertEquals(kernel, online, 1e-11);
        assertEquals(kernel, scaled, 1e-11);
    }

    @Test
    void sourceGradientMatchesCentralFiniteDifferences() {
        Random rnd = new Random(5);
        int n = 7;
        int d = 3;
        double[][] x = cloud(rnd, n, d, 0);
        double[][] y = cloud(rnd, 6, d, 0.7);
        double[] a = SinkhornTest.weights(rnd.nextLong(), n);
        double[] b = SinkhornTest.weights(rnd.nextLong(), 6);
        for (double eps : new double[] {1.0, 0.1}) {
            SinkhornDivergence div = SinkhornDivergence.of(tight(eps).build());
            TransportProblem problem = TransportProblem.of(PointCloud.squaredEuclidean(x, y), a, b);
            double[][] grad = div.sourceGradient(problem, div.solve(problem));
            double h = 1e-5;
            for (int i = 0; i < n; i++) {
                for (int k = 0; k < d; k++) {
                    double[][] plus = copy(x);
                    double[][] minus = copy(x);
                    plus[i][k] += h;
                    minus[i][k] -= h;
                    double sp = div.solve(TransportProblem.of(PointCloud.squaredEuclidean(plus, y), a, b)).value();
                    double sm = div.solve(TransportProblem.of(PointCloud.squaredEuclidean(minus, y), a, b)).value();
                    assertEquals((sp - sm) / (2 * h), grad[i][k], 1e-8, "eps " + eps + ", dS/dx_" + i + "," + k);
                }
            }
        }
    }

    private static double[][] copy(double[][] p) {
        double[][] out = new double[p.length][];
        for (int i = 0; i < p.length; i++) {
            out[i] = p[i].clone();
        }
        return out;
    }

    @Test
    void nonConvergenceOfAnyTermIsTheStatus() {
        Random rnd = new Random(6);
        TransportProblem problem = TransportProblem.of(PointCloud.squaredEuclidean(cloud(rnd, 20, 2, 0),
                cloud(rnd, 20, 2, 0)), SinkhornTest.weights(rnd.nextLong(), 20), SinkhornTest.weights(rnd.nextLong(), 20));
        DivergenceResult r = SinkhornDivergence.of(tight(0.01).maxIterations(3).build()).solve(problem);
        assertEquals(Status.MAX_ITERATIONS, r.status());
        assertEquals(r.cross().iterations() + r.sourceSelf().iterations() + r.targetSelf().iterations(), r.iterations());
    }

    @Test
    void badArgumentsAreNamed() {
        double[][] x = {{0, 0}, {1, 0}};
        double[][] y = {{0, 1}, {1, 1}, {2, 2}};
        SinkhornDivergence div = SinkhornDivergence.of(tight(0.1).build());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SinkhornDivergence.of(null))
                .getMessage().contains("sinkhorn"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Sinkhorn.builder().epsilon(0))
                .getMessage().contains("epsilon"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Sinkhorn.builder().tolerance(-1))
                .getMessage().contains("tolerance"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> div.solve(null))
                .getMessage().contains("problem"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> div.solve(TransportProblem.uniform(CostMatrix.of(new double[][] {{1, 2}, {3, 4}}))))
                .getMessage().contains("PointCloud"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> div.solve(TransportProblem.uniform(PointCloud.of(x, y, (p, q) -> Math.abs(p[0] - q[1])))))
                .getMessage().contains("cost"));
        TransportProblem euclidean = TransportProblem.uniform(PointCloud.of(x, y, Cost.EUCLIDEAN));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> div.sourceGradient(euclidean, div.solve(euclidean)))
                .getMessage().contains("squared Euclidean"));
        TransportProblem problem = TransportProblem.uniform(PointCloud.squaredEuclidean(x, y));
        DivergenceResult other = div.solve(TransportProblem.uniform(PointCloud.squaredEuclidean(y, x)));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> div.sourceGradient(problem, other))
                .getMessage().contains("result"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> div.sourceGradient(problem, null))
                .getMessage().contains("result"));
    }
}
