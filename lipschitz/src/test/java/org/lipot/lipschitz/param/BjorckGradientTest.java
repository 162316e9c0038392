package org.lipot.lipschitz.param;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.Function;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.lipot.lipschitz.nn.Initializers;
import org.lipot.lipschitz.testing.GradCheck;
import org.nd4j.linalg.api.buffer.DataType;
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
        compareWithFiniteDifferences(w, g, analytic, v -> ws.forward(v, false));
    }

    /**
     * Early-stopped Björck with gradient through the last K iterations run: the first {@code n - K} iterations are
     * detached, so {@code W_{n-K} = (1+beta)^(n-K) W_0 + C} with {@code C} constant for the gradient, followed by K
     * full iterations. The analytic gradient must equal the finite-difference gradient of that explicit function.
     */
    @ParameterizedTest
    @CsvSource({"4, 7, 2", "7, 4, 2", "5, 5, 1"})
    void gradientThroughLastCountsTheIterationsRun(int rows, int cols, int k) {
        double beta = 0.5;
        Bjorck b = Bjorck.builder().beta(beta).gradientMode(GradientMode.gradientThroughLast(k)).build();
        Bjorck.Workspace ws = b.newWorkspace();
        INDArray w = Initializers.orthogonal(rows, cols, 1, DataType.DOUBLE).addi(GradCheck.randn(2, rows, cols)
                .muli(0.05));
        INDArray g = GradCheck.randn(3, rows, cols);
        ws.forward(w, true);
        int n = ws.iterationsRun();
        assertTrue(n > k && n + k < b.maxIterations(), "early stop after " + n + " of " + b.maxIterations());
        INDArray analytic = ws.backward(g).dup();
        double c = Math.pow(1 + beta, n - k);
        INDArray offset = Bjorck.builder().beta(beta).maxIterations(n - k).tolerance(0).build().orthonormalize(w).w()
                .subi(w.mul(c));
        Bjorck tail = Bjorck.builder().beta(beta).maxIterations(k).tolerance(0).build();
        compareWithFiniteDifferences(w, g, analytic, v -> tail.orthonormalize(v.mul(c).addi(offset)).w());
    }

    /**
     * RKO's gradient. Rows with 2 or 3 Björck iterations see its sigma term, which a converged Björck hides (its
     * output does not depend on the scale of its input); there the power iteration is run to convergence, where the
     * change of {@code u} with {@code W} does not move {@code sigma} to first order.
     */
    @ParameterizedTest
    @CsvSource({"4, 7, 3, 0, 15", "7, 4, 3, 0, 15", "4, 7, 2000, 1e-12, 2", "7, 4, 2000, 1e-12, 3",
            "5, 6, 2000, 1e-12, 3"})
    void rkoGradient(int rows, int cols, int powerIterations, double powerTolerance, int bjorckIterations) {
        Rko rko = new Rko(PowerIteration.builder().iterations(powerIterations).tolerance(powerTolerance).build(), 1e-3,
                Bjorck.builder().maxIterations(bjorckIterations).tolerance(0).build());
        INDArray u0 = GradCheck.randn(3, rows);
        Rko.State st = rko.newState(u0);
        INDArray w = GradCheck.randn(4, rows, cols);
        INDArray g = GradCheck.randn(5, rows, cols);
        st.forward(w, true);
        INDArray analytic = st.backward(g);
        compareWithFiniteDifferences(w, g, analytic, v -> {
            st.u().assign(u0);
            return st.forward(v, false);
        });
    }

    /** Central differences of {@code <g, f(w)>} at every entry of {@code w} against {@code analytic}. */
    private static void compareWithFiniteDifferences(INDArray w, INDArray g, INDArray analytic,
                                                     Function<INDArray, INDArray> f) {
        double h = 1e-6;
        double scale = analytic.amaxNumber().doubleValue();
        long n = w.length();
        for (int i = 0; i < n; i++) {
            INDArray flat = w.reshape(n);
            double orig = flat.getDouble(i);
            flat.putScalar(i, orig + h);
            double plus = f.apply(w).mul(g).sumNumber().doubleValue();
            flat.putScalar(i, orig - h);
            double minus = f.apply(w).mul(g).sumNumber().doubleValue();
            flat.putScalar(i, orig);
            double fd = (plus - minus) / (2 * h);
            double an = analytic.reshape(n).getDouble(i);
            assertTrue(Math.abs(fd - an) <= 1e-7 * scale, "entry " + i + ": fd " + fd + " analytic " + an);
        }
    }
}
