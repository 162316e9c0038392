package org.lipot.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

import javax.imageio.ImageIO;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lipot.transport.Wasserstein;
import org.lipot.transport.geometry.Cost;
import org.lipot.transport.io.Csv;
import org.lipot.transport.io.Npy;

class OtCommandTest {

    @TempDir
    Path dir;

    private double[][] x;
    private double[][] y;
    private Path xs;
    private Path xt;

    @BeforeEach
    void writeInputs() {
        Random rng = new Random(7);
        x = new double[60][];
        y = new double[45][];
        for (int i = 0; i < x.length; i++) {
            x[i] = new double[] {rng.nextDouble(), rng.nextDouble()};
        }
        for (int j = 0; j < y.length; j++) {
            y[j] = new double[] {rng.nextDouble() + 0.5, rng.nextDouble() + 0.5};
        }
        xs = dir.resolve("xs.npy");
        xt = dir.resolve("xt.csv");
        Npy.write(xs, x);
        Csv.write(xt, y);
    }

    @Test
    void exactJsonFollowsTheBenchContract() {
        CliRun run = CliRun.of("ot", "--source", xs.toString(), "--target", xt.toString(), "--method", "exact",
                "--cost", "sqeuclidean", "--repeat", "3", "--json");
        assertEquals(0, run.status(), run.err());
        JsonNode j = run.json();
        for (String key : new String[] {"method", "n", "m", "value", "seconds_min", "seconds_median", "iterations",
                "marginal_error", "converged"}) {
            assertTrue(j.has(key), "missing key " + key);
        }
        assertEquals("exact", j.get("method").asText());
        assertEquals(60, j.get("n").asInt());
        assertEquals(45, j.get("m").asInt());
        assertEquals(Wasserstein.exact(x, y).value(), j.get("value").asDouble(), 0.0);
        assertTrue(j.get("converged").asBoolean());
        assertTrue(j.get("seconds_min").asDouble() <= j.get("seconds_median").asDouble());
        assertTrue(j.get("marginal_error").asDouble() <= 1e-12);
        assertTrue(j.get("duals_feasible").asBoolean());
        assertTrue(j.get("dual_violation").asDouble() <= 1e-13 * 2.5, "max cost is below 2.5 here");
        assertEquals(0.0, j.get("duality_gap").asDouble(), 1e-14);
    }

    @Test
    void gaussianIsTheBuresWassersteinOfTheFittedGaussians() {
        CliRun run = CliRun.of("ot", "--source", xs.toString(), "--target", xt.toString(), "--method", "gaussian",
                "--ridge", "1e-6", "--json");
        assertEquals(0, run.status(), run.err());
        JsonNode j = run.json();
        org.lipot.transport.gaussian.GaussianResult r = org.lipot.transport.gaussian.BuresWasserstein.between(
                org.lipot.transport.gaussian.Gaussian.fit(x, null, 1e-6),
                org.lipot.transport.gaussian.Gaussian.fit(y, null, 1e-6));
        // the command weighs by the uniform marginals 1/n, whose sum rounds: equal to the last digits
        assertEquals(r.value(), j.get("value").asDouble(), 1e-14);
        assertEquals("OPTIMAL", j.get("status").asText());
        assertEquals(0, j.get("iterations").asInt());
        assertEquals(0.0, j.get("marginal_error").asDouble());
        // Gelbrich: never above the exact W_2^2 of the clouds
        assertTrue(r.value() <= Wasserstein.exact(x, y).value() + 1e-6);
        for (String[] bad : new String[][] {{"--cost", "euclidean"}, {"--plot", dir.resolve("p.png").toString()},
            {"--max-iter", "5"}}) {
            CliRun refused = CliRun.of("ot", "--source", xs.toString(), "--target", xt.toString(), "--method",
                    "gaussian", bad[0], bad[1]);
            assertEquals(2, refused.status(), refused.err());
            assertTrue(refused.err().contains("--method gaussian"), refused.err());
        }
        CliRun ridge = CliRun.of("ot", "--source", xs.toString(), "--target", xt.toString(), "--ridge", "0.1");
        assertEquals(2, ridge.status());
        assertTrue(ridge.err().contains("--ridge applies to --method gaussian only"), ridge.err());
    }

    @Test
    void slicedFollowsTheBenchContract() {
        CliRun run = CliRun.of("ot", "--source", xs.toString(), "--target", xt.toString(), "--method", "sliced",
                "--projections", "30", "--seed", "4", "--repeat", "2", "--json");
        assertEquals(0, run.status(), run.err());
        JsonNode j = run.json();
        org.lipot.transport.sliced.SlicedResult r = org.lipot.transport.sliced.SlicedWasserstein.builder()
                .projections(30).seed(4).build().solve(org.lipot.transport.TransportProblem.uniform(
                        org.lipot.transport.geometry.PointCloud.squaredEuclidean(x, y)));
        assertEquals(r.value(), j.get("value").asDouble(), 0.0);
        assertEquals(30, j.get("iterations").asInt());
        assertEquals(r.standardError(), j.get("standard_error").asDouble(), 0.0);
        assertTrue(j.get("converged").asBoolean());
        // sliced never exceeds the exact W_2^2 (each 1-D projection is a contraction)
        assertTrue(r.value() <= Wasserstein.exact(x, y).value());
        CliRun max = CliRun.of("ot", "--source", xs.toString(), "--target", xt.toString(), "--method", "max-sliced",
                "--projections", "30", "--seed", "4", "--json");
        assertEquals(0, max.status(), max.err());
        double best = 0;
        for (double v : r.perDirection()) {
            best = Math.max(best, v);
        }
        assertTrue(max.json().get("value").asDouble() >= best, max.out());
        assertEquals(2, max.json().get("direction").size());
        CliRun qmc = CliRun.of("ot", "--source", xs.toString(), "--target", xt.toString(), "--method", "sliced",
                "--projections", "30", "--qmc", "--json");
        assertEquals(0, qmc.status(), qmc.err());
        assertEquals(org.lipot.transport.sliced.SlicedWasserstein.builder().projections(30).quasiMonteCarlo(true)
                .build().solve(org.lipot.transport.TransportProblem.uniform(org.lipot.transport.geometry.PointCloud
                        .squaredEuclidean(x, y))).value(), qmc.json().get("value").asDouble(), 0.0);
        CliRun lp = CliRun.of("ot", "--source", xs.toString(), "--target", xt.toString(), "--method", "sliced",
                "--cost", "lp:3");
        assertEquals(2, lp.status());
        assertTrue(lp.err().contains("--method sliced needs --cost sqeuclidean or euclidean"), lp.err());
        CliRun stray = CliRun.of("ot", "--source", xs.toString(), "--target", xt.toString(), "--projections", "5");
        assertEquals(2, stray.status());
        assertTrue(stray.err().contains("--projections applies to --method sliced and max-sliced only"), stray.err());
    }

    @Test
    void unbalancedKeepsUnequalMassesAndReportsTheLinearCost() {
        Path wa = dir.resolve("wa.npy");
        Path wb = dir.resolve("wb.npy");
        double[] a = new double[x.length];
        double[] b = new double[y.length];
        java.util.Arrays.fill(a, 0.7 / x.length);
        java.util.Arrays.fill(b, 1.3 / y.length);
        Npy.write(wa, column(a));
        Npy.write(wb, column(b));
        CliRun run = CliRun.of("ot", "--source", xs.toString(), "--target", xt.toString(), "--source-weights",
                wa.toString(), "--target-weights", wb.toString(), "--method", "unbalanced", "--eps", "0.05", "--tau",
                "0.5", "--json");
        assertEquals(0, run.status(), run.err());
        org.lipot.transport.entropic.UnbalancedResult r = org.lipot.transport.entropic.UnbalancedSinkhorn.builder()
                .epsilon(0.05).tau(0.5).build().solve(org.lipot.transport.geometry.PointCloud.squaredEuclidean(x, y),
                        org.lipot.transport.Marginals.of(a), org.lipot.transport.Marginals.of(b));
        assertEquals(r.value(), run.json().get("value").asDouble(), 0.0);
        assertEquals(r.objective(), run.json().get("objective").asDouble(), 0.0);
        double mass = run.json().get("plan_mass").asDouble();
        assertTrue(mass > 0.7 && mass < 1.3, "between the two masses: " + mass);
        CliRun noTau = CliRun.of("ot", "--source", xs.toString(), "--target", xt.toString(), "--method", "unbalanced",
                "--eps", "0.05");
        assertEquals(2, noTau.status());
        assertTrue(noTau.err().contains("needs --tau"), noTau.err());
        CliRun stray = CliRun.of("ot", "--source", xs.toString(), "--target", xt.toString(), "--tau", "1");
        assertEquals(2, stray.status());
        assertTrue(stray.err().contains("apply to --method unbalanced only"), stray.err());
        CliRun product = CliRun.of("ot", "--source", xs.toString(), "--target", xt.toString(), "--source-weights",
                wa.toString(), "--target-weights", wb.toString(), "--method", "unbalanced", "--eps", "0.05", "--tau",
                "0.5", "--product-reference", "--json");
        assertEquals(0, product.status(), product.err());
        double expected = org.lipot.transport.entropic.UnbalancedSinkhorn.builder().epsilon(0.05).tau(0.5)
                .productReference(true).build().solve(org.lipot.transport.geometry.PointCloud.squaredEuclidean(x, y),
                        org.lipot.transport.Marginals.of(a), org.lipot.transport.Marginals.of(b)).value();
        assertEquals(expected, product.json().get("value").asDouble(), 0.0);
        assertTrue(Math.abs(expected - r.value()) > 1e-9, "the reference changes the relaxed plan");
        CliRun strayProduct = CliRun.of("ot", "--source", xs.toString(), "--target", xt.toString(),
                "--product-reference");
        assertEquals(2, strayProduct.status());
    }

    @Test
    void numericalErrorIsStatusOneWithNullsNotNaN() {
        Path u = dir.resolve("huge_u.npy");
        Path v = dir.resolve("huge_v.npy");
        Npy.write(u, column(new double[] {0, 1e200}));
        Npy.write(v, column(new double[] {1.3e154, 0, 2e153}));
        CliRun run = CliRun.of("ot", "--source", u.toString(), "--target", v.toString(), "--method", "1d", "--json");
        assertEquals(1, run.status(), run.err());
        String line = run.out().strip();
        assertFalse(line.contains("NaN") || line.contains("Infinity"), line);
        assertEquals("NUMERICAL_ERROR", run.json().get("status").asText());
        assertTrue(run.json().get("value").isNull(), line);
        assertFalse(run.json().get("converged").asBoolean());

        // the same points under the network simplex: the cost overflows, which is refused as bad input
        CliRun exact = CliRun.of("ot", "--source", u.toString(), "--target", v.toString(), "--json");
        assertEquals(2, exact.status(), exact.err());
        assertTrue(exact.err().strip().startsWith("lipot: error: cost C(") && !exact.err().strip().contains("\n"),
                exact.err());
    }

    @Test
    void euclideanCostGivesW1() {
        CliRun run = CliRun.of("ot", "--source", xs.toString(), "--target", xt.toString(), "--cost", "euclidean",
                "--json");
        assertEquals(0, run.status(), run.err());
        assertEquals(Wasserstein.exact(x, y, Cost.EUCLIDEAN).value(), run.json().get("value").asDouble(), 0.0);
    }

    @Test
    void humanOutputNamesTheUnits() {
        CliRun run = CliRun.of("ot", "--source", xs.toString(), "--target", xt.toString());
        assertEquals(0, run.status(), run.err());
        assertTrue(run.out().contains("W_2^2"), run.out());
        assertTrue(run.out().contains("OPTIMAL"), run.out());
    }

    @Test
    void oneDimensionalMatchesTheLibrary() {
        double[] u = new Random(1).doubles(500).toArray();
        double[] v = new Random(2).doubles(300).map(t -> 2 * t + 0.3).toArray();
        Path pu = dir.resolve("u.npy");
        Path pv = dir.resolve("v.npy");
        Npy.write(pu, column(u));
        Npy.write(pv, column(v));
        for (String[] c : new String[][] {{"sqeuclidean", "2"}, {"euclidean", "1"}, {"lp:3", "3"}}) {
            CliRun run = CliRun.of("ot", "--source", pu.toString(), "--target", pv.toString(), "--method", "1d",
                    "--cost", c[0], "--json");
            assertEquals(0, run.status(), run.err());
            double expected = Wasserstein.oneDimensional(u, v, Double.parseDouble(c[1])).value();
            assertEquals(expected, run.json().get("value").asDouble(), 1e-15 * expected, c[0]);
        }
    }

    @Test
    void weightsMustAgreeUnlessNormalized() {
        Path a = dir.resolve("a.npy");
        Path b = dir.resolve("b.npy");
        double[] wa = new Random(3).doubles(60).map(t -> t + 0.5).toArray();
        double[] wb = new Random(4).doubles(45).map(t -> t + 0.5).toArray();
        Npy.write(a, column(wa));
        Npy.write(b, column(wb));
        String[] args = {"ot", "--source", xs.toString(), "--target", xt.toString(), "--source-weights", a.toString(),
                "--target-weights", b.toString(), "--json"};
        CliRun refused = CliRun.of(args);
        assertEquals(2, refused.status());
        assertTrue(refused.err().contains("lipot: error:") && refused.err().contains("weights"), refused.err());
        assertTrue(refused.err().contains("--normalize"), "points to the option: " + refused.err());
        assertFalse(refused.err().contains("TransportProblem"), "no Java method: " + refused.err());

        String[] normalized = java.util.Arrays.copyOf(args, args.length + 1);
        normalized[args.length] = "--normalize";
        CliRun run = CliRun.of(normalized);
        assertEquals(0, run.status(), run.err());
        double sa = java.util.Arrays.stream(wa).sum();
        double sb = java.util.Arrays.stream(wb).sum();
        double[] na = java.util.Arrays.stream(wa).map(t -> t / sa).toArray();
        double[] nb = java.util.Arrays.stream(wb).map(t -> t / sb).toArray();
        double expected = Wasserstein.exact(x, na, y, nb, Cost.SQUARED_EUCLIDEAN).value();
        assertEquals(expected, run.json().get("value").asDouble(), 1e-12 * expected);
    }

    @Test
    void planOutHoldsTheNonZerosWithTheMarginals() {
        Path plan = dir.resolve("plan.csv");
        CliRun run = CliRun.of("ot", "--source", xs.toString(), "--target", xt.toString(), "--plan-out",
                plan.toString(), "--json");
        assertEquals(0, run.status(), run.err());
        double[][] rows = Csv.readMatrix(plan);
        assertTrue(rows.length <= 60 + 45 - 1, "at most n + m - 1 non-zeros");
        double[] rowSums = new double[60];
        double value = 0;
        for (double[] r : rows) {
            rowSums[(int) r[0]] += r[2];
            value += r[2] * Cost.SQUARED_EUCLIDEAN.between(x[(int) r[0]], y[(int) r[1]]);
        }
        for (double s : rowSums) {
            assertEquals(1.0 / 60, s, 1e-15);
        }
        assertEquals(run.json().get("value").asDouble(), value, 1e-14);
    }

    @Test
    void plotWritesAPng() throws IOException {
        Path png = dir.resolve("plots/plan.png");
        Files.createDirectories(png.getParent());
        CliRun run = CliRun.of("ot", "--source", xs.toString(), "--target", xt.toString(), "--plot", png.toString());
        assertEquals(0, run.status(), run.err());
        BufferedImage image = ImageIO.read(png.toFile());
        assertEquals(900, image.getWidth());
    }

    @Test
    void pivotCapIsReportedAsNotConverged() {
        CliRun run = CliRun.of("ot", "--source", xs.toString(), "--target", xt.toString(), "--max-iter", "1",
                "--json");
        assertEquals(1, run.status(), run.err());
        assertFalse(run.json().get("converged").asBoolean());
        assertEquals("MAX_ITERATIONS", run.json().get("status").asText());
        assertFalse(run.json().get("duals_feasible").asBoolean(), "the last basis's potentials certify nothing");
    }

    @Test
    void badInputsGiveOneLineAndStatusTwo() {
        Path threeD = dir.resolve("x3.npy");
        Npy.write(threeD, new double[][] {{1, 2, 3}, {4, 5, 6}});
        Path garbage = dir.resolve("bad.npy");
        try {
            Files.writeString(garbage, "not an npy file");
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        String[][] cases = {
                {"ot", "--source", xs.toString(), "--target", xt.toString(), "--method", "simplex"},
                {"ot", "--source", dir.resolve("missing.npy").toString(), "--target", xt.toString()},
                {"ot", "--source", garbage.toString(), "--target", xt.toString()},
                {"ot", "--source", xs.toString(), "--target", threeD.toString()},
                {"ot", "--source", xs.toString(), "--target", xt.toString(), "--method", "1d"},
                {"ot", "--source", xs.toString(), "--target", xt.toString(), "--cost", "cosine"},
                {"ot", "--source", xs.toString(), "--target", xt.toString(), "--repeat", "0"},
                {"ot", "--source", xs.toString()},
                {"ot", "--source", xs.toString(), "--target", xt.toString(), "--no-such-flag"},
                {"ot", "--source", threeD.toString(), "--target", threeD.toString(), "--plot",
                        dir.resolve("p.png").toString()},
                {"ot", "--source", xs.toString(), "--target", xt.toString(), "--method", "1d", "--max-iter", "5"},
                {"ot", "--source", xs.toString(), "--target", xt.toString(), "--max-iter", "-1"},
                {"ot", "--source", xs.toString(), "--target", xt.toString(), "--plan-out",
                        dir.resolve("no/such/folder/plan.csv").toString()},
                {"ot", "--source", xs.toString(), "--target", xt.toString(), "--plot",
                        dir.resolve("no/such/folder/plan.png").toString()},
                {"ot", "--source", xs.toString(), "--target", xt.toString(), "--plan-out", dir.toString()},
        };
        for (String[] args : cases) {
            CliRun run = CliRun.of(args);
            assertEquals(2, run.status(), String.join(" ", args) + "\n" + run.err());
            String err = run.err().strip();
            assertTrue(err.startsWith("lipot: error:"), err);
            assertFalse(err.contains("\n"), "one line: " + err);
            assertFalse(err.contains("Exception"), err);
        }
    }

    @Test
    void optionsAreCheckedBeforeAnyOutputIsWritten() {
        Path threeD = dir.resolve("x3.npy");
        Npy.write(threeD, new double[][] {{1, 2, 3}, {4, 5, 6}});
        Path plan = dir.resolve("plan.csv");
        CliRun run = CliRun.of("ot", "--source", threeD.toString(), "--target", threeD.toString(), "--plan-out",
                plan.toString(), "--plot", dir.resolve("p.png").toString());
        assertEquals(2, run.status(), run.err());
        assertTrue(run.err().contains("--plot"), run.err());
        assertFalse(Files.exists(plan), "--plan-out was written before --plot was refused");

        Path badPlan = dir.resolve("plan.parquet");
        CliRun bad = CliRun.of("ot", "--source", xs.toString(), "--target", xt.toString(), "--plan-out",
                badPlan.toString(), "--json");
        assertEquals(2, bad.status(), bad.err());
        assertTrue(bad.out().isEmpty(), "refused before solving: " + bad.out());
        assertFalse(Files.exists(badPlan));
    }

    @Test
    void jsonCostIsANameThatCostAccepts() {
        for (String name : new String[] {"sqeuclidean", "euclidean", "lp:3", "lp:1", "lp:2.5"}) {
            CliRun run = CliRun.of("ot", "--source", xs.toString(), "--target", xt.toString(), "--cost", name,
                    "--json");
            assertEquals(0, run.status(), run.err());
            String printed = run.json().get("cost").asText();
            assertEquals(name, printed);
            CliRun again = CliRun.of("ot", "--source", xs.toString(), "--target", xt.toString(), "--cost", printed,
                    "--json");
            assertEquals(run.json().get("value").asDouble(), again.json().get("value").asDouble(), 0.0, name);
        }
    }

    @Test
    void helpListsTheSubcommands() {
        CliRun run = CliRun.of("--help");
        assertEquals(0, run.status());
        for (String command : new String[] {"ot", "certify", "demo"}) {
            assertTrue(run.out().matches("(?s).*\\n  " + command + " +\\S.*"), "lists " + command + ":\n" + run.out());
        }
        CliRun ot = CliRun.of("ot", "--help");
        assertEquals(0, ot.status());
        assertTrue(ot.out().contains("--plan-out"), ot.out());
    }

    private static double[][] column(double[] v) {
        double[][] c = new double[v.length][];
        for (int i = 0; i < v.length; i++) {
            c[i] = new double[] {v[i]};
        }
        return c;
    }
}
