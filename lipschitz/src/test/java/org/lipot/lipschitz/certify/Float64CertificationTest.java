package org.lipot.lipschitz.certify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.lipot.lipschitz.layers.Dense;
import org.lipot.lipschitz.layers.LipResidual;
import org.lipot.lipschitz.nn.Sequential;
import org.lipot.lipschitz.testing.GradCheck;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Certificates come from a float64 evaluation of the float32 model's arrays, with k and t unrounded. */
class Float64CertificationTest {

    private static final double U = Math.scalb(1.0, -23);

    @Test
    void float32RoundingWouldCertifyAMisclassifiedInput() {
        // f_0 = 1 + u/2 + u/4 and f_1 = 1 + u/2 + u/8 exactly (u = 2^-23): class 0 wins by u/8. In float32 the dot
        // products round (ties to even) to 1 and 1 + u, so a float32 forward pass says class 1 by a margin u.
        INDArray w = Nd4j.createFromArray(new float[][] {{1f, (float) (U / 2)}, {1f, (float) (U / 2 + U / 8)}});
        INDArray b = Nd4j.createFromArray((float) (U / 4), 0f);
        Dense model = new Dense(w, b);
        INDArray x = Nd4j.createFromArray(new float[][] {{1f, 1f}});
        int[] label = {1};
        double bound = model.lipschitzBound();
        double float32Radius = Certificates.radii(model.forward(x, false), label, bound, LipschitzScope.NETWORK)[0];
        assertTrue(float32Radius > 0, "the float32 forward pass must show the problem: " + float32Radius);
        CertificateReport r = Certificates.certify(model, x, label, LipschitzScope.NETWORK, 0.0);
        assertEquals(-(U / 8) / (Math.sqrt(2) * bound), r.radii()[0], 0.0);
        assertEquals(0.0, r.certifiedAccuracy()[0]);
    }

    @Test
    void factorsKAndTAreNotRoundedToFloat() {
        double k = 1.0 / 3;
        double t = 1.0 / 7;
        INDArray w = GradCheck.randn(1, 4, 4).castTo(DataType.FLOAT);
        Dense dense = new Dense(w, null);
        dense.setLipschitzFactor(k);
        Sequential model = Sequential.of(LipResidual.fixed(dense, t));
        INDArray x = GradCheck.randn(2, 16, 4).castTo(DataType.FLOAT);
        int[] labels = new int[16];
        INDArray xd = x.castTo(DataType.DOUBLE);
        INDArray expected = xd.mul(1 - t).addi(xd.mmul(w.castTo(DataType.DOUBLE).transpose()).muli(k * t));
        double bound = model.lipschitzBound();
        double[] want = Certificates.radii(expected, labels, bound, LipschitzScope.NETWORK);
        double[] got = Certificates.certify(model, x, labels, LipschitzScope.NETWORK, 0.0).radii();
        for (int i = 0; i < want.length; i++) {
            assertEquals(want[i], got[i], 1e-14 * Math.abs(want[i]) + 1e-15, "input " + i);
        }
    }
}
