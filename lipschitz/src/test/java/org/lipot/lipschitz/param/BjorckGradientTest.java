package org.lipot.lipschitz.param;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.lipot.lipschitz.testing.GradCheck;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Finite-difference checks of Björck's and RKO's backward passes (float64). */
class BjorckGradientTest {

    @ParameterizedTest
    @CsvSource({"4, 7", "7, 4", "5, 5"})
    void bjorckFullGradient(int rows, int cols) {
        Bjorck b = Bjorck.builder().maxIterations(12).tolerance(0).build();
        Bjorck.Workspace ws = b.newWorkspace();
        INDArray w = GradCheck.randn(1, rows, cols);
        w.divi(w.norm2Number().doubleValue()); // sigma_max <= 1: inside the convergence region
        INDArray g = GradCheck.randn(2, rows, cols);
        ws.forward(w, true);
        INDArray analytic = ws.backward(g).dup();
        double h = 1e-6;
        double scale = analytic.amaxNumber().doubleValue();
        for (int i = 0; i < rows * cols; i++) {
            INDArray flat = w.reshape((long) rows * cols);
            double orig = flat.getDouble(i);
            flat.putScalar(i, orig + h);
            double plus = ws.forward(w, false).mul(g).sumNumber().doubleValue();
            flat.putScalar(i, orig - h);
            double minus = ws.forward(w, false).mul(g).sumNumber().doubleValue();
            flat.putScalar(i, orig);
            double fd = (plus - minus) / (2 * h);
            double an = analytic.reshape((long) rows * cols).getDouble(i);
            assertTrue(Math.abs(fd - an) <= 1e-7 * scale, "entry " + i + ": fd " + fd + " analytic " + an);
        }
    }

    @ParameterizedTest
    @CsvSource({"4, 7", "7, 4"})
    void rkoFullGradient(int rows, int cols) {
        Rko rko = new Rko(PowerIteration.builder().iterations(3).tolerance(0).build(), 1e-3,
                Bjorck.builder().tolerance(0).build());
        INDArray u0 = GradCheck.randn(3, rows);
        Rko.State st = rko.newState(u0);
        INDArray w = GradCheck.randn(4, rows, cols);
        INDArray g = GradCheck.randn(5, rows, cols);
        st.forward(w, true);
        INDArray analytic = st.backward(g);
        double h = 1e-6;
        double scale = analytic.amaxNumber().doubleValue();
        for (int i = 0; i < rows * cols; i++) {
            INDArray flat = w.reshape((long) rows * cols);
            double orig = flat.getDouble(i);
            flat.putScalar(i, orig + h);
            st.u().assign(u0);
            double plus = st.forward(w, false).mul(g).sumNumber().doubleValue();
            flat.putScalar(i, orig - h);
            st.u().assign(u0);
            double minus = st.forward(w, false).mul(g).sumNumber().doubleValue();
            flat.putScalar(i, orig);
            double fd = (plus - minus) / (2 * h);
            double an = analytic.reshape((long) rows * cols).getDouble(i);
            assertTrue(Math.abs(fd - an) <= 1e-7 * scale, "entry " + i + ": fd " + fd + " analytic " + an);
        }
    }
}
