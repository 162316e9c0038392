package org.lipot.lipschitz.param;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.EigenDecomposition;
import org.junit.jupiter.api.Test;

/** The two eigenvalue certificates of {@link SymmetricEigen} against Commons Math's eigendecomposition. */
class SymmetricEigenTest {

    @Test
    void boundsAreSoundAndTight() {
        SplittableRandom r = new SplittableRandom(5);
        for (int n : new int[] {1, 2, 5, 16, 40}) {
            for (int rep = 0; rep < 3; rep++) {
                // G = B B^T: positive semi-definite, rank deficient when rep == 2
                int inner = rep == 2 ? Math.max(1, n / 2) : n + 3;
                double[][] b = new double[n][inner];
                for (double[] row : b) {
                    for (int j = 0; j < inner; j++) {
                        row[j] = r.nextDouble() - 0.5;
                    }
                }
                double[] g = new double[n * n];
                double[][] gm = new double[n][n];
                for (int i = 0; i < n; i++) {
                    for (int j = 0; j < n; j++) {
                        double s = 0;
                        for (int l = 0; l < inner; l++) {
                            s += b[i][l] * b[j][l];
                        }
                        g[i * n + j] = s;
                        gm[i][j] = s;
                    }
                }
                double exact = new EigenDecomposition(new Array2DRowRealMatrix(gm)).getRealEigenvalues()[0];
                String what = "n " + n + " rep " + rep;
                double jacobi = SymmetricEigen.lambdaMaxUpperBound(g, n);
                assertTrue(jacobi >= exact, what);
                assertEquals(exact, jacobi, 1e-12 * exact, what);
                double estimate = SymmetricEigen.rayleighEstimate(g, n);
                assertTrue(estimate <= exact * (1 + 1e-14), what);
                double certified = SymmetricEigen.certifiedBelow(g, n, exact * (1 + 1e-10));
                assertTrue(certified >= exact && certified <= exact * (1 + 2e-10), what + ": " + certified);
                assertTrue(Double.isNaN(SymmetricEigen.certifiedBelow(g, n, exact * (1 - 1e-6))), what);
            }
        }
    }
}
