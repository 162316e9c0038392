package org.lipot.lipschitz.sdf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Font;
import java.util.SplittableRandom;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lipot.lipschitz.io.Png;

/** A short 2-D fit on a glyph in the default test run, and the glyph polygons themselves. */
class SdfFitTest {

    @Test
    void theGlyphHasItsHoleAndItsDistances() {
        Polygons a = Polygons.glyphs("A", Font.SANS_SERIF, 0.002);
        double[] b = a.bounds();
        assertTrue(b[3] - b[1] > 0.6 && b[3] - b[1] < 0.8, "a capital is about 0.7 high: " + java.util.Arrays.toString(b));
        assertTrue(a.loops().length >= 2, "outline and counter: " + a);
        // the centre of the counter (the hole of the A) is outside, the foot of a leg inside
        double[][] probes = {{(b[0] + b[2]) / 2, b[1] + 0.62 * (b[3] - b[1])}, {b[0] + 0.03, b[1] + 0.01},
            {b[2] + 0.1, b[3]}};
        boolean[] in = a.inside(probes);
        assertTrue(!in[0] && in[1] && !in[2], java.util.Arrays.toString(in));
        double[] sd = a.signedDistances(probes);
        assertTrue(sd[1] < 0 && sd[2] > 0.09, java.util.Arrays.toString(sd));
        double[][] on = a.surfacePoints(50, new SplittableRandom(1));
        for (double d : a.signedDistances(on)) {
            assertEquals(0, d, 1e-12);
        }
        assertThrows(IllegalArgumentException.class, () -> Polygons.glyphs(" ", Font.SANS_SERIF, 0.01));
    }

    static Polygons a;
    static SdfFitter.Fit fit;

    @BeforeAll
    static void fitTheGlyph() {
        a = Polygons.glyphs("A", Font.SANS_SERIF, 0.002);
        fit = SdfFitter.builder().widths(64, 64, 64).epochs(40).points(8192).batchSize(1024).seed(3).build().fit(a);
    }

    @Test
    void aShortFitGetsTheSignRightAndStaysOneLipschitz() {
        SdfEvaluation e = SdfEvaluation.of(fit.sdf(), a, 4000, 11);
        assertTrue(e.signAgreement() >= 0.98, e.toString()); // 0.990 measured
        assertTrue(e.lipschitzBound() <= 1.001, e.toString());
        assertTrue(e.maxGradientNorm() <= e.lipschitzBound(), e.toString());
        // a distance, not just a sign: within 2 % of the diagonal near the outline, with slopes near 1 (1.3 % and
        // 0.96 measured)
        assertTrue(e.meanAbsError() < 0.02, e.toString());
        assertTrue(e.maxGradientNorm() > 0.9, e.toString());
        // in the shape's units: negative inside, about the distance
        double[] b = a.bounds();
        assertTrue(fit.sdf().distance(b[2] + 0.3, b[3] + 0.3) > 0.15);
    }

    @Test
    void theScheduleRunsFromTheFirstToTheLastLearningRate() {
        java.util.List<org.lipot.lipschitz.train.EpochRecord> h = fit.history().epochs();
        assertEquals(40, h.size());
        // constant for the first half, then geometric: epoch e of 40 is at 2 e / 39 - 1 of the way down
        assertEquals(2e-3, h.get(0).metrics().get("lr"), 1e-12);
        assertEquals(2e-3, h.get(19).metrics().get("lr"), 1e-12);
        assertEquals(2e-3 * Math.pow(0.02, 2 * 26 / 39.0 - 1), h.get(26).metrics().get("lr"), 1e-12);
        assertEquals(4e-5, h.get(39).metrics().get("lr"), 1e-12);
    }

    @Test
    void sllResidualBlocksFitTheGlyphTooAndSurviveSaveAndLoad(@TempDir Path dir) {
        SdfFitter.Fit sll = SdfFitter.builder().widths(64, 64, 64).residual(true).epochs(40).points(8192)
                .batchSize(1024).seed(3).build().fit(a);
        long blocks = sll.sdf().network().layers().stream()
                .filter(l -> l instanceof org.lipot.lipschitz.layers.SllDense).count();
        assertEquals(3, blocks);
        SdfEvaluation e = SdfEvaluation.of(sll.sdf(), a, 4000, 11);
        assertTrue(e.signAgreement() >= 0.95, e.toString());
        assertTrue(e.maxGradientNorm() <= e.lipschitzBound() && e.lipschitzBound() <= 1.001, e.toString());
        Path zip = dir.resolve("sll.zip");
        sll.sdf().save(zip);
        NeuralSdf back = NeuralSdf.load(zip);
        double[][] p = {{0.1, 0.2}, {0.5, 0.5}, {-0.3, 0.9}};
        double[] before = sll.sdf().distances(p);
        double[] after = back.distances(p);
        for (int i = 0; i < p.length; i++) {
            assertEquals(before[i], after[i], 1e-6);
        }
        assertEquals(sll.sdf().lipschitzBound(), back.lipschitzBound(), 1e-9);
    }

    @Test
    void theBuilderRefusesBadSettings() {
        assertThrows(IllegalArgumentException.class, () -> SdfFitter.builder().widths(3));
        assertThrows(IllegalArgumentException.class, () -> SdfFitter.builder().epochs(0));
        assertThrows(IllegalArgumentException.class, () -> SdfFitter.builder().timeBudget(-1));
        assertThrows(IllegalArgumentException.class, () -> SdfFitter.builder().alpha(0, 10));
        assertThrows(IllegalArgumentException.class, () -> SdfFitter.builder().alpha(10, Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> SdfFitter.builder().learningRate(1e-3, 0));
        assertThrows(IllegalArgumentException.class, () -> SdfFitter.builder().learningRate(Double.POSITIVE_INFINITY,
                1e-3));
        assertThrows(IllegalArgumentException.class, () -> SdfFitter.builder().margin(-0.1));
        assertThrows(IllegalArgumentException.class, () -> SdfFitter.builder().sampling(1.5, 0.02, 0.1));
        assertThrows(IllegalArgumentException.class, () -> SdfFitter.builder().build().fit(null));
        assertThrows(IllegalArgumentException.class, () -> SdfFitter.builder().widths(64, 32).residual(true).build());
    }

    @Test
    void sphereTracingNeverCrossesTheFittedZeroLevel(@TempDir Path dir) throws java.io.IOException {
        double[] b = a.bounds();
        double cx = (b[0] + b[2]) / 2;
        double cy = (b[1] + b[3]) / 2;
        int n = 360;
        double[][] o = new double[n][];
        double[][] v = new double[n][];
        for (int r = 0; r < n; r++) {
            double th = 2 * Math.PI * r / n;
            o[r] = new double[] {cx + 1.2 * Math.cos(th), cy + 1.2 * Math.sin(th)};
            v[r] = new double[] {-Math.cos(th), -Math.sin(th)};
        }
        SphereTracer.Hits h = new SphereTracer(1e-4, 3, 2000).trace(fit.sdf(), o, v);
        assertEquals(0, h.overshoots());
        assertEquals(n, h.hitCount(), "every ray towards the centre meets the glyph");
        // each hit is on the fitted zero level, close to the true outline
        double worst = 0;
        for (int r = 0; r < n; r++) {
            double t = h.distance()[r];
            double[] p = {o[r][0] + t * v[r][0], o[r][1] + t * v[r][1]};
            assertTrue(Math.abs(fit.sdf().distance(p)) <= 1e-4 + 1e-6);
            worst = Math.max(worst, a.distance(p[0], p[1]));
        }
        assertTrue(worst < 0.05 * a.diagonal(), "largest exact distance of a hit: " + worst);
        Path png = dir.resolve("a.png");
        Png.write(png, SdfRender.field2d(fit.sdf(), new double[] {b[0] - 0.1, b[1] - 0.1, b[2] + 0.1, b[3] + 0.1},
                200, 0.02));
        assertTrue(Files.size(png) > 1000);
    }

    @Test
    void theEvaluationScoresAKnownFieldByArea() {
        // the unit square against f = max(x - 1, -x, y - 1, -y) + 0.1, whose inside is [0.1, 0.9]^2: IoU 0.64; the
        // box padded by 10 % of the diagonal per side has area (1 + 0.2 sqrt 2)^2, of which 0.36 disagrees
        Polygons square = new Polygons(new double[][] {{0, 0, 1, 0, 1, 1, 0, 1}});
        NeuralSdf shrunk = new NeuralSdf(org.lipot.lipschitz.nn.Sequential.of(
                new org.lipot.lipschitz.layers.Dense(org.nd4j.linalg.factory.Nd4j.create(
                        new double[][] {{1, 0}, {-1, 0}, {0, 1}, {0, -1}}),
                        org.nd4j.linalg.factory.Nd4j.createFromArray(-0.9, 0.1, -0.9, 0.1)),
                new org.lipot.lipschitz.layers.FullSort(),
                new org.lipot.lipschitz.layers.Dense(org.nd4j.linalg.factory.Nd4j.create(new double[][] {{0, 0, 0, 1}}),
                        null)), 2);
        SdfEvaluation e = SdfEvaluation.of(shrunk, square, 20000, 4);
        assertEquals(0.64, e.iou(), 0.02, e.toString());
        assertEquals(1 - 0.36 / Math.pow(1 + 0.2 * Math.sqrt(2), 2), e.signAgreement(), 0.01, e.toString());
        // inside and off the edges the field is the exact signed distance plus 0.1 (less beyond the corners)
        assertEquals(0.1 / Math.sqrt(2), e.meanAbsError(), 0.005, e.toString());
        assertThrows(IllegalArgumentException.class, () -> SdfEvaluation.of(shrunk, square, 0, 4));
    }

    @Test
    void aHalfPlaneIsHitExactly() {
        // f(x, y) = (x + y) / sqrt(2) - 1: an exact signed distance, bound 1
        double s = 1 / Math.sqrt(2);
        NeuralSdf plane = new NeuralSdf(org.lipot.lipschitz.nn.Sequential.of(new org.lipot.lipschitz.layers.Dense(
                org.nd4j.linalg.factory.Nd4j.create(new double[][] {{s, s}}),
                org.nd4j.linalg.factory.Nd4j.createFromArray(-1.0))), 2);
        SphereTracer.Hits h = new SphereTracer(1e-9, 10, 100).trace(plane, new double[][] {{0, 0}, {3, 3}, {0, 0}},
                new double[][] {{s, s}, {-s, -s}, {-s, -s}});
        assertEquals(1, h.distance()[0], 1e-8);
        assertEquals(3 * Math.sqrt(2) - 1, h.distance()[1], 1e-8);
        assertTrue(Double.isNaN(h.distance()[2]), "away from the line: a miss");
        assertEquals(0, h.overshoots());
        assertThrows(IllegalArgumentException.class, () -> new SphereTracer(1e-3, 1, 10).trace(plane,
                new double[][] {{0, 0}}, new double[][] {{1, 1}}));
    }

    @Test
    void projectionAndTheContourLandOnTheZeroLevel(@TempDir Path dir) throws java.io.IOException {
        double[] b = a.bounds();
        double[][] p = {{b[0] - 0.1, b[1] - 0.1}, {(b[0] + b[2]) / 2, b[3] + 0.2}, {b[2] + 0.05, (b[1] + b[3]) / 2}};
        double[][] on = SdfGeometry.project(fit.sdf(), p, 8);
        for (double v : fit.sdf().distances(on)) {
            assertEquals(0, v, 1e-3);
        }
        Path obj = dir.resolve("a.obj");
        int segments = SdfGeometry.contourObj(fit.sdf(), new double[] {b[0] - 0.1, b[1] - 0.1, b[2] + 0.1, b[3] + 0.1},
                64, obj);
        java.util.List<String> lines = Files.readAllLines(obj);
        long v = lines.stream().filter(x -> x.startsWith("v ")).count();
        long l = lines.stream().filter(x -> x.startsWith("l ")).count();
        assertEquals(segments, l);
        assertEquals(2 * l, v);
        assertTrue(segments > 40, "the A's outline and its counter: " + segments);
        double worst = 0;
        for (String x : lines) {
            if (x.startsWith("v ")) {
                String[] t = x.split(" ");
                worst = Math.max(worst, Math.abs(fit.sdf().distance(Double.parseDouble(t[1]), Double.parseDouble(t[2]))));
            }
        }
        assertTrue(worst < 0.01, "contour vertices are on the zero level to within the grid's interpolation: " + worst);
    }

    @Test
    void polygonsFromCsv(@TempDir Path dir) throws java.io.IOException {
        Path csv = dir.resolve("p.csv");
        Files.writeString(csv, "# a square with a hole\n0,0\n2,0\n2,2\n0,2\n0,0\n\n0.5 0.5\n0.5 1.5\n1.5 1.5\n1.5 0.5\n");
        Polygons p = Polygons.readCsv(csv);
        assertEquals(2, p.loops().length);
        assertEquals(8, p.loops()[0].length, "the repeated closing vertex is dropped");
        boolean[] in = p.inside(new double[][] {{0.2, 1}, {1, 1}, {3, 1}});
        assertTrue(in[0] && !in[1] && !in[2]);
        Path bad = dir.resolve("bad.csv");
        Files.writeString(bad, "0,0\n1,0\n\n5,5,5\n");
        java.io.UncheckedIOException e = assertThrows(java.io.UncheckedIOException.class, () -> Polygons.readCsv(bad));
        assertTrue(e.getMessage().contains("bad.csv:1: a loop needs at least 3 vertices"), e.getMessage());
    }
}
