package org.lipot.lipschitz.param;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.lipot.lipschitz.testing.Golden;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Björck and power iteration against {@code bjorck.json} and {@code spectral_norms.json} (float64). */
class GoldenReparametrisationTest {

    @Test
    void bjorckAllCases() {
        int checked = 0;
        for (JsonNode c : Golden.read("bjorck.json").get("cases")) {
            INDArray scaled = Golden.array(c.get("w_scaled"));
            INDArray w = Golden.array(c.get("w"));
            double sigma = c.get("sigma_max").asDouble();
            double eps = c.get("eps_spectral").asDouble();
            assertTrue(Golden.relErr(w.div(sigma + eps), scaled) < 1e-15, c.get("name").asText());
            for (JsonNode r : c.get("results")) {
                String what = c.get("name").asText() + " iters " + r.get("iterations") + " eps "
                        + r.get("early_stop_eps");
                Bjorck b = Bjorck.builder().beta(c.get("beta").asDouble()).maxIterations(r.get("iterations").asInt())
                        .tolerance(r.get("early_stop_eps").asDouble()).build();
                Bjorck.Result res = b.orthonormalize(scaled);
                assertEquals(r.get("iterations_run").asInt(), res.iterationsRun(), what);
                double err = Golden.relErr(res.w(), Golden.array(r.get("w_bjorck")));
                assertTrue(err < 1e-12, what + ": w relative error " + err);
                double[] got = res.deltas();
                if (r.has("deltas_fro")) {
                    double[] deltas = Golden.vector(r.get("deltas_fro"));
                    assertEquals(deltas.length, got.length, what);
                    for (int i = 0; i < deltas.length; i++) {
                        // late deltas are ~1e-16 absolute: compare relative to the first (largest) one
                        assertEquals(deltas[i], got[i], 1e-12 * deltas[0], what + " delta " + i);
                    }
                } else {
                    double last = r.get("last_delta_fro").asDouble();
                    assertEquals(last, got[got.length - 1], 1e-12 * Math.max(last, got[0]) + 1e-15, what);
                }
                checked++;
            }
        }
        assertEquals(15, checked);
    }

    @Test
    void powerIterationAllCases() {
        int checked = 0;
        for (JsonNode m : Golden.read("spectral_norms.json").get("matrices")) {
            INDArray w = Golden.array(m.get("w"));
            for (JsonNode p : m.get("power_iteration")) {
                String what = m.get("name").asText() + " iters " + p.get("iterations") + " eps "
                        + p.get("early_stop_eps");
                PowerIteration pi = PowerIteration.builder().iterations(p.get("iterations").asInt())
                        .tolerance(p.get("early_stop_eps").asDouble()).build();
                INDArray u = Golden.array(m.get("u0"));
                PowerIteration.Result r = pi.run(w, u);
                assertEquals(p.get("iterations_run").asInt(), r.iterationsRun(), what);
                assertArrayEquals(Golden.vector(p.get("u")), u.toDoubleVector(), 1e-12, what);
                double s = p.get("sigma").asDouble();
                assertEquals(s, r.sigma(), 1e-12 * s, what);
                checked++;
            }
        }
        assertTrue(checked >= 16, "checked " + checked);
    }
}
