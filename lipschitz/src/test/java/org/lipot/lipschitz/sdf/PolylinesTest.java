package org.lipot.lipschitz.sdf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Open curves as the tube around them: exact distances, labels, samples, the CSV reader and a short fit. */
class PolylinesTest {

    /** An L: from (0, 1) down to the origin, then right to (2, 0). */
    static final Polylines ELL = new Polylines(new double[][] {{0, 1, 0, 0, 2, 0}}, 0.05);

    @Test
    void distancesAreToTheOpenSegmentsNotAClosingEdge() {
        assertEquals(0.5, ELL.distance(1, 0.5), 1e-12);
        assertEquals(Math.hypot(1, 1), ELL.distance(3, 1), 1e-12, "beyond the end: to the end point");
        // a closing edge (2, 0) - (0, 1) would pass within 0.09 of (1, 0.6); the open curve is 0.6 away
        assertEquals(0.6, ELL.distance(1, 0.6), 1e-12);
        double[][] p = {{1, 0.02}, {1, 0.5}, {-0.03, 0.5}};
        assertArrayEquals(new double[] {-0.03, 0.45, -0.02}, ELL.signedDistances(p), 1e-12);
        assertArrayEquals(new boolean[] {true, false, true}, ELL.inside(p));
        assertArrayEquals(new double[] {-0.05, -0.05, 2.05, 1.05}, ELL.bounds(), 1e-12);
        int onSide = 0;
        for (double[] q : ELL.surfacePoints(1000, new SplittableRandom(1))) {
            double d = ELL.distance(q[0], q[1]);
            assertTrue(d <= 0.05 + 1e-12, "never farther than the radius: " + d);
            onSide += Math.abs(d - 0.05) < 1e-12 ? 1 : 0;
        }
        // only the points moved into the corner's inner side, within 0.05 of the other segment, are closer
        assertTrue(onSide > 970, "on the tube's side: " + onSide);
        assertEquals(0.2, ELL.withRadius(0.2).radius());
    }

    @Test
    void badCurvesAreRefused(@TempDir Path dir) throws java.io.IOException {
        assertThrows(IllegalArgumentException.class, () -> new Polylines(new double[][] {{0, 0}}, 0.1));
        assertThrows(IllegalArgumentException.class, () -> new Polylines(new double[][] {{0, 0, 1, Double.NaN}}, 0.1));
        assertThrows(IllegalArgumentException.class, () -> new Polylines(new double[][] {{0, 0, 1, 1}}, 0));
        assertThrows(IllegalArgumentException.class, () -> new Polylines(new double[0][], 0.1));
        Path csv = dir.resolve("lines.csv");
        Files.writeString(csv, "# two curves\n0,0\n1,0\n\n0,1\n1,1\n2,2\n");
        Polylines two = Polylines.readCsv(csv, 0.1);
        assertEquals(2, two.lines().length);
        assertEquals(4, two.lines()[0].length, "a 2-vertex polyline is fine");
        Path one = dir.resolve("one.csv");
        Files.writeString(one, "0,0\n1,0\n\n5,5\n");
        UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> Polylines.readCsv(one, 0.1));
        assertTrue(e.getMessage().contains("one.csv:4") && e.getMessage().contains("at least 2 vertices"),
                e.getMessage());
    }

    @Test
    void aFittedFieldGivesTheUnsignedDistanceAsFPlusTheRadius() {
        // a zigzag, open at both ends, in a 2 x 1 box; with the default network and 200 epochs and a radius of 0.02
        // this gave 99.65 % sign agreement, an error of 0.37 % and slopes up to 0.986 (docs/sdf.md); here a small
        // network for 80 epochs: 99.3 %, 1.2 %, 0.87 measured
        Polylines zigzag = new Polylines(new double[][] {{0, 0, 0.5, 1, 1, 0, 1.5, 1, 2, 0}}, 0.05);
        SdfFitter.Fit fit = SdfFitter.builder().widths(64, 64, 64).epochs(80).points(8192).batchSize(1024).seed(1)
                .build().fit(zigzag);
        SdfEvaluation e = SdfEvaluation.of(fit.sdf(), zigzag, 4000, 2);
        assertTrue(e.signAgreement() > 0.98 && e.iou() > 0.85, e.toString());
        assertTrue(e.meanAbsError() < 0.02, e.toString());
        assertTrue(e.maxGradientNorm() > 0.7, e.toString());
        assertTrue(e.maxGradientNorm() <= e.lipschitzBound() && e.lipschitzBound() <= 1.001, e.toString());
        // in a notch of the zigzag, 0.22 from the two nearest segments, f + r is positive and no more than that
        double notch = fit.sdf().distance(1, 0.5) + zigzag.radius();
        assertTrue(notch > 0.05 && notch <= zigzag.distance(1, 0.5) + 0.01, "f + r at (1, 0.5): " + notch);
    }
}
