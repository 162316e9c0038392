package org.lipot.transport.barycenter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.lipot.transport.Status;
import org.lipot.transport.geometry.CostMatrix;
import org.lipot.transport.geometry.Geometry;
import org.lipot.transport.testing.Golden;

/** Fixed-support barycenters against POT's sinkhorn_log barycenters, closed-form 1-D cases and bad inputs. */
class BregmanBarycenterTest {

    @Test
    void matchesPotInBothModes() {
        int checked = 0;
        for (JsonNode c : Golden.cases("barycenter.json")) {
            CostMatrix m = CostMatrix.of(Golden.matrix(c, "M"));
            double[][] h = Golden.matrix(c, "histograms");
            double[] w = c.get("weights").isNull() ? null : Golden.vector(c, "weights");
            for (JsonNode r : c.get("results")) {
                double eps = r.get("reg").asDouble();
                double[] expected = Golden.vector(r, "barycenter");
                for (boolean log : new boolean[] {false, true}) {
                    String name = c.get("name").asText() + " eps " + eps + (log ? " log" : " kernel");
                    BarycenterResult q = BregmanBarycenter.builder().epsilon(eps).tolerance(1e-14).logDomain(log)
                            .build().solve(m, h, w);
                    assertEquals(Status.CONVERGED, q.status(), name);
                    assertTrue(q.marginalError() <= 1e-14, name);
                    for (int i = 0; i < expected.length; i++) {
                        assertEquals(expected[i], q.barycenter()[i], 1e-12, name + " entry " + i);
                    }
                    checked++;
                }
            }
        }
        assertEquals(12, checked);
    }

    @Test
    void translatedBumpsMeetHalfway() {
        double[] x = grid(201);
        double[][] h = {bump(x, 0.25, 0.04), bump(x, 0.65, 0.04)};
        Geometry geometry = squared(x);
        for (boolean debiased : new boolean[] {false, true}) {
            BarycenterResult q = BregmanBarycenter.builder().epsilon(1e-4).debiased(debiased).build()
                    .solve(geometry, h, null);
            assertEquals(Status.CONVERGED, q.status());
            assertEquals(0.45, mean(x, q.barycenter()), 1e-6, "debiased " + debiased);
            double spread = Math.sqrt(variance(x, q.barycenter()));
            if (debiased) {
                // the debiased barycenter is the bump itself, translated halfway
                double[] halfway = bump(x, 0.45, 0.04);
                assertTrue(l1(halfway, q.barycenter()) < 1e-3, "l1 " + l1(halfway, q.barycenter()));
            } else {
                // entropy blurs: wider than the inputs, by about eps / (2 sd) at first order
                assertTrue(spread > 0.0405 && spread < 0.045, "sd " + spread);
            }
            // the value: each input moves 0.2, so sum_k w_k W_2^2 is 0.04, plus the entropic spread
            assertEquals(0.04, q.value(), 2e-3);
        }
    }

    @Test
    void debiasedBarycenterOfIdenticalInputsIsTheInput() {
        double[] x = grid(101);
        double[] h = mixture(x);
        // the debiased iteration converges sublinearly here (as POT's does): 1e-8 on the marginals takes ~1000 sweeps
        BarycenterResult q = BregmanBarycenter.builder().epsilon(1e-3).debiased(true).tolerance(1e-8).build()
                .solve(squared(x), new double[][] {h, h, h}, new double[] {0.5, 0.3, 0.2});
        assertEquals(Status.CONVERGED, q.status());
        assertTrue(l1(h, q.barycenter()) < 2e-5, "l1 " + l1(h, q.barycenter()));
        BarycenterResult blurred = BregmanBarycenter.builder().epsilon(1e-3).build()
                .solve(squared(x), new double[][] {h, h, h}, null);
        assertTrue(l1(h, blurred.barycenter()) > 1e-2, "the plain barycenter is blurred");
    }

    @Test
    void smallEpsilonFallsBackToTheLogDomainWithoutNaN() {
        double[] x = grid(101);
        double[][] h = {bump(x, 0.2, 0.05), mixture(x)};
        BarycenterResult q = BregmanBarycenter.builder().epsilon(2e-4).build()
                .solve(squared(x), h, new double[] {0.3, 0.7});
        assertTrue(q.logDomain());
        assertEquals(Status.CONVERGED, q.status());
        double total = 0;
        for (double v : q.barycenter()) {
            assertTrue(Double.isFinite(v) && v >= 0);
            total += v;
        }
        assertEquals(1, total, 1e-8);
        BarycenterResult big = BregmanBarycenter.builder().epsilon(0.05).build().solve(squared(x), h, null);
        assertFalse(big.logDomain());
    }

    @Test
    void underflowingKernelEntriesThatCarryMassSendTheSolveToTheLogDomain() {
        // the plan moves mass over a cost of 0.25 = 1250 eps: exp(-C / eps) underflows to 0 on exactly the pairs that
        // carry the mass, so kernel products would solve another problem; the guard sees it and takes the log domain
        double[] x = grid(11);
        double[][] h = new double[2][11];
        h[0][0] = 0.9;
        h[0][1] = 0.1;
        h[1][10] = 0.8;
        h[1][9] = 0.2;
        BarycenterResult auto = BregmanBarycenter.builder().epsilon(2e-4).tolerance(1e-12).build()
                .solve(squared(x), h, null);
        BarycenterResult log = BregmanBarycenter.builder().epsilon(2e-4).tolerance(1e-12).logDomain(true).build()
                .solve(squared(x), h, null);
        assertTrue(auto.logDomain());
        assertEquals(Status.CONVERGED, auto.status());
        for (int i = 0; i < x.length; i++) {
            assertEquals(log.barycenter()[i], auto.barycenter()[i], 1e-12);
        }
        assertEquals(0.5, mean(x, auto.barycenter()), 0.05);
    }

    @Test
    void progressSeesTheStoppingRuleEveryTenSweepsAndAtTheEnd() {
        double[] x = grid(51);
        java.util.List<org.lipot.transport.entropic.SinkhornProgress.Check> checks = new java.util.ArrayList<>();
        BarycenterResult q = BregmanBarycenter.builder().epsilon(2e-3).tolerance(1e-10).progress(checks::add).build()
                .solve(squared(x), new double[][] {bump(x, 0.3, 0.05), bump(x, 0.6, 0.08)}, null);
        assertEquals(Status.CONVERGED, q.status());
        assertEquals(q.iterations() / 10 + (q.iterations() % 10 == 0 ? 0 : 1), checks.size());
        org.lipot.transport.entropic.SinkhornProgress.Check last = checks.get(checks.size() - 1);
        assertEquals(q.iterations(), last.sweeps());
        assertEquals(q.marginalError(), last.violation());
        assertTrue(last.violation() <= last.threshold());
        assertEquals(2e-3, last.epsilon());
    }

    @Test
    void exhaustedIterationsAreReported() {
        double[] x = grid(51);
        BarycenterResult q = BregmanBarycenter.builder().epsilon(1e-4).maxIterations(3).build()
                .solve(squared(x), new double[][] {bump(x, 0.2, 0.05), bump(x, 0.8, 0.05)}, null);
        assertEquals(Status.MAX_ITERATIONS, q.status());
        assertEquals(3, q.iterations());
        assertTrue(q.marginalError() > 1e-9);
    }

    @Test
    void badInputsNameTheArgument() {
        double[] x = grid(5);
        Geometry g = squared(x);
        BregmanBarycenter solver = BregmanBarycenter.builder().epsilon(0.1).build();
        double[] h = {0.2, 0.2, 0.2, 0.2, 0.2};
        assertMessage("histograms", () -> solver.solve(g, new double[0][], null));
        assertMessage("histograms[1]", () -> solver.solve(g, new double[][] {h, {0.5, 0.5}}, null));
        assertMessage("histograms[0][2]", () -> solver.solve(g, new double[][] {{0.2, 0.2, -0.2, 0.4, 0.4}}, null));
        assertMessage("sum to 1", () -> solver.solve(g, new double[][] {{1, 1, 1, 1, 1}}, null));
        assertMessage("weights", () -> solver.solve(g, new double[][] {h, h}, new double[] {0.5}));
        assertMessage("weights", () -> solver.solve(g, new double[][] {h, h}, new double[] {0.5, 0.6}));
        assertMessage("geometry", () -> solver.solve(null, new double[][] {h}, null));
        CostMatrix rectangular = CostMatrix.of(new double[][] {{0, 1, 4, 9, 16}, {1, 0, 1, 4, 9}});
        assertMessage("debiased", () -> BregmanBarycenter.builder().epsilon(0.1).debiased(true).build()
                .solve(rectangular, new double[][] {h}, null));
        assertMessage("epsilon", () -> BregmanBarycenter.builder().build());
        assertMessage("epsilon", () -> BregmanBarycenter.builder().epsilon(Double.NaN));
        assertMessage("tolerance", () -> BregmanBarycenter.builder().tolerance(0));
    }

    static void assertMessage(String part, Runnable r) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, r::run);
        assertTrue(e.getMessage().contains(part), e.getMessage());
    }

    static double[] grid(int n) {
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = (double) i / (n - 1);
        }
        return x;
    }

    static Geometry squared(double[] x) {
        double[][] c = new double[x.length][x.length];
        for (int i = 0; i < x.length; i++) {
            for (int j = 0; j < x.length; j++) {
                c[i][j] = (x[i] - x[j]) * (x[i] - x[j]);
            }
        }
        return CostMatrix.of(c);
    }

    /** A discretised normal density, normalised to mass 1. */
    static double[] bump(double[] x, double mean, double sd) {
        double[] h = new double[x.length];
        double total = 0;
        for (int i = 0; i < x.length; i++) {
            h[i] = Math.exp(-0.5 * (x[i] - mean) * (x[i] - mean) / (sd * sd));
            total += h[i];
        }
        for (int i = 0; i < x.length; i++) {
            h[i] /= total;
        }
        return h;
    }

    static double[] mixture(double[] x) {
        double[] a = bump(x, 0.3, 0.06);
        double[] b = bump(x, 0.7, 0.1);
        double[] h = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            h[i] = 0.4 * a[i] + 0.6 * b[i];
        }
        return h;
    }

    static double mean(double[] x, double[] p) {
        double s = 0;
        double t = 0;
        for (int i = 0; i < x.length; i++) {
            s += x[i] * p[i];
            t += p[i];
        }
        return s / t;
    }

    static double variance(double[] x, double[] p) {
        double mu = mean(x, p);
        double s = 0;
        double t = 0;
        for (int i = 0; i < x.length; i++) {
            s += (x[i] - mu) * (x[i] - mu) * p[i];
            t += p[i];
        }
        return s / t;
    }

    static double l1(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += Math.abs(a[i] - b[i]);
        }
        return s;
    }
}
