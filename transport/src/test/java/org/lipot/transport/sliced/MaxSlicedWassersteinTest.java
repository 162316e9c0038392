package org.lipot.transport.sliced;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.lipot.transport.Status;
import org.lipot.transport.TransportProblem;
import org.lipot.transport.exact.MonotoneRearrangement;
import org.lipot.transport.geometry.PointCloud;

/** Max-sliced Wasserstein: never below the random directions, finds the known worst axis, exact in 1-D. */
class MaxSlicedWassersteinTest {

    @Test
    void ascentBeatsTheRandomDirectionsAndFindsTheStretchedAxis() {
        // x ~ N(0, I) and y ~ N(0, diag(9, 1, 1)) in 3-D: W_2^2 on theta is (sigma_y(theta) - sigma_x(theta))^2,
        // largest on the first axis, (3 - 1)^2 = 4
        SplittableRandom rng = new SplittableRandom(4);
        int n = 2000;
        double[][] x = new double[n][3];
        double[][] y = new double[n][3];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < 3; k++) {
                x[i][k] = rng.nextGaussian();
                y[i][k] = (k == 0 ? 3 : 1) * rng.nextGaussian();
            }
        }
        TransportProblem p = TransportProblem.uniform(PointCloud.squaredEuclidean(x, y));
        SlicedResult random = SlicedWasserstein.builder().projections(10).seed(9).build().solve(p);
        double bestRandom = 0;
        for (double v : random.perDirection()) {
            bestRandom = Math.max(bestRandom, v);
        }
        MaxSlicedResult r = MaxSlicedWasserstein.builder().starts(10).seed(9).build().solve(p);
        assertEquals(Status.OPTIMAL, r.status());
        assertTrue(r.value() >= bestRandom, r.value() + " < " + bestRandom);
        assertTrue(Math.abs(r.direction()[0]) > 0.98, "direction " + java.util.Arrays.toString(r.direction()));
        assertEquals(4, r.value(), 0.4);
        assertEquals(1, Math.sqrt(r.direction()[0] * r.direction()[0] + r.direction()[1] * r.direction()[1]
                + r.direction()[2] * r.direction()[2]), 1e-12);
        // the value is the exact 1-D cost on the returned direction
        double[] u = new double[n];
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < 3; k++) {
                u[i] += x[i][k] * r.direction()[k];
                v[i] += y[i][k] * r.direction()[k];
            }
        }
        assertEquals(MonotoneRearrangement.builder().exponent(2).build().value(u, v), r.value(), 1e-12 * r.value());
    }

    @Test
    void badSettingsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> MaxSlicedWasserstein.builder().starts(0));
        assertThrows(IllegalArgumentException.class, () -> MaxSlicedWasserstein.builder().steps(-1));
        double[][] x = {{0, 0}, {1, 1}};
        assertThrows(IllegalArgumentException.class, () -> MaxSlicedWasserstein.builder().build().solve(
                TransportProblem.uniform(PointCloud.of(x, x, org.lipot.transport.geometry.Cost.lpPower(3)))));
    }
}
