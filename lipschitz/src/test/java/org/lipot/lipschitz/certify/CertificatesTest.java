package org.lipot.lipschitz.certify;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Hand-worked certificates, the per-output (disjoint) case, binary outputs, histograms, bad input. */
class CertificatesTest {

    static final double S2 = Math.sqrt(2);
    /** Rows: correct with margin 2; wrong (margin -1, top margin 1); a tie resolved to the true class. */
    static final INDArray OUT = Nd4j.createFromArray(new double[][] {{3, 1, 0}, {0.5, 2, 1}, {1, 1, -1}});
    static final int[] LABELS = {0, 2, 0};

    @Test
    void multiclassByHand() {
        CertificateReport r = Certificates.evaluate(OUT, LABELS, 2.0, LipschitzScope.NETWORK, 0, 0.5, 0.75);
        assertArrayEquals(new double[] {2 / (S2 * 2), -1 / (S2 * 2), 0}, r.radii(), 1e-15);
        assertArrayEquals(new double[] {2 / (S2 * 2), 1 / (S2 * 2), 0}, r.predictedRadii(), 1e-15);
        assertArrayEquals(new int[] {0, 1, 0}, r.predictions());
        assertEquals(2.0 / 3, r.accuracy(), 1e-15, "the tie counts as correct for the argmax accuracy");
        assertArrayEquals(new double[] {1.0 / 3, 1.0 / 3, 0}, r.certifiedAccuracy(), 1e-15,
                "a zero radius is not certified, even at epsilon 0");
        assertEquals((1 / S2 + 1 / (2 * S2)) / 3, r.meanCertificate(), 1e-15);
        assertEquals((1 / S2 - 1 / (2 * S2)) / 3, r.meanSignedCertificate(), 1e-15);
        assertEquals((1 / S2) / 2, r.meanCertificateCorrect(), 1e-15);
        assertEquals(1.0 / 3, r.provableRobustAccuracy(0.7), 1e-15);
        assertEquals(0.0, r.provableRobustAccuracy(1 / S2), 0.0, "radius > epsilon, strictly");
        assertEquals(3, r.size());
        assertArrayEquals(r.radii(), Certificates.radii(OUT, LABELS, 2.0, LipschitzScope.NETWORK), 0.0);
        assertArrayEquals(r.predictedRadii(), Certificates.predictedRadii(OUT, 2.0, LipschitzScope.NETWORK), 0.0);
    }

    @Test
    void perOutputBoundsDivideByTwoL() {
        double[] r = Certificates.radii(OUT, LABELS, 2.0, LipschitzScope.PER_OUTPUT);
        assertArrayEquals(new double[] {2.0 / 4, -1.0 / 4, 0}, r, 1e-15);
        double[] network = Certificates.radii(OUT, LABELS, 2.0, LipschitzScope.NETWORK);
        assertEquals(S2 / 2, r[0] / network[0], 1e-15, "per-output radii are sqrt(2)/2 of the network ones");
    }

    @Test
    void binaryOutputs() {
        INDArray f = Nd4j.createFromArray(0.6, -0.2, 0.3);
        int[] labels = {1, 0, -1};
        CertificateReport r = Certificates.evaluate(f, labels, 0.5, LipschitzScope.NETWORK, 0, 0.5);
        assertArrayEquals(new double[] {1.2, 0.4, -0.6}, r.radii(), 1e-15);
        assertArrayEquals(new double[] {1.2, 0.4, 0.6}, r.predictedRadii(), 1e-15);
        assertArrayEquals(new int[] {1, 0, 1}, r.predictions());
        assertEquals(2.0 / 3, r.accuracy(), 1e-15);
        assertArrayEquals(new double[] {2.0 / 3, 1.0 / 3}, r.certifiedAccuracy(), 1e-15);
        assertArrayEquals(r.radii(), Certificates.radii(f.reshape(3, 1), labels, 0.5, LipschitzScope.PER_OUTPUT),
                0.0, "one output: the scope does not matter");
    }

    @Test
    void float32OutputsAndViews() {
        INDArray f32 = OUT.castTo(DataType.FLOAT);
        assertArrayEquals(Certificates.radii(OUT, LABELS, 1, LipschitzScope.NETWORK),
                Certificates.radii(f32, LABELS, 1, LipschitzScope.NETWORK), 1e-7);
        INDArray transposed = OUT.transpose().dup().transpose(); // an f-order view of the same values
        assertArrayEquals(Certificates.radii(OUT, LABELS, 1, LipschitzScope.NETWORK),
                Certificates.radii(transposed, LABELS, 1, LipschitzScope.NETWORK), 0.0);
    }

    @Test
    void histogramBins() {
        RadiusHistogram h = RadiusHistogram.of(new double[] {-1, 0, 0.5, 1, 2, 0.25}, 2, 0, 1);
        assertArrayEquals(new double[] {0, 0.5, 1}, h.edges(), 0.0);
        assertArrayEquals(new long[] {2, 2}, h.counts(), "[0, 0.5) holds 0 and 0.25; [0.5, 1] holds 0.5 and 1");
        assertEquals(1, h.below());
        assertEquals(1, h.above());
        assertEquals(6, h.total());
        RadiusHistogram fromReport = Certificates.evaluate(OUT, LABELS, 2.0, LipschitzScope.NETWORK).histogram(4);
        assertEquals(3, fromReport.total());
        assertEquals(0, fromReport.below() + fromReport.above(), "spans the radii");
        // values exactly on interior edges land in the upper bin despite rounding of (v - lo) / width
        RadiusHistogram tenths = RadiusHistogram.of(new double[] {0.3, 0.6, 0.7}, 10, 0, 1);
        assertEquals(1, tenths.counts()[3]);
        assertEquals(1, tenths.counts()[6]);
        assertEquals(1, tenths.counts()[7]);
        assertThrows(IllegalArgumentException.class, () -> RadiusHistogram.of(new double[] {1}, 0, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> RadiusHistogram.of(new double[] {Double.NaN}, 2, 0, 1));
    }

    @Test
    void badInputNamesTheArgument() {
        for (double bad : new double[] {0, -1, Double.NaN, Double.POSITIVE_INFINITY}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> Certificates.evaluate(OUT, LABELS, bad, LipschitzScope.NETWORK));
            assertTrue(e.getMessage().contains("lipschitzBound must be finite and > 0"), e.getMessage());
        }
        INDArray nan = OUT.dup();
        nan.putScalar(2, 1, Double.NaN);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Certificates.radii(nan, LABELS, 1, LipschitzScope.NETWORK));
        assertTrue(e.getMessage().contains("outputs: entry (2, 1) is NaN"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Certificates.radii(OUT, new int[] {0, 1}, 1, LipschitzScope.NETWORK));
        assertTrue(e.getMessage().contains("outputs has 3 rows [3, 3] but labels has length 2"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Certificates.radii(OUT, new int[] {0, 3, 1}, 1, LipschitzScope.NETWORK));
        assertTrue(e.getMessage().contains("labels: entry 1 is 3, outside [0, 3)"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Certificates.evaluate(OUT, LABELS, 1, LipschitzScope.NETWORK, 0.1, -0.1));
        assertTrue(e.getMessage().contains("epsilons[1] must be >= 0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Certificates.radii(Nd4j.zeros(DataType.DOUBLE, 2, 2, 2), new int[] {0, 1}, 1,
                        LipschitzScope.NETWORK));
        assertTrue(e.getMessage().contains("outputs must be B x C"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Certificates.radii(OUT, LABELS, 1, null));
        assertTrue(e.getMessage().contains("scope"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Certificates.provableRobustAccuracy(new double[] {0.1}, Double.NaN));
        assertTrue(e.getMessage().contains("epsilon"), e.getMessage());
    }
}
