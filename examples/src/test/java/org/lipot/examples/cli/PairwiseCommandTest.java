package org.lipot.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lipot.transport.geometry.Cost;
import org.lipot.transport.io.Npy;
import org.lipot.transport.io.NpyArray;
import org.lipot.transport.pairwise.Cloud;
import org.lipot.transport.pairwise.LocalPairwise;
import org.lipot.transport.pairwise.PairwiseMethod;

/** {@code lipot pairwise}: folder input, the matrix written, JSON, non-convergence and option checks. */
class PairwiseCommandTest {

    @TempDir
    Path dir;

    private List<Cloud> writeClouds(Path folder, int count) throws Exception {
        Files.createDirectories(folder);
        SplittableRandom rng = new SplittableRandom(11);
        List<Cloud> clouds = new ArrayList<>();
        for (int k = 0; k < count; k++) {
            double[][] p = new double[10 + k][2];
            for (double[] row : p) {
                row[0] = rng.nextGaussian() + k;
                row[1] = rng.nextGaussian();
            }
            Npy.write(folder.resolve(String.format("c%02d.npy", k)), p);
            clouds.add(Cloud.of(p, null));
        }
        return clouds;
    }

    @Test
    void slicedMatrixFromAFolder() throws Exception {
        List<Cloud> clouds = writeClouds(dir.resolve("clouds"), 6);
        Path out = dir.resolve("d.npy");
        CliRun run = CliRun.of("pairwise", "--clouds", dir.resolve("clouds").toString(), "--method", "sliced",
                "--projections", "16", "--seed", "3", "--out", out.toString(), "--json");
        assertEquals(0, run.status(), run.err());
        JsonNode j = run.json();
        assertEquals(15, j.get("pairs").asInt());
        assertEquals(0, j.get("non_converged").asInt());
        assertTrue(j.get("pairs_per_second").asDouble() > 0);
        double[][] d = Npy.readMatrix(out);
        double[] expected = LocalPairwise.builder().build()
                .symmetric(clouds, PairwiseMethod.sliced(Cost.SQUARED_EUCLIDEAN, 16, 3)).values();
        for (int i = 0; i < 6; i++) {
            assertEquals(0, d[i][i]);
            for (int k = 0; k < 6; k++) {
                assertEquals(expected[i * 6 + k], d[i][k]);
            }
        }
    }

    @Test
    void crossMatrixFromArchivesWithWeights() throws Exception {
        SplittableRandom rng = new SplittableRandom(5);
        Map<String, NpyArray> rows = new LinkedHashMap<>();
        Map<String, NpyArray> rowWeights = new LinkedHashMap<>();
        Map<String, NpyArray> cols = new LinkedHashMap<>();
        List<Cloud> rowClouds = new ArrayList<>();
        List<Cloud> colClouds = new ArrayList<>();
        for (int k = 0; k < 3; k++) {
            double[][] p = {{rng.nextGaussian(), k}, {rng.nextGaussian(), 1}, {2, rng.nextGaussian()}};
            double[] w = {1 + k, 2, 3};
            rows.put("z" + k, NpyArray.ofMatrix(p)); // archive order, not name order
            rowWeights.put("w" + k, NpyArray.ofVector(w));
            rowClouds.add(Cloud.of(p, w));
        }
        for (int k = 0; k < 2; k++) {
            double[][] p = {{k, 0}, {0, k}};
            cols.put("c" + k, NpyArray.ofMatrix(p));
            colClouds.add(Cloud.of(p, null));
        }
        Path r = dir.resolve("rows.npz");
        Path rw = dir.resolve("rw.npz");
        Path c = dir.resolve("cols.npz");
        writeNpz(r, rows);
        writeNpz(rw, rowWeights);
        writeNpz(c, cols);
        Path out = dir.resolve("k.npy");
        CliRun run = CliRun.of("pairwise", "--clouds", r.toString(), "--weights", rw.toString(), "--columns",
                c.toString(), "--method", "exact", "--out", out.toString(), "--json");
        assertEquals(0, run.status(), run.err());
        assertEquals(6, run.json().get("pairs").asInt());
        double[][] d = Npy.readMatrix(out);
        double[] expected = LocalPairwise.builder().build()
                .cross(rowClouds, colClouds, PairwiseMethod.exact(Cost.SQUARED_EUCLIDEAN)).values();
        assertEquals(3, d.length);
        for (int i = 0; i < 3; i++) {
            for (int k = 0; k < 2; k++) {
                assertEquals(expected[i * 2 + k], d[i][k]);
            }
        }
    }

    @Test
    void pairsThatDoNotConvergeExitWithOne() throws Exception {
        writeClouds(dir.resolve("clouds"), 3);
        CliRun run = CliRun.of("pairwise", "--clouds", dir.resolve("clouds").toString(), "--method", "sinkhorn",
                "--eps", "0.01", "--max-iter", "1", "--tol", "1e-12", "--out", dir.resolve("s.csv").toString());
        assertEquals(Main.NOT_CONVERGED, run.status(), run.err());
        assertTrue(run.out().contains("pair (0, 1): MAX_ITERATIONS"), run.out());
        assertTrue(Files.readString(dir.resolve("s.csv")).contains("NaN"));
    }

    @Test
    void badOptionsExitWithTwoBeforeReadingFiles() {
        String missing = dir.resolve("missing").toString();
        String out = dir.resolve("d.npy").toString();
        String[][] bad = {
            {"pairwise", "--clouds", missing, "--method", "nope", "--out", out},
            {"pairwise", "--clouds", missing, "--method", "sinkhorn", "--out", out},
            {"pairwise", "--clouds", missing, "--method", "sliced", "--eps", "0.1", "--out", out},
            {"pairwise", "--clouds", missing, "--method", "exact", "--projections", "5", "--out", out},
            {"pairwise", "--clouds", missing, "--method", "exact", "--ridge", "1", "--out", out},
            {"pairwise", "--clouds", missing, "--method", "gaussian", "--cost", "euclidean", "--out", out},
            {"pairwise", "--clouds", missing, "--method", "exact", "--engine", "spark", "--out", out},
            {"pairwise", "--clouds", missing, "--method", "exact", "--threads", "0", "--out", out},
            {"pairwise", "--clouds", missing, "--method", "exact", "--column-weights", missing, "--out", out},
            {"pairwise", "--clouds", missing, "--method", "exact", "--out", dir.resolve("no/d.npy").toString()},
        };
        for (String[] args : bad) {
            CliRun run = CliRun.of(args);
            assertEquals(2, run.status(), String.join(" ", args) + ": " + run.err());
            assertFalse(run.err().contains("missing"), "no file was read: " + run.err());
        }
        CliRun notFound = CliRun.of("pairwise", "--clouds", missing, "--method", "exact", "--out", out);
        assertEquals(2, notFound.status());
    }

    /** An .npz archive: a zip of .npy entries, in map order. */
    private static void writeNpz(Path file, Map<String, NpyArray> arrays) throws Exception {
        try (java.util.zip.ZipOutputStream zip = new java.util.zip.ZipOutputStream(Files.newOutputStream(file))) {
            for (Map.Entry<String, NpyArray> e : arrays.entrySet()) {
                zip.putNextEntry(new java.util.zip.ZipEntry(e.getKey() + ".npy"));
                zip.write(Npy.encode(e.getValue()));
                zip.closeEntry();
            }
        }
    }
}
