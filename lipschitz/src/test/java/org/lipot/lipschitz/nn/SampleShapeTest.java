package org.lipot.lipschitz.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.lipot.lipschitz.certify.Certificates;
import org.lipot.lipschitz.certify.LipschitzScope;
import org.lipot.lipschitz.layers.Flatten;
import org.lipot.lipschitz.layers.GroupSort;
import org.lipot.lipschitz.layers.GroupSort2;
import org.lipot.lipschitz.layers.Householder;
import org.lipot.lipschitz.layers.LipResidual;
import org.lipot.lipschitz.layers.SllDense;
import org.lipot.lipschitz.layers.SpectralDense;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class SampleShapeTest {

    /**
     * A stand-in for a convolution: its bound depends on the sample shape it runs on ({@code H}, the second entry),
     * and it halves the image ({@code [C, H, W] -> [C, H/2, W/2]}).
     */
    static final class ShapeDependent implements Layer {
        @Override
        public int[] outputShape(int[] input) {
            if (input.length != 3 || input[1] % 2 != 0) {
                throw new IllegalArgumentException("needs [C, H, W] with even H, got " + java.util.Arrays.toString(input));
            }
            return new int[] {input[0], input[1] / 2, input[2] / 2};
        }

        @Override
        public double lipschitzBound(int[] input) {
            outputShape(input);
            return input[1];
        }

        @Override
        public double lipschitzBound() {
            throw new UnsupportedOperationException("depends on the input shape");
        }

        @Override
        public INDArray forward(INDArray input, boolean training) {
            throw new UnsupportedOperationException();
        }

        @Override
        public INDArray backward(INDArray gradOutput) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Layer export() {
            return this;
        }
    }

    @Test
    void aSequentialThreadsTheShapeThroughItsLayers() {
        Sequential net = Sequential.of(new ShapeDependent(), new ShapeDependent(), new Flatten());
        assertArrayEquals(new int[] {3 * 2 * 2}, net.outputShape(new int[] {3, 8, 8}));
        // the second layer is bounded on the 4 x 4 image the first one produces
        assertEquals(8.0 * 4.0, net.lipschitzBound(new int[] {3, 8, 8}), 1e-12);
        assertEquals(16.0 * 8.0, net.lipschitzBound(new int[] {3, 16, 16}), 1e-12);
        UnsupportedOperationException noShape = assertThrows(UnsupportedOperationException.class, net::lipschitzBound);
        assertTrue(noShape.getMessage().contains("layer 0"), noShape.getMessage());
        IllegalArgumentException odd = assertThrows(IllegalArgumentException.class,
                () -> net.lipschitzBound(new int[] {3, 6, 6})); // 6 -> 3: the second layer refuses the odd height
        assertTrue(odd.getMessage().contains("layer 1") && odd.getMessage().contains("[3, 3, 3]"),
                odd.getMessage());
    }

    @Test
    void denseLayersAcceptOnlyTheirWidthAndKeepTheShapeFreeBound() {
        SpectralDense d = SpectralDense.builder(12, 6).dataType(DataType.DOUBLE).seed(3).build();
        Sequential net = Sequential.of(new Flatten(), d, new GroupSort2(), new Householder(6, DataType.DOUBLE),
                LipResidual.learned(new SllDense(6, 10, 1, DataType.DOUBLE), 0.2, DataType.DOUBLE), new GroupSort(3));
        assertArrayEquals(new int[] {6}, net.outputShape(new int[] {3, 2, 2}));
        assertEquals(net.lipschitzBound(), net.lipschitzBound(new int[] {3, 2, 2}), 0);
        assertThrows(IllegalArgumentException.class, () -> net.lipschitzBound(new int[] {3, 3, 2}));
        assertThrows(IllegalArgumentException.class, () -> d.outputShape(new int[] {12, 1}));
        assertThrows(IllegalArgumentException.class, () -> new GroupSort(4).outputShape(new int[] {6}));
        assertThrows(IllegalArgumentException.class, () -> new Householder(4, DataType.DOUBLE).outputShape(new int[] {6}));
        IllegalArgumentException residual = assertThrows(IllegalArgumentException.class,
                () -> LipResidual.fixed(SpectralDense.builder(6, 4).build(), 0.5).outputShape(new int[] {6}));
        assertTrue(residual.getMessage().contains("same shape"), residual.getMessage());
    }

    @Test
    void certificatesBoundTheModelOnTheShapeOfTheirInputs() {
        SpectralDense d = SpectralDense.builder(8, 3).dataType(DataType.DOUBLE).seed(5).build();
        Sequential net = Sequential.of(new Flatten(), d);
        INDArray images = Nd4j.rand(DataType.DOUBLE, 4, 2, 2, 2);
        var report = Certificates.certify(net, images, new int[] {0, 1, 2, 0}, LipschitzScope.NETWORK, 0.1);
        assertEquals(net.lipschitzBound(new int[] {2, 2, 2}), report.lipschitzBound(), 0);
        assertThrows(IllegalArgumentException.class, () -> Certificates.certify(net, Nd4j.rand(DataType.DOUBLE, 4, 9),
                new int[] {0, 1, 2, 0}, LipschitzScope.NETWORK, 0.1));
        assertEquals(List.of(), d.parameters().stream().filter(p -> p.value().isNaN().any()).toList());
    }
}
