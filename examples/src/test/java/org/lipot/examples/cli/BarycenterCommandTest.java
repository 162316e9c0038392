package org.lipot.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lipot.transport.barycenter.BregmanBarycenter;
import org.lipot.transport.geometry.PointCloud;
import org.lipot.transport.io.Npy;
import org.lipot.transport.io.NpyArray;

/** {@code lipot barycenter}: the three input kinds, the written outputs, exit statuses and option checks. */
class BarycenterCommandTest {

    @TempDir
    Path dir;

    private static final double[][] HISTOGRAMS = {{0.5, 0.3, 0.2, 0, 0}, {0, 0.1, 0.2, 0.3, 0.4}};
    private static final double[][] SUPPORT = {{0}, {0.25}, {0.5}, {0.75}, {1}};

    @Test
    void histogramsGiveTheLibrarysBarycenter() {
        Path h = write("h.npy", HISTOGRAMS);
        Path x = write("x.csv", SUPPORT);
        Path out = dir.resolve("q.npy");
        CliRun run = CliRun.of("barycenter", "--histograms", h.toString(), "--support", x.toString(), "--eps", "0.05",
                "--weights", "0.3,0.7", "--tol", "1e-12", "--out", out.toString(), "--json");
        assertEquals(0, run.status(), run.err());
        JsonNode j = run.json();
        assertEquals("bregman", j.get("method").asText());
        assertEquals(2, j.get("inputs").asInt());
        assertTrue(j.get("converged").asBoolean());
        double[] expected = BregmanBarycenter.builder().epsilon(0.05).tolerance(1e-12).build()
                .solve(PointCloud.squaredEuclidean(SUPPORT, SUPPORT), HISTOGRAMS, new double[] {0.3, 0.7}).barycenter();
        double[] got = Npy.readVector(out);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], got[i], 1e-15);
        }
        assertEquals(1, j.get("mass").asDouble(), 1e-9);
    }

    @Test
    void imagesWriteAnArrayAndAPicture() throws Exception {
        int h = 6;
        int w = 7;
        double[] data = new double[2 * h * w];
        data[h * w - 1] = 1;                 // the last pixel of the first image
        data[h * w] = 0.5;                   // two pixels of the second
        data[h * w + w + 1] = 0.5;
        Path images = dir.resolve("img.npy");
        Npy.write(images, new NpyArray(new int[] {2, h, w}, data));
        Path out = dir.resolve("bar.npy");
        Path png = dir.resolve("bar.png");
        CliRun run = CliRun.of("barycenter", "--images", images.toString(), "--eps", "0.02", "--out", out.toString(),
                "--png", png.toString());
        assertEquals(0, run.status(), run.err());
        assertTrue(run.out().contains("convolutional barycenter of 2 inputs, 42 pixels (6 x 7)"), run.out());
        double[][] q = Npy.readMatrix(out);
        assertEquals(h, q.length);
        assertEquals(w, q[0].length);
        assertTrue(Files.size(png) > 100);
    }

    @Test
    void cloudsMeetAtTheWeightedShift() {
        double[][] a = {{0, 0}, {1, 0}, {0, 2}};
        double[][] b = {{4, 0}, {5, 0}, {4, 2}};
        Path out = dir.resolve("y.csv");
        CliRun run = CliRun.of("barycenter", "--clouds", write("a.npy", a) + "," + write("b.npy", b), "--weights",
                "0.25,0.75", "--out", out.toString(), "--json");
        assertEquals(0, run.status(), run.err());
        assertEquals(0.25 * 9 + 0.75 * 1, run.json().get("value").asDouble(), 1e-12);
        assertEquals("free-support", run.json().get("method").asText());
        assertTrue(Files.exists(out));
    }

    @Test
    void notConvergedExitsWithOne() {
        CliRun run = CliRun.of("barycenter", "--histograms", write("h.npy", HISTOGRAMS).toString(), "--support",
                write("x.npy", SUPPORT).toString(), "--eps", "0.001", "--max-iter", "2", "--json");
        assertEquals(Main.NOT_CONVERGED, run.status());
        assertEquals("MAX_ITERATIONS", run.json().get("status").asText());
        assertFalse(run.json().get("converged").asBoolean());
    }

    @Test
    void badOptionsExitWithTwoBeforeReadingFiles() {
        String missing = dir.resolve("missing.npy").toString();
        String[][] bad = {
            {"barycenter", "--histograms", missing, "--eps", "0.1"},
            {"barycenter", "--histograms", missing, "--support", missing},
            {"barycenter", "--images", missing},
            {"barycenter", "--images", missing, "--eps", "0.1", "--weights", "0.5,0.6"},
            {"barycenter", "--images", missing, "--eps", "0.1", "--weights", "-0.5,1.5"},
            {"barycenter", "--clouds", missing, "--debiased"},
            {"barycenter", "--clouds", missing, "--png", dir.resolve("p.png").toString()},
            {"barycenter", "--images", missing, "--eps", "0.1", "--cost", "euclidean"},
            {"barycenter", "--images", missing, "--clouds", missing},
            {"barycenter", "--images", missing, "--eps", "0.1", "--init", missing},
            {"barycenter", "--clouds", missing + "," + missing, "--cloud-weights", missing},
            {"barycenter", "--images", missing, "--eps", "0.1", "--out", dir.resolve("no/such/q.npy").toString()},
        };
        for (String[] args : bad) {
            CliRun run = CliRun.of(args);
            assertEquals(2, run.status(), String.join(" ", args) + ": " + run.err());
            assertFalse(run.err().contains("missing.npy"), "no file was read: " + run.err());
            assertEquals(1, run.err().strip().split("\n").length, run.err());
        }
        CliRun wrongShape = CliRun.of("barycenter", "--images", write("flat.npy", HISTOGRAMS).toString(), "--eps", "0.1");
        assertEquals(2, wrongShape.status());
        assertTrue(wrongShape.err().contains("k x h x w"), wrongShape.err());
    }

    private Path write(String name, double[][] rows) {
        Path p = dir.resolve(name);
        if (name.endsWith(".npy")) {
            Npy.write(p, rows);
        } else {
            org.lipot.transport.io.ArrayFiles.write(p, rows);
        }
        return p;
    }
}
