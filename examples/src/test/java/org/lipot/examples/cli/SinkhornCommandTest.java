package org.lipot.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Random;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lipot.transport.TransportProblem;
import org.lipot.transport.entropic.EntropicSolution;
import org.lipot.transport.entropic.Sinkhorn;
import org.lipot.transport.geometry.PointCloud;
import org.lipot.transport.io.Npy;

/** {@code lipot ot --method sinkhorn}: the bench contract, the modes, and the options it refuses. */
class SinkhornCommandTest {

    @TempDir
    Path dir;

    private double[][] x;
    private double[][] y;
    private Path xs;
    private Path xt;

    @BeforeEach
    void writeInputs() {
        Random rng = new Random(11);
        x = cloud(rng, 50, 0);
        y = cloud(rng, 40, 0.5);
        xs = dir.resolve("xs.npy");
        xt = dir.resolve("xt.npy");
        Npy.write(xs, x);
        Npy.write(xt, y);
    }

    /** {@code n} points uniform in {@code [shift, shift + 1]^2}. */
    private static double[][] cloud(Random rng, int n, double shift) {
        double[][] p = new double[n][];
        for (int i = 0; i < n; i++) {
            p[i] = new double[] {rng.nextDouble() + shift, rng.nextDouble() + shift};
        }
        return p;
    }

    private CliRun run(String... extra) {
        String[] base = {"ot", "--source", xs.toString(), "--target", xt.toString(), "--method", "sinkhorn"};
        String[] args = java.util.Arrays.copyOf(base, base.length + extra.length);
        System.arraycopy(extra, 0, args, base.length, extra.length);
        return CliRun.of(args);
    }

    @Test
    void jsonFollowsTheBenchContract() {
        CliRun r = run("--eps", "0.05", "--tol", "1e-6", "--max-iter", "1000000", "--repeat", "2", "--json");
        assertEquals(0, r.status(), r.err());
        JsonNode j = r.json();
        for (String key : new String[] {"method", "n", "m", "value", "seconds_min", "seconds_median", "iterations",
                "marginal_error", "converged"}) {
            assertTrue(j.has(key), "missing key " + key);
        }
        assertEquals("sinkhorn", j.get("method").asText());
        assertEquals(50, j.get("n").asInt());
        assertEquals(40, j.get("m").asInt());
        assertTrue(j.get("converged").asBoolean());
        assertTrue(j.get("marginal_error").asDouble() <= 1e-6, "the column-marginal L1 is below tol");
        EntropicSolution s = Sinkhorn.builder().epsilon(0.05).tolerance(1e-6).build()
                .solve(TransportProblem.uniform(PointCloud.squaredEuclidean(x, y)));
        assertEquals(s.value(), j.get("value").asDouble(), 1e-14, "value is <P, C>");
        assertEquals(s.iterations(), j.get("iterations").asLong());
        assertEquals(s.entropicObjective(), j.get("entropic_objective").asDouble(), 1e-14);
        assertEquals(s.relaxation(), j.get("relaxation").asDouble(), 0);
    }

    @Test
    void everyModeGivesTheSameValue() {
        double reference = run("--eps", "0.02", "--tol", "1e-10", "--json").json().get("value").asDouble();
        for (String mode : new String[] {"kernel", "log", "online"}) {
            CliRun r = run("--eps", "0.02", "--tol", "1e-10", "--mode", mode, "--json");
            assertEquals(0, r.status(), r.err());
            assertEquals(reference, r.json().get("value").asDouble(), 1e-12, mode);
        }
        // multiscale starts from a coarsened problem and truncates: the same fixed point, another path to it
        CliRun r = run("--eps", "0.02", "--tol", "1e-10", "--mode", "multiscale", "--json");
        assertEquals(0, r.status(), r.err());
        assertEquals(reference, r.json().get("value").asDouble(), 1e-8 * reference);
    }

    @Test
    void sweepCapIsStatusOne() {
        CliRun r = run("--eps", "0.001", "--tol", "1e-12", "--max-iter", "3", "--json");
        assertEquals(1, r.status(), r.err());
        assertFalse(r.json().get("converged").asBoolean());
        assertEquals("MAX_ITERATIONS", r.json().get("status").asText());
        assertEquals(3, r.json().get("iterations").asInt());
    }

    @Test
    void humanOutputSaysSweepsAndEpsilon() {
        CliRun r = run("--eps", "0.1");
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().contains("CONVERGED after") && r.out().contains("sweeps"), r.out());
        assertTrue(r.out().contains("eps 0.1"), r.out());
    }

    @Test
    void badOptionsAreRefusedBeforeAnyWork() {
        String[][] cases = {
                {"--json"},
                {"--eps", "0"},
                {"--eps", "-1"},
                {"--eps", "NaN"},
                {"--eps", "Infinity"},
                {"--eps", "0.1", "--tol", "0"},
                {"--eps", "0.1", "--tol", "NaN"},
                {"--eps", "0.1", "--max-iter", "0"},
                {"--eps", "0.1", "--mode", "fast"},
                {"--eps", "0.1", "--mode", "multiscale", "--cost", "euclidean"},
                {"--eps", "0.1", "--check-period", "0"},
                {"--eps", "0.1", "--check-period", "-3"},
                {"--eps", "0.1", "--check-period", "ten"},
                {"--eps", "0.1", "--precision", "float16"},
                {"--eps", "0.1", "--precision", "float32", "--mode", "log"},
                {"--eps", "0.1", "--precision", "float32", "--mode", "online"},
                {"--eps", "0.1", "--precision", "float32", "--mode", "multiscale"},
        };
        for (String[] extra : cases) {
            CliRun r = run(extra);
            assertEquals(2, r.status(), String.join(" ", extra) + "\n" + r.err());
            String err = r.err().strip();
            assertTrue(err.startsWith("lipot: error:") && !err.contains("\n"), err);
            assertTrue(err.contains("--eps") || err.contains("--tol") || err.contains("--max-iter")
                    || err.contains("--mode") || err.contains("--check-period") || err.contains("--precision"),
                    "names the option: " + err);
            assertTrue(r.out().isEmpty(), r.out());
        }
        for (String method : new String[] {"exact", "1d"}) {
            for (String[] opt : new String[][] {{"--eps", "0.1"}, {"--tol", "1e-6"}, {"--mode", "log"},
                    {"--check-period", "5"}, {"--precision", "float32"}}) {
                CliRun r = CliRun.of("ot", "--source", xs.toString(), "--target", xt.toString(), "--method", method,
                        opt[0], opt[1]);
                assertEquals(2, r.status(), method + " " + opt[0] + "\n" + r.err());
                assertTrue(r.err().contains(opt[0]) && r.err().contains("sinkhorn"), r.err());
            }
        }
    }

    @Test
    void checkPeriodIsTheLibrarys() {
        TransportProblem p = TransportProblem.uniform(PointCloud.squaredEuclidean(x, y));
        for (int k : new int[] {1, 7, 10}) {
            CliRun r = run("--eps", "0.02", "--tol", "1e-9", "--check-period", String.valueOf(k), "--json");
            assertEquals(0, r.status(), r.err());
            EntropicSolution s = Sinkhorn.builder().epsilon(0.02).tolerance(1e-9).checkPeriod(k).build().solve(p);
            assertEquals(s.iterations(), r.json().get("iterations").asLong(), "k = " + k);
            assertEquals(0, s.iterations() % k);
            assertEquals(s.value(), r.json().get("value").asDouble(), 1e-14);
        }
    }

    @Test
    void float32IsTheLibrarysAndAgreesWithFloat64() {
        TransportProblem p = TransportProblem.uniform(PointCloud.squaredEuclidean(x, y));
        for (String mode : new String[] {"auto", "kernel"}) {
            CliRun f32 = run("--eps", "0.01", "--tol", "1e-9", "--precision", "float32", "--mode", mode, "--json");
            CliRun f64 = run("--eps", "0.01", "--tol", "1e-9", "--precision", "float64", "--mode", mode, "--json");
            assertEquals(0, f32.status(), f32.err());
            double v32 = f32.json().get("value").asDouble();
            double v64 = f64.json().get("value").asDouble();
            assertEquals(v64, v32, 1e-9 * v64, mode);
            assertTrue(v32 != v64, "float32 was used: " + v32);
            EntropicSolution s = Sinkhorn.builder().epsilon(0.01).tolerance(1e-9)
                    .precision(Sinkhorn.Precision.FLOAT32).build().solve(p);
            assertEquals(s.value(), v32, 0, mode);
        }
    }

    @Test
    void aLongSolveShowsAProgressBarOnStderr() {
        // --progress-delay 0 makes every solve "long"
        CliRun r = run("--eps", "0.005", "--tol", "1e-9", "--progress-delay", "0");
        assertEquals(0, r.status(), r.err());
        assertTrue(r.err().contains("sinkhorn warm-up") && r.err().contains("sinkhorn run 1/1"), r.err());
        assertTrue(r.err().contains("violation") && r.err().contains("-> 1e-09"), r.err());
        assertTrue(r.err().contains("100%"), "the bar ends full on convergence: " + r.err());
        assertTrue(r.out().contains("CONVERGED after"), r.out());
        assertFalse(r.out().contains("violation"), "stdout has no bar: " + r.out());
    }

    @Test
    void aShortSolveShowsNone() {
        CliRun r = run("--eps", "0.1");
        assertEquals(0, r.status(), r.err());
        assertEquals("", r.err());
    }

    @Test
    void jsonStaysOneCleanLineWithoutABar() {
        for (String method : new String[] {"sinkhorn", "sinkhorn-divergence"}) {
            CliRun r = CliRun.of("ot", "--source", xs.toString(), "--target", xt.toString(), "--method", method,
                    "--eps", "0.005", "--tol", "1e-9", "--progress-delay", "0", "--json");
            assertEquals(0, r.status(), r.err());
            assertEquals("", r.err(), method);
            String out = r.out();
            assertTrue(out.endsWith("\n") && out.indexOf('\n') == out.length() - 1, "one line: " + out);
            assertFalse(out.contains("\r"), out);
            assertEquals(method, r.json().get("method").asText());
        }
    }
}
