package org.lipot.transport.barycenter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.lipot.transport.barycenter.BregmanBarycenterTest.assertMessage;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.lipot.transport.Status;
import org.lipot.transport.geometry.CostMatrix;
import org.lipot.transport.testing.Golden;

/** Convolutional barycenters against POT's convolutional_barycenter2d and against the dense solver on the same grid. */
class ConvolutionalBarycenterTest {

    @Test
    void matchesPotPlainAndDebiased() {
        int checked = 0;
        for (JsonNode c : Golden.cases("convolutional_barycenter.json")) {
            int h = c.get("height").asInt();
            int w = c.get("width").asInt();
            double[][] images = Golden.matrix(c, "images");
            double[] weights = c.get("weights").isNull() ? null : Golden.vector(c, "weights");
            for (JsonNode r : c.get("results")) {
                double eps = r.get("reg").asDouble();
                for (boolean log : new boolean[] {false, true}) {
                    String name = c.get("name").asText() + " eps " + eps + (log ? " log" : " kernel");
                    BarycenterResult q = ConvolutionalBarycenter.builder().epsilon(eps).tolerance(1e-13)
                            .logDomain(log).build().solve(h, w, images, weights);
                    assertEquals(Status.CONVERGED, q.status(), name);
                    assertClose(Golden.vector(r, "barycenter"), q.barycenter(), 1e-11, name);
                }
                BarycenterResult d = ConvolutionalBarycenter.builder().epsilon(eps).tolerance(1e-11).debiased(true)
                        .build().solve(h, w, images, weights);
                assertEquals(Status.CONVERGED, d.status());
                assertClose(Golden.vector(r, "debiased"), d.barycenter(), 1e-8, c.get("name").asText() + " debiased");
                checked++;
            }
        }
        assertEquals(6, checked);
    }

    @Test
    void equalsTheDenseSolverOnTheSamePixels() {
        int h = 5;
        int w = 7;
        SplittableRandom rng = new SplittableRandom(3);
        double[][] images = {random(h * w, rng), random(h * w, rng), random(h * w, rng)};
        double[] weights = {0.2, 0.5, 0.3};
        double[][] cost = new double[h * w][h * w];
        double s = 1.0 / (Math.max(h, w) - 1);
        for (int p = 0; p < h * w; p++) {
            for (int q = 0; q < h * w; q++) {
                double dr = (p / w - q / w) * s;
                double dc = (p % w - q % w) * s;
                cost[p][q] = dr * dr + dc * dc;
            }
        }
        for (boolean debiased : new boolean[] {false, true}) {
            BarycenterResult conv = ConvolutionalBarycenter.builder().epsilon(0.03).debiased(debiased).tolerance(1e-13)
                    .build().solve(h, w, images, weights);
            BarycenterResult dense = BregmanBarycenter.builder().epsilon(0.03).debiased(debiased).tolerance(1e-13)
                    .build().solve(CostMatrix.of(cost), images, weights);
            assertClose(dense.barycenter(), conv.barycenter(), 1e-12, "debiased " + debiased);
            assertEquals(dense.value(), conv.value(), 1e-12);
            assertTrue(conv.value() > 0);
        }
    }

    @Test
    void badInputsNameTheArgument() {
        ConvolutionalBarycenter solver = ConvolutionalBarycenter.builder().epsilon(0.01).build();
        double[] one = {1};
        assertMessage("height and width", () -> solver.solve(1, 1, new double[][] {one}, null));
        assertMessage("height and width", () -> solver.solve(0, 4, new double[][] {one}, null));
        assertMessage("histograms[0] must have 6", () -> solver.solve(2, 3, new double[][] {{0.5, 0.5}}, null));
        assertMessage("epsilon", () -> ConvolutionalBarycenter.builder().epsilon(-1));
        assertMessage("maxIterations", () -> ConvolutionalBarycenter.builder().maxIterations(0));
    }

    private static double[] random(int n, SplittableRandom rng) {
        double[] v = new double[n];
        double t = 0;
        for (int i = 0; i < n; i++) {
            v[i] = rng.nextDouble() + (i % 4 == 0 ? 0 : 1e-3);
            t += v[i];
        }
        for (int i = 0; i < n; i++) {
            v[i] /= t;
        }
        return v;
    }

    private static void assertClose(double[] expected, double[] actual, double tol, String name) {
        assertEquals(expected.length, actual.length, name);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], tol, name + " entry " + i);
        }
    }
}
