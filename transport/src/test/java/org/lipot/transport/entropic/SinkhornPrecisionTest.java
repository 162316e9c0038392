package org.lipot.transport.entropic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.lipot.transport.Status;
import org.lipot.transport.TransportProblem;
import org.lipot.transport.geometry.PointCloud;

/**
 * {@link Sinkhorn.Precision#FLOAT32}: the kernel's entries are rounded to {@code 2^-24} relative, which is the
 * kernel of a cost perturbed by at most {@code eps 2^-24}; values agree with float64 to far below 1e-5 relative, and
 * the modes without a stored kernel refuse it.
 */
class SinkhornPrecisionTest {

    private static Sinkhorn.Builder kernel(double eps, Sinkhorn.Precision precision) {
        return Sinkhorn.builder().epsilon(eps).tolerance(1e-9).maxIterations(1_000_000).mode(Sinkhorn.Mode.KERNEL)
                .precision(precision).threads(2);
    }

    @ParameterizedTest
    @CsvSource({"1, 60, 50, 0.05", "2, 200, 150, 0.01", "3, 300, 320, 0.002", "4, 90, 120, 0.0005"})
    void float32AgreesWithFloat64(long seed, int n, int m, double eps) {
        TransportProblem p = TransportProblem.of(
                PointCloud.squaredEuclidean(SinkhornTest.points(seed, n, 0), SinkhornTest.points(seed + 100, m, 0.3)),
                SinkhornTest.weights(seed + 200, n), SinkhornTest.weights(seed + 300, m));
        EntropicSolution f64 = kernel(eps, Sinkhorn.Precision.FLOAT64).build().solve(p);
        EntropicSolution f32 = kernel(eps, Sinkhorn.Precision.FLOAT32).build().solve(p);
        assertEquals(Status.CONVERGED, f64.status());
        assertEquals(Status.CONVERGED, f32.status());
        assertTrue(f32.columnMarginalError() < 1e-9, "converged on its own plan: " + f32.columnMarginalError());
        assertEquals(f64.value(), f32.value(), 1e-5 * f64.value());
        assertEquals(f64.entropicObjective(), f32.entropicObjective(), 1e-5 * Math.abs(f64.entropicObjective()));
        // far tighter in fact: the kernel is that of a cost moved by eps 2^-24, and the roundings average out
        assertEquals(f64.value(), f32.value(), 1e-9 * f64.value());
        assertNotEquals(f64.value(), f32.value(), "float32 was used");
        double[] fa = f64.sourcePotential();
        double[] fb = f32.sourcePotential();
        double shift = fb[0] - fa[0];
        for (int i = 0; i < n; i++) {
            assertEquals(fa[i], fb[i] - shift, 1e-6 * eps, "f_" + i + ", in units of eps");
        }
        // the plan recomputed from the potentials is within 2^-24 relative of the measured float32 plan
        double[] rows = f32.plan().rowSums();
        for (int i = 0; i < n; i += 7) {
            double sum = 0;
            for (int j = 0; j < m; j++) {
                sum += f32.plan().get(i, j);
            }
            assertEquals(rows[i], sum, 4 * 0x1p-24 * rows[i], "row " + i);
        }
    }

    @Test
    void float32IsNeverNaNAtAnyEpsilonWithLargeCosts() {
        // the stability sweep of SinkhornTest.neverNaNAtAnyEpsilonWithLargeCosts, in float32 (smallest normal float
        // 1.2e-38: the kernel underflows far sooner than in double)
        SinkhornTest.assertFiniteAtEveryEpsilon(Sinkhorn.Mode.KERNEL, Sinkhorn.Precision.FLOAT32);
    }

    @Test
    void float32WithZeroAndTinyWeights() {
        // a zero weight, and weights far below what a float32 entry K_ij <= 1 / w_j can hold
        double[] a = SinkhornTest.weights(5, 40);
        double[] b = SinkhornTest.weights(6, 30);
        a[3] = 0;
        b[0] = 0;
        b[7] = 1e-45;
        b[11] = 1e-300;
        a[9] = 1e-200;
        double ta = 0;
        double tb = 0;
        for (double w : a) {
            ta += w;
        }
        for (double w : b) {
            tb += w;
        }
        for (int j = 0; j < b.length; j++) {
            b[j] *= ta / tb;
        }
        TransportProblem p = TransportProblem.of(
                PointCloud.squaredEuclidean(SinkhornTest.points(7, 40, 0), SinkhornTest.points(8, 30, 0.5)), a, b);
        for (double eps : new double[] {0.1, 0.003}) {
            EntropicSolution f64 = kernel(eps, Sinkhorn.Precision.FLOAT64).build().solve(p);
            EntropicSolution f32 = kernel(eps, Sinkhorn.Precision.FLOAT32).build().solve(p);
            assertEquals(Status.CONVERGED, f32.status(), "eps " + eps);
            assertEquals(f64.value(), f32.value(), 1e-9 * f64.value(), "eps " + eps);
            for (double v : f32.targetPotential()) {
                assertTrue(Double.isFinite(v), "eps " + eps);
            }
        }
    }

    @Test
    void autoUsesFloat32OnlyWhereItStoresTheKernel() {
        TransportProblem p = SinkhornTest.cloud(40, 30);
        Sinkhorn.Builder base = Sinkhorn.builder().epsilon(0.01).tolerance(1e-10).threads(2);
        double stored64 = base.precision(Sinkhorn.Precision.FLOAT64).denseLimit(1L << 25).build().solve(p).value();
        double stored32 = base.precision(Sinkhorn.Precision.FLOAT32).denseLimit(1L << 25).build().solve(p).value();
        double online32 = base.precision(Sinkhorn.Precision.FLOAT32).denseLimit(0).build().solve(p).value();
        double online64 = base.precision(Sinkhorn.Precision.FLOAT64).denseLimit(0).build().solve(p).value();
        assertNotEquals(stored64, stored32, "AUTO stores a float32 kernel");
        assertEquals(stored64, stored32, 1e-9 * stored64);
        assertEquals(online64, online32, 0, "AUTO online has no kernel and runs in float64");
    }

    @Test
    void modesWithoutAKernelRefuseFloat32() {
        Sinkhorn.Builder b = Sinkhorn.builder().epsilon(0.1).precision(Sinkhorn.Precision.FLOAT32);
        for (Runnable build : new Runnable[] {
                () -> b.mode(Sinkhorn.Mode.LOG).online(false).build(),
                () -> b.mode(Sinkhorn.Mode.LOG).online(true).build(),
                () -> b.mode(Sinkhorn.Mode.AUTO).online(true).build()}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, build::run);
            assertTrue(e.getMessage().startsWith("precision FLOAT32"), e.getMessage());
        }
        b.mode(Sinkhorn.Mode.AUTO).online(false).build();
        b.mode(Sinkhorn.Mode.KERNEL).build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> b.precision(null));
        assertTrue(e.getMessage().startsWith("precision"), e.getMessage());
    }
}
