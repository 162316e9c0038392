package org.lipot.transport.entropic;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.lipot.transport.Status;
import org.lipot.transport.TransportProblem;
import org.lipot.transport.geometry.PointCloud;

class CloudKernelTest {

    @ParameterizedTest
    @ValueSource(doubles = {0.5, 0.01, 0.001})
    void entriesMatchTheExponentialTo1e10Relative(double eps) {
        int n = 300;
        int m = 260;
        double[][] x = SinkhornTest.points(1, n, 0);
        double[][] y = SinkhornTest.points(2, m, 0.3);
        PointCloud cloud = PointCloud.squaredEuclidean(x, y);
        Random rng = new Random(5);
        double[] f = new double[n];
        double[] g = new double[m];
        for (int i = 0; i < n; i++) {
            f[i] = 0.3 * rng.nextDouble();
        }
        for (int j = 0; j < m; j++) {
            g[j] = 0.3 * rng.nextDouble();
        }
        KernelStore k = KernelStore.of(Sinkhorn.Precision.FLOAT64, n, m);
        CloudKernel kernel = new CloudKernel(cloud, 2, null);
        kernel.begin(kernel.columns.permute(g), eps);
        double[] fk = kernel.rows.permute(f);
        for (int p = n - 1; p >= 0; p--) { // two writers, rows in no particular order
            kernel.fillRow(p % 2, p, fk[p], k);
        }
        // exact to 1e-10 relative, except that an entry below e^-681 times its row's largest may be lost
        double lost = Math.exp(-681);
        int compared = 0;
        for (int p = 0; p < n; p++) {
            int i = kernel.rows.order[p];
            double rowMax = 0;
            for (int j = 0; j < m; j++) {
                rowMax = Math.max(rowMax, Math.exp((f[i] + g[j] - cloud.cost(i, j)) / eps));
            }
            for (int q = 0; q < m; q++) {
                int j = kernel.columns.order[q];
                double exact = Math.exp((f[i] + g[j] - cloud.cost(i, j)) / eps);
                double got = k.get(p, q);
                assertEquals(exact, got, 1e-10 * exact + lost * rowMax, "K_" + i + "," + j);
                compared += exact > lost * rowMax ? 1 : 0;
            }
        }
        assertTrue(compared > n * m / 10, "compared " + compared);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4})
    void theCostFromMomentsMatchesThePlanPass(int d) {
        // d <= 3: <P, C> from row sums, column sums and first moments gathered by the last check (far from the
        // origin, where the expansion could cancel); d = 4 and a run stopped after a column update: a pass over the
        // plan. Same iterates as the log domain, on one worker (90 x 70) and on two (600 x 500, whose workers'
        // moments are added).
        Random rng = new Random(11);
        for (int[] size : new int[][] {{90, 70}, {600, 500}}) {
            double[][] x = new double[size[0]][d];
            double[][] y = new double[size[1]][d];
            for (double[][] side : new double[][][] {x, y}) {
                for (double[] p : side) {
                    for (int k = 0; k < d; k++) {
                        p[k] = 50 + rng.nextDouble() + (side == y ? 0.3 : 0);
                    }
                }
            }
            TransportProblem p = TransportProblem.of(PointCloud.squaredEuclidean(x, y),
                    SinkhornTest.weights(3, size[0]), SinkhornTest.weights(4, size[1]));
            for (long cap : new long[] {1000, 7}) {
                Sinkhorn.Builder base = Sinkhorn.builder().epsilon(0.05).tolerance(1e-10).maxIterations(cap)
                        .coarseStart(false).overrelaxation(false).threads(2);
                EntropicSolution kernel = base.mode(Sinkhorn.Mode.KERNEL).build().solve(p);
                EntropicSolution log = base.mode(Sinkhorn.Mode.LOG).build().solve(p);
                String at = size[0] + " x " + size[1] + ", cap " + cap;
                assertEquals(cap == 1000 ? Status.CONVERGED : Status.MAX_ITERATIONS, kernel.status(), at);
                assertEquals(log.value(), kernel.value(), 1e-11 * log.value(), "value, " + at);
                assertArrayEquals(log.plan().rowSums(), kernel.plan().rowSums(), 1e-14, "row sums, " + at);
                assertArrayEquals(log.plan().columnSums(), kernel.plan().columnSums(), 1e-14, "column sums, " + at);
                assertArrayEquals(log.sourcePotential(), kernel.sourcePotential(), 1e-11, "f, " + at);
            }
        }
    }

    @Test
    void unbalancedPotentialsStillSolveLikeTheLogDomain() {
        // a warm start far from balance: the fast build overflows some rows to infinity, which are rebuilt exactly
        TransportProblem p = SinkhornTest.cloud(120, 100);
        double[] f0 = new double[120];
        double[] g0 = new double[100];
        java.util.Arrays.fill(f0, 8);
        g0[3] = -20;
        Sinkhorn.Builder base = Sinkhorn.builder().epsilon(0.01).tolerance(1e-11);
        EntropicSolution kernel = base.mode(Sinkhorn.Mode.KERNEL).build().solve(p, f0, g0);
        EntropicSolution log = base.mode(Sinkhorn.Mode.LOG).build().solve(p, f0, g0);
        assertEquals(Status.CONVERGED, kernel.status());
        assertEquals(log.value(), kernel.value(), 1e-9 * log.value());
    }

    @Test
    void aReleasedKernelIsReusedWithoutChangingTheResult() {
        // the second solve of the same size writes into the first one's kernel array, full of old entries
        Sinkhorn s = Sinkhorn.builder().epsilon(0.02).tolerance(1e-10).mode(Sinkhorn.Mode.KERNEL).threads(1).build();
        TransportProblem p = SinkhornTest.cloud(90, 80);
        EntropicSolution first = s.solve(p);
        Sinkhorn.builder().epsilon(0.5).mode(Sinkhorn.Mode.KERNEL).threads(1).build()
                .solve(SinkhornTest.cloud(90, 80)); // leaves other values in the spare array
        EntropicSolution second = s.solve(p);
        assertEquals(first.value(), second.value(), 0);
        assertArrayEquals(first.sourcePotential(), second.sourcePotential(), 0);
        assertEquals(first.iterations(), second.iterations());
    }
}
