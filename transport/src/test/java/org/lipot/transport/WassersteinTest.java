package org.lipot.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;

import org.junit.jupiter.api.Test;
import org.lipot.transport.exact.MonotoneRearrangement;
import org.lipot.transport.geometry.Cost;
import org.nd4j.linalg.factory.Nd4j;

class WassersteinTest {

    private static double[][] cloud(Random rnd, int n, int d, double shift) {
        double[][] x = new double[n][d];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < d; k++) {
                x[i][k] = rnd.nextGaussian() + shift;
            }
        }
        return x;
    }

    @Test
    void translatedCloudsAreTheShiftApart() {
        Random rnd = new Random(1);
        double[][] x = cloud(rnd, 50, 3, 0);
        double[][] y = new double[50][3];
        for (int i = 0; i < 50; i++) {
            for (int k = 0; k < 3; k++) {
                y[i][k] = x[i][k] + new double[]{0.3, -0.4, 1.2}[k];
            }
        }
        // For a translation, the identity coupling is optimal for every p >= 1: W_2^2 = |t|^2, W_1 = |t|.
        double t2 = 0.09 + 0.16 + 1.44;
        assertEquals(t2, Wasserstein.exact(x, y).value(), 1e-12);
        assertEquals(Math.sqrt(t2), Wasserstein.exact(x, y).distance(2), 1e-12);
        assertEquals(Math.sqrt(t2), Wasserstein.exact(x, y, Cost.EUCLIDEAN).value(), 1e-12);
    }

    @Test
    void indArrayOverloadsAgreeWithArrays() {
        Random rnd = new Random(2);
        double[][] x = cloud(rnd, 30, 2, 0);
        double[][] y = cloud(rnd, 20, 2, 1);
        double expected = Wasserstein.exact(x, y).value();
        assertEquals(expected, Wasserstein.exact(Nd4j.createFromArray(x), Nd4j.createFromArray(y)).value(), 0);
        assertEquals(expected, Wasserstein.exact(Nd4j.createFromArray(x).castTo(org.nd4j.linalg.api.buffer.DataType.FLOAT),
                Nd4j.createFromArray(y).castTo(org.nd4j.linalg.api.buffer.DataType.FLOAT)).value(), 1e-5);
        double[][] c = new double[30][20];
        for (int i = 0; i < 30; i++) {
            for (int j = 0; j < 20; j++) {
                c[i][j] = Cost.SQUARED_EUCLIDEAN.between(x[i], y[j]);
            }
        }
        double[] a = Marginals.uniform(30).toArray();
        double[] b = Marginals.uniform(20).toArray();
        assertEquals(expected, Wasserstein.exact(a, b, c).value(), 1e-13);
        assertEquals(expected, Wasserstein.exact(Nd4j.createFromArray(a), Nd4j.createFromArray(b), Nd4j.createFromArray(c)).value(),
                1e-13);

        double[] u = {0.5, -1, 2, 3};
        double[] v = {1, 1.5, -2};
        double w = MonotoneRearrangement.builder().exponent(1.5).build().value(u, v);
        assertEquals(w, Wasserstein.oneDimensional(u, v, 1.5).value(), 0);
        assertEquals(w, Wasserstein.oneDimensional(Nd4j.createFromArray(u), Nd4j.createFromArray(v), 1.5).value(), 0);
        assertEquals(w, Wasserstein.oneDimensional(Nd4j.createFromArray(u).reshape(4, 1), Nd4j.createFromArray(v), 1.5).value(), 0);
    }

    @Test
    void weightedOverloadChecksTotals() {
        double[][] x = {{0}, {1}};
        double[][] y = {{0}, {2}};
        Solution s = Wasserstein.exact(x, new double[]{0.25, 0.75}, y, null, Cost.SQUARED_EUCLIDEAN);
        // 0.25 at 0 -> 0 (mass 0.25 free), 0.25 of 1 -> 0 (cost 0.25), 0.5 of 1 -> 2 (cost 0.5)
        assertEquals(0.25 * 1 + 0.5 * 1, s.value(), 1e-15);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Wasserstein.exact(x, new double[]{1, 1}, y, null, Cost.SQUARED_EUCLIDEAN));
        assertTrue(e.getMessage().contains("source weights total 2.0 but target weights total 1.0"), e.getMessage());
    }

    @Test
    void rejectsBadShapes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Wasserstein.exact(Nd4j.zeros(2, 2, 2), Nd4j.zeros(2, 2)));
        assertTrue(e.getMessage().startsWith("source points must have shape (n, d), got [2, 2, 2]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Wasserstein.oneDimensional(Nd4j.zeros(3), Nd4j.zeros(2, 2), 2));
        assertTrue(e.getMessage().startsWith("target points must have shape (n) or (n, 1)"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Wasserstein.exact(new double[][]{{0, 1}}, new double[][]{{0, 1, 2}}));
        assertTrue(e.getMessage().contains("target points have dimension 3 but source points have dimension 2"), e.getMessage());
    }
}
