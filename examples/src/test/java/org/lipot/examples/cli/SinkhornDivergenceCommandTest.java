package org.lipot.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Random;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lipot.transport.TransportProblem;
import org.lipot.transport.entropic.DivergenceResult;
import org.lipot.transport.entropic.Sinkhorn;
import org.lipot.transport.entropic.SinkhornDivergence;
import org.lipot.transport.geometry.PointCloud;
import org.lipot.transport.io.Npy;

/** {@code lipot ot --method sinkhorn-divergence}: the bench contract's keys with value S_eps, and what it refuses. */
class SinkhornDivergenceCommandTest {

    @TempDir
    Path dir;

    @Test
    void jsonFollowsTheBenchContractWithTheDivergenceAsValue() {
        Random rng = new Random(12);
        double[][] x = new double[30][];
        double[][] y = new double[20][];
        for (int i = 0; i < x.length; i++) {
            x[i] = new double[] {rng.nextDouble(), rng.nextDouble()};
        }
        for (int j = 0; j < y.length; j++) {
            y[j] = new double[] {rng.nextDouble() + 0.3, rng.nextDouble()};
        }
        Path xs = dir.resolve("xs.npy");
        Path xt = dir.resolve("xt.npy");
        Npy.write(xs, x);
        Npy.write(xt, y);
        CliRun r = CliRun.of("ot", "--source", xs.toString(), "--target", xt.toString(), "--method",
                "sinkhorn-divergence", "--eps", "0.05", "--tol", "1e-10", "--max-iter", "1000000", "--json");
        assertEquals(0, r.status(), r.err());
        JsonNode j = r.json();
        for (String key : new String[] {"method", "n", "m", "value", "seconds_min", "seconds_median", "iterations",
                "marginal_error", "converged"}) {
            assertTrue(j.has(key), "missing key " + key);
        }
        assertEquals("sinkhorn-divergence", j.get("method").asText());
        assertTrue(j.get("converged").asBoolean());
        assertTrue(j.get("marginal_error").asDouble() <= 1e-10);
        DivergenceResult d = SinkhornDivergence.of(Sinkhorn.builder().epsilon(0.05).tolerance(1e-10).build())
                .solve(TransportProblem.uniform(PointCloud.squaredEuclidean(x, y)));
        assertEquals(d.value(), j.get("value").asDouble(), 1e-14, "value is S_eps");
        assertEquals(d.iterations(), j.get("iterations").asLong());
        assertEquals(d.crossTerm(), j.get("cross_term").asDouble(), 1e-14);

        CliRun plan = CliRun.of("ot", "--source", xs.toString(), "--target", xt.toString(), "--method",
                "sinkhorn-divergence", "--eps", "0.05", "--plan-out", dir.resolve("p.csv").toString());
        assertEquals(2, plan.status());
        assertTrue(plan.err().contains("--plan-out"), plan.err());
        CliRun noEps = CliRun.of("ot", "--source", xs.toString(), "--target", xt.toString(), "--method",
                "sinkhorn-divergence");
        assertEquals(2, noEps.status());
        assertTrue(noEps.err().contains("--eps"), noEps.err());
    }
}
