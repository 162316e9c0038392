package org.lipot.lipschitz.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.junit.jupiter.api.Test;
import org.lipot.lipschitz.testing.GradCheck;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The pair sorts of {@link GroupSort2} and {@link MaxMin} against the per-entry definition, in both types. */
class SortPairsTest {

    /** (N, C, H, W) values on a coarse grid, so that many pairs tie. */
    private static INDArray coarse(long seed, long... shape) {
        return Nd4j.math().round(GradCheck.randn(seed, shape).muli(1.5));
    }

    @Test
    void pairsAreOrderedAndGradientsGoBackToTheirInputsTiesKeepingTheirOrder() {
        for (boolean descending : new boolean[] {false, true}) {
            for (DataType t : new DataType[] {DataType.DOUBLE, DataType.FLOAT}) {
                INDArray x = coarse(3, 5, 6, 7, 3).castTo(t);
                INDArray g = GradCheck.randn(4, 5, 6, 7, 3).castTo(t);
                GroupSort layer = descending ? new MaxMin() : new GroupSort2();
                double[] y = layer.forward(x, true).dup().data().asDouble();
                double[] gx = layer.backward(g).data().asDouble();
                double[] xs = x.data().asDouble();
                double[] gs = g.data().asDouble();
                double[] wantY = new double[xs.length];
                double[] wantG = new double[xs.length];
                int spatial = 21;
                for (int q = 0; q < xs.length / (2 * spatial); q++) {
                    for (int s = 0; s < spatial; s++) {
                        int a = 2 * q * spatial + s;
                        int b = a + spatial;
                        boolean swap = descending ? xs[a] < xs[b] : xs[a] > xs[b]; // strict: ties stay
                        wantY[a] = swap ? xs[b] : xs[a];
                        wantY[b] = swap ? xs[a] : xs[b];
                        wantG[a] = swap ? gs[b] : gs[a];
                        wantG[b] = swap ? gs[a] : gs[b];
                    }
                }
                assertArrayEquals(wantY, y, 0.0, descending + " " + t + " values");
                assertArrayEquals(wantG, gx, 0.0, descending + " " + t + " gradients");
            }
        }
    }
}
