package org.lipot.lipschitz.sdf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Font;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

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

    @Test
    void aShortFitGetsTheSignRightAndStaysOneLipschitz() {
        Polygons a = Polygons.glyphs("A", Font.SANS_SERIF, 0.002);
        SdfFitter.Fit fit = SdfFitter.builder().widths(64, 64, 64).epochs(40).points(8192).batchSize(1024).seed(3)
                .build().fit(a);
        SdfEvaluation e = SdfEvaluation.of(fit.sdf(), a, 4000, 11);
        assertTrue(e.signAgreement() >= 0.97, e.toString());
        assertTrue(e.lipschitzBound() <= 1.001, e.toString());
        assertTrue(e.maxGradientNorm() <= e.lipschitzBound(), e.toString());
        assertTrue(e.meanAbsError() < 0.05, e.toString());
        // in the shape's units: negative inside, about the distance
        double[] b = a.bounds();
        assertTrue(fit.sdf().distance(b[2] + 0.3, b[3] + 0.3) > 0.15);
    }
}
