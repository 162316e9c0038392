package org.lipot.lipschitz.nn;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.lipot.lipschitz.layers.Dense;
import org.lipot.lipschitz.layers.GroupSort2;
import org.lipot.lipschitz.layers.LipResidual;
import org.lipot.lipschitz.layers.SllDense;
import org.lipot.lipschitz.layers.SpectralDense;
import org.lipot.lipschitz.testing.GradCheck;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** A failing layer is named by its position and type in the Sequential. */
class LayerErrorsTest {

    /** Bad arrays or input: an IllegalArgumentException. */
    private static void assertNamed(Executable run, String... parts) {
        assertNamed(IllegalArgumentException.class, run, parts);
    }

    /** A numerical failure (the lipot command's exit status 1, not 2): an ArithmeticException. */
    private static void assertNumerical(Executable run, String... parts) {
        assertNamed(ArithmeticException.class, run, parts);
    }

    private static void assertNamed(Class<? extends RuntimeException> type, Executable run, String... parts) {
        RuntimeException e = assertThrows(type, run);
        for (String p : parts) {
            assertTrue(e.getMessage().contains(p), "says '" + p + "': " + e.getMessage());
        }
    }

    @Test
    void divergedBjorckNamesTheLayer() {
        // u orthogonal to the top singular vector: the power iteration reports sigma = 1 for a weight of norm 100,
        // so Björck starts far outside its convergence region
        SpectralDense s = SpectralDense.builder(2, 2).dataType(DataType.DOUBLE).powerIterations(1).build();
        s.weight().value().assign(Nd4j.createFromArray(new double[][] {{100, 0}, {0, 1}}));
        s.powerVector().assign(Nd4j.createFromArray(0.0, 1.0));
        Sequential net = Sequential.of(Dense.orthogonal(2, 2, 1, DataType.DOUBLE), new GroupSort2(), s);
        assertNumerical(() -> net.forward(GradCheck.randn(1, 3, 2), true), "layer 2 (SpectralDense): Björck diverged");
    }

    @Test
    void nanWeightsNameTheLayer() {
        INDArray w = GradCheck.randn(2, 4, 4);
        w.putScalar(1, 2, Double.NaN);
        Sequential net = Sequential.of(Dense.orthogonal(4, 4, 1, DataType.DOUBLE), new Dense(w, null));
        INDArray x = GradCheck.randn(3, 5, 4);
        assertNumerical(() -> net.forward(x, false), "layer 1 (Dense)", "NaN");
        // the output is checked, and the first layer whose output is not finite named, not a later one
        Sequential deeper = Sequential.of(Dense.orthogonal(4, 4, 1, DataType.DOUBLE), new Dense(w, null),
                new GroupSort2(), Dense.orthogonal(4, 4, 2, DataType.DOUBLE));
        assertNumerical(() -> deeper.forward(x, true), "layer 1 (Dense)", "NaN");
        assertNamed(net::lipschitzBound, "layer 1 (Dense)", "NaN");
        SllDense sll = new SllDense(4, 3, 1, DataType.DOUBLE);
        sll.logQ().value().putScalar(0, Double.NaN);
        Sequential withSll = Sequential.of(new GroupSort2(), sll);
        assertNamed(withSll::lipschitzBound, "layer 1 (SllDense)", "NaN");
        assertNamed(() -> withSll.forward(x, true), "layer 1 (SllDense)", "NaN");
        LipResidual mix = LipResidual.learned(new GroupSort2(), 0.0, DataType.DOUBLE);
        mix.logit().value().putScalar(0, Double.NaN);
        assertNamed(Sequential.of(new GroupSort2(), mix)::lipschitzBound, "layer 1 (LipResidual)", "NaN");
        x.putScalar(0, 0, Double.POSITIVE_INFINITY);
        assertNamed(() -> Sequential.of(new GroupSort2()).forward(x, false), "input", "infinite");
    }
}
