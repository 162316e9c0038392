package org.lipot.lipschitz.nn;

import java.util.SplittableRandom;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Seeded weight initialisers. The same seed gives the same array on every platform (the random numbers come from
 * {@link SplittableRandom}, never from ND4J's global generator).
 */
public final class Initializers {

    private Initializers() {
    }

    /**
     * A random (semi-)orthogonal matrix, as {@code torch.nn.init.orthogonal_}: the rows are orthonormal when
     * {@code rows <= cols} ({@code W W^T = I}), otherwise the columns are ({@code W^T W = I}).
     *
     * <p>Method: a standard normal matrix, orthonormalised along its shorter side by modified Gram-Schmidt applied
     * twice (float64), which is a Haar-distributed draw up to the signs of the QR factors.
     *
     * @throws IllegalArgumentException if a dimension is not positive
     */
    public static INDArray orthogonal(int rows, int cols, long seed, DataType type) {
        checkDims(rows, cols);
        boolean byRows = rows <= cols;
        int n = byRows ? rows : cols;      // number of vectors
        int len = byRows ? cols : rows;    // their length
        double[][] v = new double[n][len];
        SplittableRandom rng = new SplittableRandom(seed);
        for (double[] vec : v) {
            for (int j = 0; j < len; j++) {
                vec[j] = gaussian(rng);
            }
        }
        for (int i = 0; i < n; i++) {
            for (int pass = 0; pass < 2; pass++) {
                for (int k = 0; k < i; k++) {
                    double dot = 0;
                    for (int j = 0; j < len; j++) {
                        dot += v[i][j] * v[k][j];
                    }
                    for (int j = 0; j < len; j++) {
                        v[i][j] -= dot * v[k][j];
                    }
                }
            }
            double norm = 0;
            for (int j = 0; j < len; j++) {
                norm += v[i][j] * v[i][j];
            }
            norm = Math.sqrt(norm);
            for (int j = 0; j < len; j++) {
                v[i][j] /= norm;
            }
        }
        double[] flat = new double[rows * cols];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                flat[r * cols + c] = byRows ? v[r][c] : v[c][r];
            }
        }
        return Tensors.fromDoubles(flat, new long[] {rows, cols}, type);
    }

    /**
     * A matrix of independent {@code N(0, std^2)} entries.
     *
     * @throws IllegalArgumentException if a dimension is not positive or {@code std} is negative or not finite
     */
    public static INDArray normal(int rows, int cols, double std, long seed, DataType type) {
        checkDims(rows, cols);
        if (!(std >= 0) || Double.isInfinite(std)) {
            throw new IllegalArgumentException("std must be finite and >= 0, got " + std);
        }
        SplittableRandom rng = new SplittableRandom(seed);
        double[] flat = new double[rows * cols];
        for (int i = 0; i < flat.length; i++) {
            flat[i] = std * gaussian(rng);
        }
        return Tensors.fromDoubles(flat, new long[] {rows, cols}, type);
    }

    /** A standard normal vector of length {@code n}, seeded. */
    public static INDArray normalVector(int n, long seed, DataType type) {
        return normal(1, n, 1.0, seed, type).reshape(n);
    }

    /** Box-Muller with the sine branch discarded: simple and reproducible. */
    static double gaussian(SplittableRandom rng) {
        double u1 = 1.0 - rng.nextDouble(); // in (0, 1]
        double u2 = rng.nextDouble();
        return Math.sqrt(-2.0 * Math.log(u1)) * Math.cos(2.0 * Math.PI * u2);
    }

    private static void checkDims(int rows, int cols) {
        if (rows <= 0) {
            throw new IllegalArgumentException("rows must be positive, got " + rows);
        }
        if (cols <= 0) {
            throw new IllegalArgumentException("cols must be positive, got " + cols);
        }
    }
}
