package org.lipot.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lipot.transport.io.Npy;

import com.fasterxml.jackson.databind.JsonNode;

/** {@code lipot sdf fit / query / render}: a short glyph fit end to end, and bad input. */
class SdfCommandTest {

    @TempDir
    Path dir;

    @Test
    void fitQueryAndRenderAGlyph() throws IOException {
        Path zip = dir.resolve("o.zip");
        CliRun fit = CliRun.of("sdf", "fit", "--glyph", "O", "--epochs", "40", "--samples", "8192", "--out",
                zip.toString(), "--json");
        assertEquals(0, fit.status(), fit.err());
        JsonNode j = fit.json();
        assertEquals(40, j.get("epochs").asInt());
        double bound = j.get("lipschitz_upper_bound").asDouble();
        assertTrue(bound > 0 && bound <= 1.001, j.toString());
        assertTrue(j.get("empirical_lipschitz").asDouble() <= bound, j.toString());
        assertTrue(j.get("sign_agreement").asDouble() > 0.9, j.toString());

        Path q = dir.resolve("q.npy");
        Npy.write(q, new double[][] {{0.37, 0.36}, {0.08, 0.36}, {3, 3}});
        Path d = dir.resolve("d.npy");
        Path g = dir.resolve("g.npy");
        CliRun query = CliRun.of("sdf", "query", "--model", zip.toString(), "--points", q.toString(), "--out",
                d.toString(), "--gradients", g.toString());
        assertEquals(0, query.status(), query.err());
        double[] dist = Npy.readVector(d);
        assertEquals(3, dist.length);
        // far outside: positive and, 1-Lipschitz, never more than the true distance (the field is 0 on its zero level,
        // within the fit's error of the outline)
        double exact = org.lipot.lipschitz.sdf.Polygons.glyphs("O", java.awt.Font.SANS_SERIF, 0.002).distance(3, 3);
        assertTrue(dist[2] > 0 && dist[2] <= exact * 1.001 + 0.05, "far outside: " + dist[2] + ", exact " + exact);
        assertEquals(3, Npy.readMatrix(g).length);

        Path png = dir.resolve("o.png");
        CliRun render = CliRun.of("sdf", "render", "--model", zip.toString(), "--out", png.toString(), "--box",
                "-0.2,-0.2,0.9,0.9", "--size", "64", "--json");
        assertEquals(0, render.status(), render.err());
        assertTrue(Files.size(png) > 500);

        Path obj = dir.resolve("o.obj");
        CliRun mesh = CliRun.of("sdf", "mesh", "--model", zip.toString(), "--out", obj.toString(), "--box",
                "-0.2,-0.2,0.9,0.9", "--resolution", "48");
        assertEquals(0, mesh.status(), mesh.err());
        assertTrue(Files.readAllLines(obj).stream().filter(l -> l.startsWith("l ")).count() > 20, mesh.out());
        CliRun badBox = CliRun.of("sdf", "mesh", "--model", zip.toString(), "--out", obj.toString(), "--box", "0,0,1");
        assertEquals(2, badBox.status());
        assertTrue(badBox.err().contains("--box: a 2-D field needs 4 numbers"), badBox.err());
    }

    @Test
    void renderAndMeshAThreeDFieldAgainstItsMesh() throws IOException {
        // f = max(|x|, |y|, |z|) - 0.5: the unit cube's exact signed distance inside, a lower bound outside
        double[][] w = {{1, 0, 0}, {-1, 0, 0}, {0, 1, 0}, {0, -1, 0}, {0, 0, 1}, {0, 0, -1}};
        org.lipot.lipschitz.nn.Sequential net = org.lipot.lipschitz.nn.Sequential.of(
                new org.lipot.lipschitz.layers.Dense(org.nd4j.linalg.factory.Nd4j.create(w),
                        org.nd4j.linalg.factory.Nd4j.valueArrayOf(6, -0.5)),
                new org.lipot.lipschitz.layers.FullSort(),
                new org.lipot.lipschitz.layers.Dense(org.nd4j.linalg.factory.Nd4j.create(
                        new double[][] {{0, 0, 0, 0, 0, 1}}), null));
        Path zip = dir.resolve("cube.zip");
        new org.lipot.lipschitz.sdf.NeuralSdf(net, 3).save(zip);
        Path cube = dir.resolve("cube.obj");
        StringBuilder obj = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            obj.append("v ").append((i & 1) - 0.5).append(' ').append((i >> 1 & 1) - 0.5).append(' ')
                    .append((i >> 2) - 0.5).append('\n');
        }
        obj.append("f 1 3 4 2\nf 5 6 8 7\nf 1 2 6 5\nf 3 7 8 4\nf 1 5 7 3\nf 2 4 8 6\n");
        Files.writeString(cube, obj);

        CliRun render = CliRun.of("sdf", "render", "--model", zip.toString(), "--mesh", cube.toString(), "--out",
                dir.resolve("c.png").toString(), "--size", "48", "--json");
        assertEquals(0, render.status(), render.err());
        JsonNode r = render.json();
        assertEquals(0, r.get("overshoots").asInt());
        assertTrue(r.get("hits").asInt() > 48 * 48 / 4, r.toString());
        assertTrue(r.get("largest_hit_distance").asDouble() < 1e-3, r.toString());

        CliRun mesh = CliRun.of("sdf", "mesh", "--model", zip.toString(), "--mesh", cube.toString(), "--out",
                dir.resolve("s.obj").toString(), "--resolution", "16", "--json");
        assertEquals(0, mesh.status(), mesh.err());
        JsonNode m = mesh.json();
        assertTrue(m.get("triangles").asInt() > 100, m.toString());
        assertTrue(m.get("chamfer_fraction_of_diagonal").asDouble() < 0.01, m.toString());

        CliRun flat = CliRun.of("sdf", "mesh", "--model", zip.toString(), "--mesh", dir.resolve("none.obj").toString(),
                "--out", dir.resolve("s.obj").toString());
        assertEquals(2, flat.status(), flat.err());
        assertTrue(flat.err().contains("none.obj"), flat.err());
    }

    @Test
    void openPolylinesFitAsATubeWithADefaultRadius() throws IOException {
        Path csv = dir.resolve("zigzag.csv");
        Files.writeString(csv, "0,0\n0.5,1\n1,0\n1.5,1\n2,0\n");
        CliRun fit = CliRun.of("sdf", "fit", "--polylines", csv.toString(), "--epochs", "3", "--samples", "2048",
                "--residual", "--out", dir.resolve("z.zip").toString(), "--json");
        assertEquals(0, fit.status(), fit.err());
        assertEquals("polylines", fit.json().get("shape").asText());
        assertTrue(fit.json().get("lipschitz_upper_bound").asDouble() <= 1.001, fit.out());
        // 1 % of the diagonal of the curves' box, 2 x 1
        assertEquals(0.01 * Math.sqrt(5), fit.json().get("radius").asDouble(), 1e-9);
        CliRun stray = CliRun.of("sdf", "fit", "--glyph", "A", "--radius", "0.1", "--out",
                dir.resolve("a.zip").toString());
        assertEquals(2, stray.status());
        assertTrue(stray.err().contains("--radius goes with --polylines"), stray.err());
    }

    @Test
    void badInputIsOneLineWithExitStatusTwo() throws IOException {
        Path bad = dir.resolve("bad.off");
        Files.writeString(bad, "OFF\n100000000000 1 0\n0 0 0\n");
        CliRun run = CliRun.of("sdf", "fit", "--mesh", bad.toString(), "--out", dir.resolve("m.zip").toString());
        assertEquals(2, run.status());
        assertTrue(run.err().strip().lines().count() == 1 && run.err().contains("bad.off:2:"), run.err());
        CliRun query = CliRun.of("sdf", "query", "--model", dir.resolve("missing.zip").toString(), "--points",
                bad.toString(), "--out", dir.resolve("d.npy").toString());
        assertEquals(2, query.status(), query.err());
        CliRun epochs = CliRun.of("sdf", "fit", "--epochs", "0", "--out", dir.resolve("m.zip").toString());
        assertEquals(2, epochs.status());
        assertTrue(epochs.err().contains("--epochs must be >= 1"), epochs.err());
    }
}
