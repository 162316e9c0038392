package org.lipot.lipschitz.certify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.lipot.lipschitz.layers.AocConv2d;
import org.lipot.lipschitz.layers.BcopConv2d;
import org.lipot.lipschitz.layers.Dense;
import org.lipot.lipschitz.layers.Flatten;
import org.lipot.lipschitz.layers.FrobeniusConv2d;
import org.lipot.lipschitz.layers.GroupSort2;
import org.lipot.lipschitz.layers.InvertibleDownSampling;
import org.lipot.lipschitz.layers.ScaledL2NormPool2d;
import org.lipot.lipschitz.layers.SpectralConv2d;
import org.lipot.lipschitz.layers.SpectralConv2dTranspose;
import org.lipot.lipschitz.layers.SpectralDense;
import org.lipot.lipschitz.layers.Unflatten;
import org.lipot.lipschitz.nn.Layer;
import org.lipot.lipschitz.nn.Sequential;
import org.lipot.lipschitz.param.ConvGeometry.Padding;
import org.lipot.lipschitz.testing.GradCheck;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * On random conv networks with raw weights pushed away from their constrained start, the empirical Lipschitz
 * estimates (margin gradients and an attack) never exceed the sound bound. (How close the bound is to the exact norm
 * is tested per layer, against the SVD of the operator, in ConvNormsTest and the layer tests: a network's product of
 * layer bounds is usually well above its local constants, 0.88 against 0.16 for the first network here.)
 */
class ConvSoundnessTest {

    private static final DataType D = DataType.DOUBLE;

    private static void perturb(Layer net, long seed) {
        for (var p : net.parameters()) {
            p.value().addi(GradCheck.randn(seed++, p.value().shape()).muli(0.3));
        }
        net.refreshWeights();
    }

    @Test
    void marginGradientsOfALinearMapAreTheLargestRowDifference() {
        // f(x) = W x (weight stored as (out, in), as the dense layers keep it): grad (f_i - f_j) = W_i - W_j
        INDArray w = GradCheck.randn(1, 4, 7);
        Layer linear = new Dense(w, null);
        double want = 0;
        for (int i = 0; i < 4; i++) {
            for (int j = i + 1; j < 4; j++) {
                want = Math.max(want, w.getRow(i).sub(w.getRow(j)).norm2Number().doubleValue() / Math.sqrt(2));
            }
        }
        // 150 rows: three passes of at most 64
        double got = EmpiricalLipschitz.marginGradients(linear, GradCheck.randn(2, 150, 7));
        assertEquals(want, got, 1e-12 * want);
    }

    @Test
    void empiricalEstimatesStayBelowTheSoundBound() {
        SpectralConv2dTranspose.Builder up = SpectralConv2dTranspose.builder(8, 4, 3, 3).stride(2, 2);
        up.convolution().dataType(D).seed(6);
        List<Sequential> nets = List.of(
                Sequential.of(new Unflatten(1, 8, 8), SpectralConv2d.builder(1, 4, 3, 3).dataType(D).seed(1).build(),
                        new GroupSort2(), new FrobeniusConv2d(4, 4, 3, 3, 2, 2, Padding.ZERO_VALID, 2, D),
                        new Flatten(), SpectralDense.builder(4 * 3 * 3, 5).dataType(D).seed(3).build()),
                Sequential.of(new Unflatten(2, 8, 8), BcopConv2d.builder(2, 3, 3).dataType(D).build(), new GroupSort2(),
                        AocConv2d.builder(2, 8, 3, 3).stride(2, 2).dataType(D).build(),
                        new ScaledL2NormPool2d(2, 2), new Flatten(),
                        SpectralDense.builder(8 * 2 * 2, 4).dataType(D).seed(4).build()),
                Sequential.withLipschitzFactor(1.5, List.<Layer>of(new Unflatten(1, 8, 8), new InvertibleDownSampling(2),
                        SpectralConv2d.builder(4, 8, 3, 3).dataType(D).seed(5).build(), new GroupSort2(), up.build(),
                        new Flatten(), SpectralDense.builder(4 * 8 * 8, 3).dataType(D).seed(7).build())));
        long seed = 100;
        for (Sequential net : nets) {
            perturb(net, seed);
            int[] image = ((Unflatten) net.layers().get(0)).imageShape();
            int inputs = image[0] * image[1] * image[2];
            INDArray x = GradCheck.randn(seed + 50, 6, inputs);
            double bound = net.lipschitzBound(new int[] {inputs});
            double gradients = EmpiricalLipschitz.marginGradients(net, x);
            double attack = EmpiricalLipschitz.attack(net, x, 0.5, 30, seed);
            assertTrue(gradients <= bound * (1 + 1e-9), "margin gradients " + gradients + " > bound " + bound);
            assertTrue(attack <= bound * (1 + 1e-9), "attack " + attack + " > bound " + bound);
            assertTrue(gradients > 0 && attack > 0, "estimates " + gradients + ", " + attack);
            seed += 1000;
        }
    }
}
