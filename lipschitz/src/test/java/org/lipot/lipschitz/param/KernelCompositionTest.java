package org.lipot.lipschitz.param;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.lipot.lipschitz.nn.Tensors;
import org.lipot.lipschitz.param.ConvGeometry.Padding;
import org.lipot.lipschitz.param.KernelComposition.Kernel;
import org.lipot.lipschitz.testing.GradCheck;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** {@link KernelComposition}: the composite kernel is the composition of the convolutions; its gradients. */
class KernelCompositionTest {

    @Test
    void compositeKernelIsTheComposedConvolution() {
        // valid padding has no offsets: conv(conv(x, B), A, stride 2) equals conv(x, A o B, stride 2) exactly
        INDArray a = GradCheck.randn(1, 4, 3, 2, 3);
        INDArray b = GradCheck.randn(2, 3, 2, 3, 2);
        INDArray x = GradCheck.randn(3, 2, 2, 9, 8);
        INDArray k = KernelComposition.compose(Kernel.of(a), Kernel.of(b)).toArray(DataType.DOUBLE);
        assertArrayEquals(new long[] {4, 2, 4, 4}, k.shape());
        INDArray y = Conv2dOps.forward(x, b, null, new ConvGeometry(2, 3, 3, 2, 1, 1, Padding.ZERO_VALID, 9, 8), null);
        INDArray z = Conv2dOps.forward(y, a, null, new ConvGeometry(3, 4, 2, 3, 2, 2, Padding.ZERO_VALID, 7, 7), null);
        INDArray direct = Conv2dOps.forward(x, k, null, new ConvGeometry(2, 4, 4, 4, 2, 2, Padding.ZERO_VALID, 9, 8),
                null);
        assertArrayEquals(Tensors.toDoubles(z), Tensors.toDoubles(direct), 1e-12);
    }

    @Test
    void gradientsMatchFiniteDifferences() {
        Kernel a = Kernel.of(GradCheck.randn(4, 3, 2, 2, 1));
        Kernel b = Kernel.of(GradCheck.randn(5, 2, 3, 2, 3));
        Kernel g = Kernel.of(GradCheck.randn(6, 3, 3, 3, 3));
        KernelComposition.Gradients grads = KernelComposition.backward(g, a, b);
        double h = 1e-6;
        for (Kernel target : new Kernel[] {a, b}) {
            double[] analytic = (target == a ? grads.gradA() : grads.gradB()).v();
            for (int i = 0; i < target.v().length; i++) {
                double orig = target.v()[i];
                target.v()[i] = orig + h;
                double plus = dot(g, KernelComposition.compose(a, b));
                target.v()[i] = orig - h;
                double minus = dot(g, KernelComposition.compose(a, b));
                target.v()[i] = orig;
                assertEquals((plus - minus) / (2 * h), analytic[i], 1e-7, "entry " + i);
            }
        }
    }

    private static double dot(Kernel g, Kernel k) {
        double s = 0;
        for (int i = 0; i < g.v().length; i++) {
            s += g.v()[i] * k.v()[i];
        }
        return s;
    }

    @Test
    void mismatchedChannelsAreRefused() {
        Kernel a = Kernel.zeros(2, 3, 1, 1);
        Kernel b = Kernel.zeros(4, 2, 1, 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> KernelComposition.compose(a, b));
        assertTrue(e.getMessage().contains("3") && e.getMessage().contains("4"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Kernel(2, 2, 1, 1, new double[3]));
    }
}
