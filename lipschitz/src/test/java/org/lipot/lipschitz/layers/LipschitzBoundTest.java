package org.lipot.lipschitz.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.lipot.lipschitz.nn.Layer;
import org.lipot.lipschitz.nn.Sequential;
import org.lipot.lipschitz.param.SpectralBounds;
import org.lipot.lipschitz.testing.GradCheck;
import org.lipot.lipschitz.testing.Svd;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Sound bounds versus exact and empirical constants; export equals inference. */
class LipschitzBoundTest {

    /** Random SpectralDense + GroupSort2 networks, float32, several training steps on random raw weights. */
    private static Sequential randomNet(long seed, int[] sizes, DataType type) {
        List<Layer> layers = new ArrayList<>();
        for (int i = 0; i + 1 < sizes.length; i++) {
            SpectralDense d = SpectralDense.builder(sizes[i], sizes[i + 1]).seed(seed + i).dataType(type).build();
            d.weight().value().assign(GradCheck.randn(seed * 31 + i, sizes[i + 1], sizes[i]).castTo(type));
            layers.add(d);
            if (i + 2 < sizes.length) {
                layers.add(new GroupSort2());
            }
        }
        return Sequential.of(layers);
    }

    @Test
    void spectralNetworksAreBoundedAndTheEmpiricalConstantStaysBelowTheBound() {
        int[][] archs = {{20, 16, 16, 8}, {12, 24, 12, 4}, {30, 30, 2}};
        for (int a = 0; a < archs.length; a++) {
            for (long seed = 1; seed <= 3; seed++) {
                Sequential net = randomNet(seed, archs[a], DataType.FLOAT);
                INDArray x = GradCheck.randn(seed + 100, 64, archs[a][0]).castTo(DataType.FLOAT);
                for (int step = 0; step < 3; step++) {
                    net.forward(x, true); // power iteration converges further; W_bar recomputed
                }
                double bound = net.lipschitzBound();
                for (Layer l : net.layers()) {
                    assertTrue(l.lipschitzBound() <= 1 + 1e-3, "layer bound " + l.lipschitzBound());
                }
                assertTrue(bound <= 1 + 1e-3, "network bound " + bound);
                // empirical: the largest input-gradient norm of random unit directions of the output
                int outDim = archs[a][archs[a].length - 1];
                double emp = 0;
                for (int k = 0; k < 20; k++) {
                    net.forward(x, false);
                    INDArray dir = GradCheck.randn(k + 7, 64, outDim);
                    dir.diviColumnVector(dir.norm2(true, 1));
                    INDArray gx = net.backward(dir.castTo(DataType.FLOAT)).castTo(DataType.DOUBLE);
                    emp = Math.max(emp, gx.norm2(1).maxNumber().doubleValue());
                }
                assertTrue(emp <= bound, "empirical " + emp + " > bound " + bound);
                assertTrue(emp > 0.5, "empirical " + emp + " suspiciously small");
            }
        }
    }

    @Test
    void boundIsSoundAgainstExactSingularValues() {
        // sigma_max of random matrices (float64) against an SVD
        for (long seed = 1; seed <= 5; seed++) {
            INDArray w = GradCheck.randn(seed, 7 + (int) seed, 5);
            double exact = Svd.sigmaMax(w);
            double b = SpectralBounds.upperBound(w);
            assertTrue(b >= exact, "bound " + b + " < exact " + exact);
            assertTrue(b <= w.norm2Number().doubleValue() * (1 + 1e-12));
        }
        Dense d = Dense.orthogonal(40, 30, 3, DataType.DOUBLE);
        double b = d.lipschitzBound();
        assertTrue(b >= 1 && b <= 1 + 1e-12, "orthogonal bound " + b);
        AolDense aol = new AolDense(12, 9, 4, DataType.DOUBLE);
        aol.weight().value().assign(GradCheck.randn(9, 9, 12));
        aol.refreshWeights();
        double ab = aol.lipschitzBound();
        assertTrue(ab <= 1 + 1e-12 && ab >= Svd.sigmaMax(aol.effectiveWeight()), "AOL bound " + ab);
        FrobeniusDense f = new FrobeniusDense(8, 5, false, 5, DataType.DOUBLE);
        f.weight().value().assign(GradCheck.randn(10, 5, 8));
        f.refreshWeights();
        assertTrue(f.lipschitzBound() <= 1 + 1e-12);
    }

    @Test
    void sllBoundIsOne() {
        SllDense s = new SllDense(10, 14, 3, DataType.FLOAT);
        s.logQ().value().assign(GradCheck.randn(5, 14).castTo(DataType.FLOAT));
        double b = s.lipschitzBound();
        assertTrue(b >= 1.0 && b <= 1 + 1e-5, "SLL bound " + b); // float32 rounding of 1/t: rho = 1 + O(1e-7)
        INDArray x = GradCheck.randn(6, 32, 10).castTo(DataType.FLOAT);
        s.forward(x, false);
        double emp = 0;
        for (int k = 0; k < 10; k++) {
            INDArray dir = GradCheck.randn(k + 50, 32, 10);
            dir.diviColumnVector(dir.norm2(true, 1));
            emp = Math.max(emp, s.backward(dir.castTo(DataType.FLOAT)).castTo(DataType.DOUBLE).norm2(1)
                    .maxNumber().doubleValue());
        }
        assertTrue(emp <= 1 + 1e-5, "empirical " + emp);
    }

    @Test
    void lipschitzFactorMultipliesTheBound() {
        Sequential net = Sequential.withLipschitzFactor(8.0, List.of(
                SpectralDense.builder(6, 6).seed(1).dataType(DataType.DOUBLE).bjorckTolerance(0).build(),
                new GroupSort2(),
                SpectralDense.builder(6, 6).seed(2).dataType(DataType.DOUBLE).bjorckTolerance(0).build(),
                new GroupSort2(),
                SpectralDense.builder(6, 2).seed(3).dataType(DataType.DOUBLE).bjorckTolerance(0).build()));
        double b = net.lipschitzBound();
        assertTrue(b >= 8.0 * (1 - 1e-6) && b <= 8.0 * (1 + 1e-6), "bound " + b);
        INDArray x = GradCheck.randn(3, 4, 6);
        INDArray y = net.forward(x, false);
        assertTrue(Golden2.rel(net.export().forward(x, false), y) < 1e-14);
    }

    @Test
    void exportEqualsInference() {
        Sequential net = Sequential.of(new Flatten(),
                SpectralDense.builder(12, 10).seed(1).build(), new GroupSort2(),
                FrobeniusDense(), new MaxMin(),
                new AolDense(8, 8, 4, DataType.FLOAT), new Householder(8, DataType.FLOAT),
                LipResidual.learned(new SllDense(8, 6, 5, DataType.FLOAT), 0.2, DataType.FLOAT),
                new FrobeniusDense(8, 3, true, 6, DataType.FLOAT));
        INDArray x = GradCheck.randn(1, 16, 3, 2, 2).castTo(DataType.FLOAT);
        // a few "training steps": forward, backward, small update
        for (int s = 0; s < 3; s++) {
            net.zeroGradients();
            INDArray y = net.forward(x, true);
            net.backward(y.ulike().assign(0.1));
            net.parameters().forEach(p -> p.value().subi(p.gradient().mul(1e-2)));
        }
        net.refreshWeights();
        INDArray inf = net.forward(x, false);
        Sequential exported = net.export();
        INDArray ex = exported.forward(x, false);
        assertTrue(Golden2.rel(ex, inf) < 1e-6, "export differs: " + Golden2.rel(ex, inf));
        // the exported network is independent of later updates
        INDArray again = exported.forward(x, false);
        net.parameters().forEach(p -> p.value().addi(1.0));
        net.forward(x, true);
        INDArray after = exported.forward(x, false);
        assertTrue(Golden2.rel(after, again) == 0 && Golden2.rel(again, ex) == 0, "exported output moved by " + Golden2.rel(after, again)
                + " (repeat " + Golden2.rel(again, ex) + ")");
        assertTrue(exported.lipschitzBound() <= 1 + 1e-5);
        // the float64 copy computes the same function from the same arrays, in float64
        Layer exact = net.toFloat64();
        INDArray y64 = exact.forward(x.castTo(DataType.DOUBLE), false);
        assertEquals(DataType.DOUBLE, y64.dataType());
        assertTrue(exact.parameters().stream().allMatch(p -> p.value().dataType() == DataType.DOUBLE));
        assertTrue(Golden2.rel(y64, net.forward(x, false).castTo(DataType.DOUBLE)) < 1e-6);
        assertEquals(net.lipschitzBound(), exact.lipschitzBound(), 1e-6);
    }

    private static FrobeniusDense FrobeniusDense() {
        return new FrobeniusDense(10, 8, false, 3, DataType.FLOAT);
    }

    /** Relative max difference helper. */
    static final class Golden2 {
        static double rel(INDArray a, INDArray b) {
            return org.lipot.lipschitz.testing.Golden.relErr(a, b);
        }
    }
}
