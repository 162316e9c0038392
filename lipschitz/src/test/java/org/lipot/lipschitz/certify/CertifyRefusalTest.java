package org.lipot.lipschitz.certify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.lipot.lipschitz.layers.Dense;
import org.lipot.lipschitz.nn.Layer;
import org.lipot.lipschitz.nn.Sequential;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/** Certificates come from the model's computed bound; a model with an unbounded layer is refused. */
class CertifyRefusalTest {

    /** x -> x^3 elementwise: differentiable, but with no global Lipschitz constant. */
    private static final class Cube implements Layer {
        private INDArray x;

        @Override
        public INDArray forward(INDArray input, boolean training) {
            x = input.dup();
            return Transforms.pow(input, 3, true);
        }

        @Override
        public INDArray backward(INDArray gradOutput) {
            return gradOutput.mul(Transforms.pow(x, 2, true).muli(3));
        }

        @Override
        public double lipschitzBound() {
            throw new UnsupportedOperationException("x^3 is not globally Lipschitz");
        }

        @Override
        public Layer export() {
            return new Cube();
        }
    }

    @Test
    void refusesAModelWithAnUnboundedLayer() {
        Sequential model = Sequential.of(Dense.orthogonal(4, 4, 1, DataType.DOUBLE), new Cube(),
                Dense.orthogonal(4, 3, 2, DataType.DOUBLE));
        INDArray x = Nd4j.rand(DataType.DOUBLE, 5, 4);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Certificates.certify(model, x, new int[] {0, 1, 2, 0, 1}, LipschitzScope.NETWORK, 0.1));
        assertTrue(e.getMessage().contains("layer 1 (Cube)") && e.getMessage().contains("x^3"), e.getMessage());
    }

    @Test
    void certifyDividesByTheComputedBound() {
        Dense scaled = new Dense(Nd4j.eye(3).castTo(DataType.DOUBLE).muli(2), null);   // Lipschitz constant 2
        Sequential model = Sequential.of(scaled);
        INDArray x = Nd4j.createFromArray(new double[][] {{0.1, 0.4, 0.0}});
        CertificateReport r = Certificates.certify(model, x, new int[] {1}, LipschitzScope.NETWORK, 0.0);
        double bound = model.lipschitzBound();
        assertTrue(bound >= 2 && bound < 2 * (1 + 1e-12), "sound bound of 2 I: " + bound);
        // outputs 2x = (0.2, 0.8, 0): margin 0.8 - 0.2 for label 1
        assertEquals(0.6 / (Math.sqrt(2) * bound), r.radii()[0], 1e-15);
    }
}
