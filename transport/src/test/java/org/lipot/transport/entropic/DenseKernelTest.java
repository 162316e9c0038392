package org.lipot.transport.entropic;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.lipot.transport.internal.RowBlocks;
import org.lipot.transport.Status;
import org.lipot.transport.TransportProblem;
import org.lipot.transport.geometry.PointCloud;

class DenseKernelTest {

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
        try (RowBlocks blocks = new RowBlocks(2)) {
            KernelStore k = KernelStore.of(Sinkhorn.Precision.FLOAT64, n * m);
            new MultiscaleIteration.DenseKernel(cloud, blocks).fill(f, g, eps, k, blocks);
            // exact to 1e-10 relative, except that an entry below e^-681 times its row's largest may be lost
            double lost = Math.exp(-681);
            int compared = 0;
            for (int i = 0; i < n; i++) {
                double rowMax = 0;
                for (int j = 0; j < m; j++) {
                    rowMax = Math.max(rowMax, Math.exp((f[i] + g[j] - cloud.cost(i, j)) / eps));
                }
                for (int j = 0; j < m; j++) {
                    double exact = Math.exp((f[i] + g[j] - cloud.cost(i, j)) / eps);
                    double got = k.get(i * m + j);
                    assertEquals(exact, got, 1e-10 * exact + lost * rowMax, "K_" + i + "," + j);
                    compared += exact > lost * rowMax ? 1 : 0;
                }
            }
            assertTrue(compared > n * m / 10, "compared " + compared);
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
