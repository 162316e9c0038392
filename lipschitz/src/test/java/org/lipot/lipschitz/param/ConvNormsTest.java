package org.lipot.lipschitz.param;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Locale;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.lipot.lipschitz.param.ConvGeometry.Padding;
import org.lipot.lipschitz.testing.GradCheck;
import org.lipot.lipschitz.testing.Golden;
import org.lipot.lipschitz.testing.Svd;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** {@link ConvNorms} against the exact SVD of the operator matrix built from impulse responses. */
class ConvNormsTest {

    /** The (cout outH outW) x (cin h w) matrix of x -> conv(x, k): column j is the response to the j-th basis input. */
    static INDArray operatorMatrix(INDArray k, ConvGeometry g) {
        int n = g.inputSize();
        INDArray basis = Nd4j.eye(n).castTo(DataType.DOUBLE).reshape('c', n, g.cin(), g.h(), g.w());
        INDArray responses = Conv2dOps.forward(basis, k, null, g, null);
        return responses.reshape('c', n, g.outputSize()).transpose().dup('c');
    }

    @Test
    void boundIsSoundAndCircularIsExact() {
        long seed = 500;
        int exactCases = 0;
        for (ConvGeometry base : Conv2dOpsTest.geometries()) {
            for (int[] hw : new int[][] {{base.h(), base.w()}, {6, 4}, {3, 7}}) {
                if (base.padding() == Padding.ZERO_VALID && (hw[0] < base.kh() || hw[1] < base.kw())) {
                    continue;
                }
                ConvGeometry g = base.withInput(hw[0], hw[1]);
                INDArray k = GradCheck.randn(seed++, g.kernelShape());
                double exact = Svd.sigmaMax(operatorMatrix(k, g));
                ConvNorms.Bound b = ConvNorms.upperBound(k, g);
                assertTrue(b.value() >= exact, g + ": bound " + b.value() + " below the exact " + exact);
                boolean divides = g.h() % g.sh() == 0 && g.w() % g.sw() == 0;
                assertEquals(g.padding() == Padding.CIRCULAR && divides, b.exact(), g + " " + b);
                if (b.exact()) {
                    assertEquals(exact, b.value(), 1e-10 * exact, g + " " + b);
                    exactCases++;
                }
                ConvNorms.Estimate e = ConvNorms.powerIteration(k, g, 50, 1e-8, 1);
                assertTrue(e.value() <= exact * (1 + 1e-12), g + ": power estimate " + e.value() + " > " + exact);
                assertTrue(e.value() >= 0.5 * exact, g + ": power estimate " + e.value() + " far below " + exact);
                // float32 kernels are widened exactly: the same bound as for their float64 copy
                INDArray kf = k.castTo(DataType.FLOAT);
                assertEquals(ConvNorms.upperBound(kf.castTo(DataType.DOUBLE), g).value(),
                        ConvNorms.upperBound(kf, g).value(), 0.0);
            }
        }
        assertTrue(exactCases >= 12, "exact cases: " + exactCases);
    }

    @Test
    void stridedCircularIsExactAndZeroPaddedStrideIsTight() {
        // 2x2 stride 2 on a divisible grid: non-overlapping patches, ||T|| = sigma_max(k reshaped (cout, cin*4))
        ConvGeometry g = new ConvGeometry(3, 5, 2, 2, 2, 2, Padding.CIRCULAR, 6, 4);
        INDArray k = GradCheck.randn(3, g.kernelShape());
        double reshaped = Svd.sigmaMax(k.reshape('c', 5, 12));
        ConvNorms.Bound b = ConvNorms.upperBound(k, g);
        assertTrue(b.exact());
        assertEquals(reshaped, b.value(), 1e-11 * reshaped);
        // the same patches with zero "valid" padding are the same operator: the embedding grid is the input's
        ConvNorms.Bound v = ConvNorms.upperBound(k, new ConvGeometry(3, 5, 2, 2, 2, 2, Padding.ZERO_VALID, 6, 4));
        assertEquals(reshaped, v.value(), 1e-11 * reshaped);
        assertEquals(6, v.gridH());
    }

    @Test
    void goldenConvNorms() {
        for (Conv2dOpsTest.GoldenConv gc : Conv2dOpsTest.goldenConvs()) {
            String name = gc.name();
            INDArray k = gc.kernel();
            JsonNode c = gc.node();
            ConvGeometry same = gc.geometry(Padding.ZERO_SAME);
            ConvGeometry circ = gc.geometry(Padding.CIRCULAR);
            double fft = c.get("sigma_circular_fft").asDouble();
            ConvNorms.Bound bc = ConvNorms.upperBound(k, circ);
            assertTrue(bc.value() >= fft * (1 - 1e-15), name);
            assertEquals(fft, bc.value(), 1e-11 * fft, name + " circular");
            double zero = c.get("sigma_zero_same").asDouble();
            ConvNorms.Bound bz = ConvNorms.upperBound(k, same);
            assertTrue(bz.value() >= zero, name + ": zero-padded bound " + bz.value() + " below " + zero);
            assertEquals(zero, Svd.sigmaMax(operatorMatrix(k, same)), 1e-12 * zero, name);
            if (c.has("operator_matrix_zero_same")) {
                assertTrue(Golden.relErr(operatorMatrix(k, same), Golden.array(c.get("operator_matrix_zero_same")))
                        < 1e-15, name);
            }
            System.out.printf(Locale.ROOT, "%s: zero same exact %.6f, bound %.6f (grid %dx%d, ratio %.4f), "
                            + "circular on input grid %.6f, sqrt(kh kw) reshaped %.6f%n", name, zero, bz.value(),
                    bz.gridH(), bz.gridW(), bz.value() / zero, fft, c.get("bound_sqrt_khkw_times_reshaped").asDouble());
        }
    }

    @Test
    void badArgumentsAreNamed() {
        ConvGeometry g = ConvGeometry.of(2, 3, 3, 3, Padding.ZERO_SAME, 4, 4);
        INDArray k = GradCheck.randn(1, g.kernelShape());
        Conv2dOpsTest.assertMessage("kernel", () -> ConvNorms.upperBound(GradCheck.randn(1, 3, 2, 3, 2), g));
        Conv2dOpsTest.assertMessage("g", () -> ConvNorms.upperBound(k, null));
        INDArray bad = k.dup();
        bad.putScalar(0, Double.NaN);
        Conv2dOpsTest.assertMessage("kernel", () -> ConvNorms.upperBound(bad, g));
        Conv2dOpsTest.assertMessage("iterations", () -> ConvNorms.powerIteration(k, g, 0, 0, 1));
        Conv2dOpsTest.assertMessage("tolerance", () -> ConvNorms.powerIteration(k, g, 5, -1, 1));
        assertFalse(ConvNorms.upperBound(k, g).exact());
    }
}
