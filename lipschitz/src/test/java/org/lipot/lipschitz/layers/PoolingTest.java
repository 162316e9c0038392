package org.lipot.lipschitz.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lipot.lipschitz.io.ModelFiles;
import org.lipot.lipschitz.nn.Layer;
import org.lipot.lipschitz.nn.Sequential;
import org.lipot.lipschitz.nn.Tensors;
import org.lipot.lipschitz.testing.GradCheck;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** Pooling and space/depth layers: gradients, shapes, exact Lipschitz constants, files (golden values: GoldenLayersTest). */
class PoolingTest {

    @Test
    void gradientsMatchFiniteDifferences() {
        for (Layer l : List.of(new ScaledAvgPool2d(2, 2), new ScaledAvgPool2d(3, 2), new ScaledL2NormPool2d(2, 3),
                new ScaledGlobalAvgPool2d(), new ScaledGlobalL2NormPool2d(), new InvertibleDownSampling(2),
                new InvertibleUpSampling(2))) {
            GradCheck.check(l, GradCheck.randn(21, 2, 4, 6, 6), 1e-6, 1e-6, 60, () -> { });
        }
        // odd sizes: the trailing row and column are dropped
        GradCheck.check(new ScaledL2NormPool2d(2, 2), GradCheck.randn(22, 1, 2, 5, 7), 1e-6, 1e-6, 60, () -> { });
    }

    @Test
    void float32PoolingMatchesFloat64() {
        for (Layer l : List.of(new ScaledAvgPool2d(2, 2), new ScaledL2NormPool2d(2, 3), new ScaledGlobalAvgPool2d(),
                new ScaledGlobalL2NormPool2d())) {
            INDArray x = GradCheck.randn(28, 3, 4, 7, 7);
            x.get(NDArrayIndex.point(0), NDArrayIndex.point(1))
                    .assign(0); // all-zero windows and channels
            INDArray g = GradCheck.randn(29, l.forward(x, true).shape());
            double[] y64 = Tensors.toDoubles(l.forward(x, true));
            double[] gx64 = Tensors.toDoubles(l.backward(g));
            INDArray y32 = l.forward(x.castTo(DataType.FLOAT), true);
            assertEquals(DataType.FLOAT, y32.dataType());
            double[] gx32 = Tensors.toDoubles(l.backward(g.castTo(DataType.FLOAT)));
            assertArrayEquals(y64, Tensors.toDoubles(y32), 1e-5, l.getClass().getSimpleName());
            assertArrayEquals(gx64, gx32, 1e-5, l.getClass().getSimpleName() + " gradient");
        }
    }

    @Test
    void anAllZeroWindowHasZeroGradientNotNaN() {
        INDArray x = GradCheck.randn(23, 1, 1, 4, 4);
        x.putScalar(new long[] {0, 0, 0, 0}, 0).putScalar(new long[] {0, 0, 0, 1}, 0)
                .putScalar(new long[] {0, 0, 1, 0}, 0).putScalar(new long[] {0, 0, 1, 1}, 0);
        ScaledL2NormPool2d l = new ScaledL2NormPool2d(2, 2);
        l.forward(x, true);
        double[] g = Tensors.toDoubles(l.backward(GradCheck.randn(24, 1, 1, 2, 2)));
        assertEquals(0, g[0], 0);
        for (double v : g) {
            assertTrue(Double.isFinite(v));
        }
    }

    @Test
    void aNearlyZeroWindowGetsDeelLipsSafeGradient() {
        // a window of norm 1e-6 (rounding-level activations): the exact gradient x / ||x|| would be a unit vector;
        // deel-lip's x / (||x|| + 1e-6) is half of it, in float32 and float64 alike
        for (DataType t : new DataType[] {DataType.DOUBLE, DataType.FLOAT}) {
            INDArray x = Nd4j.createFromArray(new double[] {6e-7, 0, 0, 8e-7}).reshape(1, 1, 2, 2).castTo(t);
            ScaledL2NormPool2d l = new ScaledL2NormPool2d(2, 2);
            l.forward(x, true);
            double[] g = Tensors.toDoubles(l.backward(Nd4j.ones(t, 1, 1, 1, 1)));
            assertEquals(0.3, g[0], 1e-6, t.toString());
            assertEquals(0.4, g[3], 1e-6, t.toString());
            assertEquals(0, g[1], 0);
        }
    }

    @Test
    void upSamplingInvertsDownSamplingAndBothArePermutations() {
        INDArray x = GradCheck.randn(25, 2, 3, 4, 6);
        InvertibleDownSampling down = new InvertibleDownSampling(2);
        INDArray d = down.forward(x, false);
        assertArrayEquals(new long[] {2, 12, 2, 3}, d.shape());
        assertArrayEquals(Tensors.toDoubles(x), Tensors.toDoubles(new InvertibleUpSampling(2).forward(d, false)), 0);
        double[] sorted = Tensors.toDoubles(x).clone();
        double[] permuted = Tensors.toDoubles(d).clone();
        java.util.Arrays.sort(sorted);
        java.util.Arrays.sort(permuted);
        assertArrayEquals(sorted, permuted, 0);
    }

    @Test
    void shapesAndBounds() {
        assertArrayEquals(new int[] {3, 2, 3}, new ScaledAvgPool2d(2, 2).outputShape(new int[] {3, 5, 7}));
        assertArrayEquals(new int[] {3}, new ScaledGlobalL2NormPool2d().outputShape(new int[] {3, 5, 7}));
        assertArrayEquals(new int[] {12, 2, 3}, new InvertibleDownSampling(2).outputShape(new int[] {3, 4, 6}));
        assertArrayEquals(new int[] {3, 4, 6}, new InvertibleUpSampling(2).outputShape(new int[] {12, 2, 3}));
        assertThrows(IllegalArgumentException.class, () -> new InvertibleDownSampling(2).outputShape(new int[] {3, 5, 6}));
        assertThrows(IllegalArgumentException.class, () -> new InvertibleUpSampling(2).outputShape(new int[] {6, 2, 3}));
        assertThrows(IllegalArgumentException.class, () -> new ScaledAvgPool2d(3, 3).outputShape(new int[] {3, 2, 6}));
        assertThrows(IllegalArgumentException.class, () -> new ScaledAvgPool2d(0, 2));
        assertThrows(IllegalArgumentException.class, () -> new InvertibleDownSampling(0));
        assertThrows(IllegalArgumentException.class, () -> new ScaledAvgPool2d(2, 2).forward(GradCheck.randn(1, 3, 4), false));
        // the bound 1 is the exact constant: attained on a constant (scaled sum) or any (norm, permutation) window
        INDArray ones = GradCheck.randn(26, 1, 1, 4, 4).assign(1.0);
        assertEquals(Math.sqrt(16), new ScaledAvgPool2d(2, 2).forward(ones, false).norm2Number().doubleValue(), 1e-12);
        Sequential net = Sequential.of(new InvertibleDownSampling(2), new ScaledAvgPool2d(2, 2),
                new ScaledGlobalL2NormPool2d());
        assertEquals(1.0, net.lipschitzBound(new int[] {2, 8, 8}), 1e-15); // rounded up at each product
        assertArrayEquals(new int[] {8}, net.outputShape(new int[] {2, 8, 8}));
    }

    @Test
    void poolingLayersSaveAndLoad(@TempDir Path dir) {
        Sequential net = Sequential.of(new InvertibleDownSampling(2), new ScaledL2NormPool2d(2, 1),
                new InvertibleUpSampling(2), new ScaledAvgPool2d(1, 2), new ScaledGlobalAvgPool2d());
        Path zip = dir.resolve("pool.zip");
        ModelFiles.save(net, zip);
        Sequential back = (Sequential) ModelFiles.load(zip);
        INDArray x = GradCheck.randn(27, 2, 4, 8, 8);
        assertArrayEquals(Tensors.toDoubles(net.forward(x, false)), Tensors.toDoubles(back.forward(x, false)), 0);
        assertEquals(2, ((ScaledL2NormPool2d) back.layers().get(1)).poolHeight());
        assertEquals(1, ((ScaledL2NormPool2d) back.layers().get(1)).poolWidth());
    }
}
