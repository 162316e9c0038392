package org.lipot.lipschitz.nn;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.lipot.lipschitz.layers.AolDense;
import org.lipot.lipschitz.layers.Dense;
import org.lipot.lipschitz.layers.GroupSort;
import org.lipot.lipschitz.layers.GroupSort2;
import org.lipot.lipschitz.layers.Householder;
import org.lipot.lipschitz.layers.LipResidual;
import org.lipot.lipschitz.layers.SllDense;
import org.lipot.lipschitz.layers.SpectralDense;
import org.lipot.lipschitz.param.Bjorck;
import org.lipot.lipschitz.param.GradientMode;
import org.lipot.lipschitz.param.PowerIteration;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/** Bad inputs raise IllegalArgumentException naming the argument. */
class ValidationTest {

    private static void expect(String word, Executable e) {
        IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, e);
        assertTrue(ex.getMessage().contains(word), "message '" + ex.getMessage() + "' should name " + word);
    }

    @Test
    void wrongInputWidth() {
        SpectralDense d = SpectralDense.builder(6, 4).build();
        expect("input", () -> d.forward(Nd4j.zeros(DataType.FLOAT, 3, 5), true));
        expect("input", () -> d.forward(Nd4j.zeros(DataType.FLOAT, 3), true));
        expect("input", () -> new AolDense(4, 4, 1, DataType.FLOAT).forward(Nd4j.zeros(DataType.FLOAT, 2, 3), false));
        expect("input", () -> new SllDense(4, 4, 1, DataType.FLOAT).forward(Nd4j.zeros(DataType.FLOAT, 2, 3), false));
        expect("input", () -> new Householder(4, DataType.FLOAT).forward(Nd4j.zeros(DataType.FLOAT, 2, 6), false));
        expect("input", () -> new GroupSort2().forward(Nd4j.zeros(DataType.FLOAT, 2, 3), false));
        expect("input", () -> new GroupSort2().forward(Nd4j.zeros(DataType.INT, 2, 4), false));
        expect("gradOutput", () -> {
            d.forward(Nd4j.zeros(DataType.FLOAT, 3, 6), true);
            d.backward(Nd4j.zeros(DataType.FLOAT, 3, 5));
        });
    }

    @Test
    void badHyperParameters() {
        expect("beta", () -> Bjorck.builder().beta(0.6));
        expect("beta", () -> Bjorck.builder().beta(0));
        expect("beta", () -> SpectralDense.builder(3, 3).beta(-1));
        expect("maxIterations", () -> Bjorck.builder().maxIterations(0));
        expect("tolerance", () -> Bjorck.builder().tolerance(-1e-3));
        expect("iterations", () -> PowerIteration.builder().iterations(0));
        expect("iterations", () -> SpectralDense.builder(3, 3).powerIterations(-2));
        expect("maxIterations", () -> SpectralDense.builder(3, 3).bjorckIterations(0));
        expect("epsSpectral", () -> SpectralDense.builder(3, 3).epsSpectral(Double.NaN));
        expect("count", () -> GradientMode.gradientThroughFirst(-1));
        expect("in", () -> SpectralDense.builder(0, 3));
        expect("out", () -> SpectralDense.builder(3, 0));
        expect("dataType", () -> SpectralDense.builder(3, 3).dataType(DataType.HALF));
        expect("groupSize", () -> new GroupSort(0));
        expect("channels", () -> new Householder(3, DataType.FLOAT));
        expect("t", () -> LipResidual.fixed(new GroupSort2(), 1.5));
        expect("k", () -> Sequential.withLipschitzFactor(-1, List.of(new GroupSort2())));
        expect("k", () -> Sequential.withLipschitzFactor(2, List.of(new GroupSort2())));
        expect("layers", () -> Sequential.of(List.of()));
        expect("bias", () -> new Dense(Nd4j.zeros(DataType.FLOAT, 3, 4), Nd4j.zeros(DataType.FLOAT, 2)));
        expect("u", () -> PowerIteration.defaults().run(Nd4j.ones(DataType.DOUBLE, 3, 4), Nd4j.ones(DataType.DOUBLE, 4)));
        expect("u", () -> PowerIteration.defaults().run(Nd4j.ones(DataType.DOUBLE, 3, 4), Nd4j.zeros(DataType.DOUBLE, 3)));
    }

    @Test
    void backwardBeforeForward() {
        assertThrows(IllegalStateException.class, () -> SpectralDense.builder(3, 3).build()
                .backward(Nd4j.zeros(DataType.FLOAT, 1, 3)));
    }
}
