package org.lipot.transport.sliced;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.lipot.transport.Marginals;
import org.lipot.transport.Status;
import org.lipot.transport.TransportProblem;
import org.lipot.transport.exact.MonotoneRearrangement;
import org.lipot.transport.geometry.Cost;
import org.lipot.transport.geometry.PointCloud;
import org.lipot.transport.testing.Golden;

/** Sliced Wasserstein against POT's 1-D values on stored directions, its statistical estimate, and invariants. */
class SlicedWassersteinTest {

    private static TransportProblem problem(JsonNode c) {
        PointCloud cloud = PointCloud.squaredEuclidean(Golden.matrix(c, "xs"), Golden.matrix(c, "xt"));
        if (c.get("a").isNull()) {
            return TransportProblem.uniform(cloud);
        }
        return TransportProblem.of(cloud, Marginals.of(Golden.vector(c, "a")), Marginals.of(Golden.vector(c, "b")));
    }

    @Test
    void storedDirectionsGivePotsValuesDirectionByDirection() {
        for (JsonNode c : Golden.cases("sliced.json")) {
            String name = c.get("name").asText();
            SlicedResult r = SlicedWasserstein.builder().directions(Golden.matrix(c, "projections")).build()
                    .solve(problem(c));
            double[] expected = Golden.vector(c, "per_projection_w2_squared");
            for (int k = 0; k < expected.length; k++) {
                assertEquals(expected[k], r.perDirection()[k], 1e-10 * Math.max(1, expected[k]), name + " " + k);
            }
            assertEquals(c.get("sw2_squared").asDouble(), r.value(), 1e-10, name);
            assertEquals(Status.OPTIMAL, r.status());
            assertEquals(expected.length, r.iterations());
        }
    }

    @Test
    void manyRandomDirectionsAgreeWithPotsEstimateAndTheQuadrature() {
        JsonNode c = Golden.cases("sliced.json").get(0); // 2-D: a quadrature over angles is available
        SlicedResult r = SlicedWasserstein.builder().projections(2000).seed(1).build().solve(problem(c));
        JsonNode pot = c.get("pot_statistical");
        double both = Math.hypot(r.standardError(), pot.get("std_err_of_mean_w2_squared").asDouble());
        assertEquals(pot.get("mean_w2_squared").asDouble(), r.value(), 4 * both, r.value() + " +- " + r.standardError());
        assertEquals(c.get("quadrature_sw2_squared").asDouble(), r.value(), 4 * r.standardError());
        // about POT's own standard error for 2000 directions (0.00198)
        assertEquals(pot.get("std_err_of_mean_w2_squared").asDouble(), r.standardError(), 0.0005);
    }

    @Test
    void sobolDirectionsBeatRandomOnesAgainstTheQuadrature() {
        JsonNode c = Golden.cases("sliced.json").get(0);
        double quadrature = c.get("quadrature_sw2_squared").asDouble();
        SlicedResult qmc = SlicedWasserstein.builder().projections(200).quasiMonteCarlo(true).build().solve(problem(c));
        SlicedResult random = SlicedWasserstein.builder().projections(200).seed(1).build().solve(problem(c));
        for (double[] theta : qmc.directions()) {
            assertEquals(1, Math.hypot(theta[0], theta[1]), 1e-12);
        }
        // the Monte Carlo error of 200 random directions is random.standardError(); the Sobol points do better
        assertTrue(Math.abs(qmc.value() - quadrature) < 0.25 * random.standardError(),
                "QMC error " + Math.abs(qmc.value() - quadrature) + ", random SE " + random.standardError());
    }

    @Test
    void inOneDimensionItIsTheExactOneDimensionalValue() {
        SplittableRandom rng = new SplittableRandom(3);
        double[] u = new double[200];
        double[] v = new double[150];
        double[][] x = new double[u.length][1];
        double[][] y = new double[v.length][1];
        for (int i = 0; i < u.length; i++) {
            u[i] = rng.nextGaussian();
            x[i][0] = u[i];
        }
        for (int j = 0; j < v.length; j++) {
            v[j] = 2 + rng.nextDouble();
            y[j][0] = v[j];
        }
        SlicedResult r = SlicedWasserstein.builder().projections(5).build()
                .solve(TransportProblem.uniform(PointCloud.squaredEuclidean(x, y)));
        double exact = MonotoneRearrangement.builder().exponent(2).build().value(u, v);
        assertEquals(exact, r.value(), 1e-12 * exact, "every direction is +-1");
        assertEquals(0, r.standardError(), 1e-12 * exact);
        SlicedResult w1 = SlicedWasserstein.builder().projections(3).build()
                .solve(TransportProblem.uniform(PointCloud.of(x, y, Cost.EUCLIDEAN)));
        assertEquals(MonotoneRearrangement.builder().exponent(1).build().value(u, v), w1.value(), 1e-12);
    }

    @Test
    void rotatingTheCloudsAndTheDirectionsTogetherChangesNothing() {
        SplittableRandom rng = new SplittableRandom(8);
        double[][] x = new double[80][3];
        double[][] y = new double[70][3];
        for (double[] p : x) {
            for (int k = 0; k < 3; k++) {
                p[k] = rng.nextGaussian();
            }
        }
        for (double[] p : y) {
            for (int k = 0; k < 3; k++) {
                p[k] = 1 + 0.5 * rng.nextGaussian() * (k + 1);
            }
        }
        double c = Math.cos(0.7);
        double s = Math.sin(0.7);
        double[][] rot = {{c, -s, 0}, {s, c, 0}, {0, 0, 1}}; // a rotation about z
        double[][] dirs = SlicedWasserstein.random(40, 3, 5);
        SlicedResult before = SlicedWasserstein.builder().directions(dirs).build()
                .solve(TransportProblem.uniform(PointCloud.squaredEuclidean(x, y)));
        SlicedResult after = SlicedWasserstein.builder().directions(apply(rot, dirs)).build()
                .solve(TransportProblem.uniform(PointCloud.squaredEuclidean(apply(rot, x), apply(rot, y))));
        assertEquals(before.value(), after.value(), 1e-12 * before.value());
        // and with random directions the value moves only within the Monte Carlo error
        SlicedResult random = SlicedWasserstein.builder().projections(400).seed(2).build()
                .solve(TransportProblem.uniform(PointCloud.squaredEuclidean(apply(rot, x), apply(rot, y))));
        SlicedResult plain = SlicedWasserstein.builder().projections(400).seed(3).build()
                .solve(TransportProblem.uniform(PointCloud.squaredEuclidean(x, y)));
        assertEquals(plain.value(), random.value(), 4 * Math.hypot(plain.standardError(), random.standardError()));
    }

    private static double[][] apply(double[][] r, double[][] points) {
        double[][] out = new double[points.length][3];
        for (int p = 0; p < points.length; p++) {
            for (int i = 0; i < 3; i++) {
                for (int k = 0; k < 3; k++) {
                    out[p][i] += r[i][k] * points[p][k];
                }
            }
        }
        return out;
    }

    @Test
    void badInputIsRefusedByName() {
        assertThrows(IllegalArgumentException.class, () -> SlicedWasserstein.builder().projections(0));
        assertThrows(IllegalArgumentException.class, () -> SlicedWasserstein.builder().directions(new double[][] {{0,
            0}}));
        assertThrows(IllegalArgumentException.class, () -> SlicedWasserstein.builder().directions(new double[][] {{1,
            0}, {1}}));
        double[][] x = {{0, 0}, {1, 1}};
        IllegalArgumentException dim = assertThrows(IllegalArgumentException.class, () -> SlicedWasserstein.builder()
                .directions(new double[][] {{1, 0, 0}}).build().solve(TransportProblem.uniform(
                        PointCloud.squaredEuclidean(x, x))));
        assertTrue(dim.getMessage().contains("dimension"), dim.getMessage());
        assertThrows(IllegalArgumentException.class, () -> SlicedWasserstein.builder().build().solve(
                TransportProblem.uniform(PointCloud.of(x, x, Cost.lpPower(3)))));
    }
}
