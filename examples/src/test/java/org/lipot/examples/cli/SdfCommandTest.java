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
