package org.lipot.transport.gaussian;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.lipot.transport.Status;
import org.lipot.transport.TransportProblem;
import org.lipot.transport.exact.NetworkSimplex;
import org.lipot.transport.geometry.Cost;
import org.lipot.transport.geometry.PointCloud;
import org.lipot.transport.testing.Golden;

/** The Bures-Wasserstein closed form against scipy's sqrtm, POT's linear mapping, closed forms and invariants. */
class BuresWassersteinTest {

    @Test
    void closedFormsMatchTheGoldenValuesMapsAndPushForwards() {
        int checked = 0;
        for (JsonNode c : Golden.cases("gaussian.json")) {
            if (!c.get("kind").asText().equals("closed_form")) {
                continue;
            }
            Gaussian g1 = new Gaussian(Golden.vector(c, "m1"), Golden.matrix(c, "S1"));
            Gaussian g2 = new Gaussian(Golden.vector(c, "m2"), Golden.matrix(c, "S2"));
            GaussianResult r = BuresWasserstein.between(g1, g2);
            String name = c.get("name").asText();
            double w2 = c.get("W2_squared").asDouble();
            assertEquals(w2, r.value(), 1e-9 * Math.max(1, w2), name);
            assertEquals(Status.OPTIMAL, r.status());
            assertEquals(Math.sqrt(r.value()), r.distance(), 1e-15);
            double[][] a = Golden.matrix(c, "A");
            double[] b = Golden.vector(c, "b");
            double scale = 0;
            for (double[] row : a) {
                for (double v : row) {
                    scale = Math.max(scale, Math.abs(v));
                }
            }
            for (int i = 0; i < b.length; i++) {
                // the ill-conditioned case (condition number 1e6) loses about 6 digits in S1^-1/2
                assertEquals(b[i], r.map().b()[i], 1e-6 * Math.max(1, Math.abs(b[i])), name + " b");
                for (int j = 0; j < b.length; j++) {
                    assertEquals(a[i][j], r.map().a()[i][j], 1e-6 * scale, name + " A");
                }
            }
            assertTrue(r.mapResidual() < 1e-6, name + ": A S1 A = S2 to " + r.mapResidual());
            // symmetric in its arguments
            assertEquals(r.value(), BuresWasserstein.between(g2, g1).value(), 1e-9 * Math.max(1, w2), name);
            checked++;
        }
        assertEquals(6, checked);
    }

    @Test
    void fittedGaussiansMatchPotsLinearMapping() {
        int checked = 0;
        for (JsonNode c : Golden.cases("gaussian.json")) {
            if (!c.get("kind").asText().equals("ot_mapping_linear") || !c.get("bias").asBoolean()) {
                continue; // without bias POT maps about the origin, which is not a Gaussian fit
            }
            String name = c.get("name").asText();
            double[][] xs = Golden.matrix(c, "xs");
            double[][] xt = Golden.matrix(c, "xt");
            GaussianResult r = BuresWasserstein.builder().ridge(c.get("reg").asDouble()).build()
                    .solve(TransportProblem.uniform(PointCloud.squaredEuclidean(xs, xt)));
            assertEquals(c.get("W2_squared_fitted").asDouble(), r.value(), 1e-10, name);
            double[][] cs = Golden.matrix(c, "Cs");
            double[] ms = Golden.vector(c, "mean_s");
            for (int i = 0; i < ms.length; i++) {
                assertEquals(ms[i], r.source().mean()[i], 1e-12, name);
                for (int j = 0; j < ms.length; j++) {
                    assertEquals(cs[i][j], r.source().covariance()[i][j], 1e-12, name);
                }
            }
            // POT maps row vectors, x A + b; A is symmetric, so the images agree
            double[][] mapped = Golden.matrix(c, "mapped_xs");
            double[][] ours = r.map().apply(xs);
            for (int p = 0; p < xs.length; p++) {
                for (int k = 0; k < ms.length; k++) {
                    assertEquals(mapped[p][k], ours[p][k], 1e-9, name + " point " + p);
                }
            }
            checked++;
        }
        assertEquals(3, checked);
    }

    @Test
    void inOneDimensionItIsTheDistanceOfMeansAndDeviations() {
        // W_2^2(N(m1, s1^2), N(m2, s2^2)) = (m1 - m2)^2 + (s1 - s2)^2, and T(x) = m2 + (s2 / s1)(x - m1)
        GaussianResult r = BuresWasserstein.between(new Gaussian(new double[] {1}, new double[][] {{4}}),
                new Gaussian(new double[] {-2}, new double[][] {{0.25}}));
        assertEquals(9 + 1.5 * 1.5, r.value(), 1e-12);
        assertEquals(-2 + 0.25 * (3 - 1), r.map().apply(new double[] {3})[0], 1e-12);
    }

    @Test
    void aSingularSourceKeepsTheDistanceAndFlagsTheMap() {
        // S1 = diag(1, 0): a segment; S2 = I. W_2^2 = tr S1 + tr S2 - 2 tr (S1^1/2 S2 S1^1/2)^1/2 = 1 + 2 - 2 = 1
        GaussianResult r = BuresWasserstein.between(new Gaussian(new double[2], new double[][] {{1, 0}, {0, 0}}),
                new Gaussian(new double[2], new double[][] {{1, 0}, {0, 1}}));
        assertEquals(1, r.value(), 1e-12);
        assertTrue(r.mapResidual() > 0.5, "no affine map pushes a segment onto a disc: " + r.mapResidual());
        GaussianResult same = BuresWasserstein.between(r.target(), r.target());
        assertEquals(0, same.value(), 1e-15);
    }

    @Test
    void onGaussianSamplesItBoundsTheExactCostFromBelowAndApproachesIt() {
        // Gelbrich: the W_2^2 of two distributions is at least that of the Gaussians with their means and covariances
        SplittableRandom rng = new SplittableRandom(5);
        int n = 300;
        double[][] x = new double[n][2];
        double[][] y = new double[n][2];
        for (int i = 0; i < n; i++) {
            double u = rng.nextGaussian();
            double v = rng.nextGaussian();
            x[i] = new double[] {u, 0.5 * v};
            y[i] = new double[] {2 + 0.3 * u + v, -1 + 2 * v};
        }
        TransportProblem p = TransportProblem.uniform(PointCloud.squaredEuclidean(x, y));
        double exact = NetworkSimplex.builder().build().solve(p).value();
        double gaussian = BuresWasserstein.builder().build().solve(p).value();
        assertTrue(gaussian <= exact + 1e-9, gaussian + " > " + exact);
        assertTrue(gaussian > 0.9 * exact, gaussian + " vs " + exact);
    }

    @Test
    void theEmpiricalEstimateConvergesAndMappedSamplesHaveTheTargetsMoments() {
        // N(m1, S1) and N(m2, S2) in 2-D, sampled through Cholesky factors L (S = L L^T)
        double[][] l1 = {{1, 0}, {0.6, 0.8}};
        double[][] l2 = {{2, 0}, {-0.5, 0.5}};
        Gaussian g1 = new Gaussian(new double[] {0, 1}, new double[][] {{1, 0.6}, {0.6, 1}});
        Gaussian g2 = new Gaussian(new double[] {3, -1}, new double[][] {{4, -1}, {-1, 0.5}});
        double exact = BuresWasserstein.between(g1, g2).value();
        SplittableRandom rng = new SplittableRandom(11);
        double previous = Double.POSITIVE_INFINITY;
        for (int n : new int[] {100, 10_000, 1_000_000}) {
            double[][] x = sample(g1.mean(), l1, n, rng);
            double[][] y = sample(g2.mean(), l2, n, rng);
            GaussianResult r = BuresWasserstein.builder().build()
                    .solve(TransportProblem.uniform(PointCloud.squaredEuclidean(x, y)));
            double error = Math.abs(r.value() - exact);
            if (n == 1_000_000) {
                assertTrue(error < 0.01 * exact, "n = " + n + ": " + r.value() + " vs " + exact);
                assertTrue(error < previous, "the error shrinks with n");
            }
            previous = Math.min(previous, error);
            // the fitted map pushes the fitted source moments onto the fitted target moments, to rounding
            Gaussian pushed = Gaussian.fit(r.map().apply(x), null, 0);
            for (int i = 0; i < 2; i++) {
                assertEquals(r.target().mean()[i], pushed.mean()[i], 1e-9, "mean, n = " + n);
                for (int j = 0; j < 2; j++) {
                    assertEquals(r.target().covariance()[i][j], pushed.covariance()[i][j], 1e-9, "covariance, n = " + n);
                }
            }
        }
    }

    private static double[][] sample(double[] mean, double[][] chol, int n, SplittableRandom rng) {
        double[][] out = new double[n][2];
        for (int p = 0; p < n; p++) {
            double u = rng.nextGaussian();
            double v = rng.nextGaussian();
            out[p][0] = mean[0] + chol[0][0] * u;
            out[p][1] = mean[1] + chol[1][0] * u + chol[1][1] * v;
        }
        return out;
    }

    @Test
    void badInputIsRefusedByName() {
        double[][] s = {{1, 0}, {0, 1}};
        assertThrows(IllegalArgumentException.class, () -> new Gaussian(new double[] {0}, s));
        assertThrows(IllegalArgumentException.class, () -> new Gaussian(new double[] {0, Double.NaN}, s));
        IllegalArgumentException asym = assertThrows(IllegalArgumentException.class,
                () -> new Gaussian(new double[2], new double[][] {{1, 0.5}, {0, 1}}));
        assertTrue(asym.getMessage().contains("symmetric"), asym.getMessage());
        IllegalArgumentException indef = assertThrows(IllegalArgumentException.class,
                () -> new Gaussian(new double[2], new double[][] {{1, 2}, {2, 1}}));
        assertTrue(indef.getMessage().contains("semi-definite"), indef.getMessage());
        assertThrows(IllegalArgumentException.class, () -> BuresWasserstein.between(new Gaussian(new double[2], s),
                new Gaussian(new double[1], new double[][] {{1}})));
        assertThrows(IllegalArgumentException.class, () -> BuresWasserstein.builder().ridge(-1));
        assertThrows(IllegalArgumentException.class, () -> Gaussian.fit(new double[][] {{0, 0}, {1, 1}},
                new double[] {0, 0}, 0));
        assertThrows(IllegalArgumentException.class, () -> Gaussian.fit(new double[][] {{0, 0}, {1}}, null, 0));
        IllegalArgumentException euclid = assertThrows(IllegalArgumentException.class, () -> BuresWasserstein.builder()
                .build().solve(TransportProblem.uniform(PointCloud.of(s, s, Cost.EUCLIDEAN))));
        assertTrue(euclid.getMessage().contains("squared Euclidean"), euclid.getMessage());
    }
}
