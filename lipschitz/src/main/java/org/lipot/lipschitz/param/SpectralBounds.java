package org.lipot.lipschitz.param;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Sound upper bounds on the largest singular value of a matrix, computed in float64 with rigorous rounding margins.
 *
 * <p>For {@code W} of shape (rows, cols), let {@code G} be the Gram matrix of its shorter side
 * ({@code W W^T} if rows &le; cols, else {@code W^T W}; both have {@code sigma_max(W)^2} as largest eigenvalue).
 * The bound is the minimum of three valid bounds:
 * <pre>
 *   sigma_max(W) &le; ||W||_F
 *   sigma_max(W) &le; sqrt(1 + ||G - I||_2) &le; sqrt(1 + ||G - I||_F)       (tight for almost-orthogonal W)
 *   sigma_max(W) &le; sqrt(||G||_inf) = sqrt(max_i sum_j |G_ij|)            (tight for AOL-rescaled W)
 * </pre>
 * {@code G} is computed by a float64 GEMM from the float32 or float64 entries. Its rounding error satisfies
 * {@code |G^ - G| <= gamma_n |W||W|^T} entrywise with {@code gamma_n = n u / (1 - n u)}, {@code u = 2^-53},
 * {@code n} the inner dimension, hence {@code ||G^ - G||_F <= gamma_n ||W||_F^2} and
 * {@code ||G^ - G||_inf <= sqrt(k) gamma_n ||W||_F^2}; these margins are added before the square roots. The
 * final sums of at most {@code k^2} terms are covered by a relative margin {@code 4 (k^2 + n + 8) u} and a final
 * {@link Math#nextUp}.
 */
public final class SpectralBounds {

    private static final double U = Math.ulp(1.0) / 2;

    private SpectralBounds() {
    }

    /**
     * A sound upper bound on {@code sigma_max(w)}.
     *
     * @param w a float32 or float64 matrix (not modified)
     * @throws IllegalArgumentException if {@code w} is not a matrix or holds NaN or infinite entries
     */
    public static double upperBound(INDArray w) {
        return bound(w);
    }

    /**
     * A sound bound from the weighted Schur test on the column Gram {@code G = W^T W} (cols x cols): for any
     * positive weights {@code p},
     * <pre>
     *   sigma_max(W)^2 = lambda_max(G) &le; max_i sum_j |G_ij| p_j / p_i
     * </pre>
     * (Perron-Frobenius / Collatz-Wielandt for {@code |G|}). The weights only decide how tight the bound is: it is
     * sound for every positive {@code p}, whatever {@code W} holds. With {@code W = V diag(d)} and {@code p = 1/d}
     * this is exactly the AOL guarantee ({@code <= 1}). Rounding of {@code G} is covered as in {@link #upperBound}.
     * The result is the minimum with {@link #upperBound} (which it is whenever the weighted sum overflows).
     *
     * @param w       a float32 or float64 matrix (not modified)
     * @param weights {@code p}, length cols, finite and positive
     * @throws IllegalArgumentException if the shapes differ, a weight is not finite and positive, or {@code w} holds
     *                                  NaN or infinite entries
     */
    public static double upperBoundWeightedColumns(INDArray w, double[] weights) {
        double plain = upperBound(w);
        if (weights == null || weights.length != w.size(1)) {
            throw new IllegalArgumentException("weights must have length " + w.size(1));
        }
        INDArray d = w.castTo(DataType.DOUBLE).dup('c');
        int cols = (int) d.size(1);
        long rows = d.size(0);
        double[] flat = d.data().asDouble();
        double[] colNorm2 = new double[cols];
        for (int i = 0; i < flat.length; i++) {
            colNorm2[i % cols] += flat[i] * flat[i];
        }
        INDArray g = Nd4j.create(DataType.DOUBLE, new long[] {cols, cols}, 'c');
        Nd4j.gemm(d, d, g, true, false, 1.0, 0.0);
        double[] gm = g.data().asDouble();
        double gamma = rows * U / (1 - rows * U);
        double rel = 4.0 * ((double) cols * cols + rows + cols + 8) * U;
        double worst = 0;
        for (int i = 0; i < cols; i++) {
            if (!(weights[i] > 0) || Double.isInfinite(weights[i])) {
                throw new IllegalArgumentException("weights[" + i + "] must be finite and positive, got "
                        + weights[i]);
            }
        }
        for (int i = 0; i < cols; i++) {
            double sum = 0;
            for (int j = 0; j < cols; j++) {
                double err = gamma * Math.sqrt(colNorm2[i] * colNorm2[j]) * (1 + rel);
                sum += (Math.abs(gm[i * cols + j]) + err) * weights[j] / weights[i];
            }
            worst = Math.max(worst, sum);
        }
        double weighted = Math.nextUp(Math.sqrt(worst * (1 + rel)) * (1 + rel));
        return weighted < plain ? weighted : plain; // NaN (0 * inf from extreme weights) falls back to plain
    }

    private static double bound(INDArray w) {
        if (w == null || w.rank() != 2) {
            throw new IllegalArgumentException("w must be a matrix");
        }
        INDArray d = w.castTo(DataType.DOUBLE).dup('c');
        long rows = d.size(0);
        long cols = d.size(1);
        boolean wide = rows <= cols;
        int k = (int) (wide ? rows : cols);
        long n = wide ? cols : rows;
        double[] flat = d.data().asDouble();
        double fro2 = 0;
        for (double x : flat) {
            if (!Double.isFinite(x)) {
                throw new IllegalArgumentException("w holds a NaN or infinite entry");
            }
            fro2 += x * x;
        }
        double rel = 4.0 * ((double) k * k + rows + cols + 8) * U;
        double froBound = Math.sqrt(fro2 * (1 + rel)) * (1 + rel);
        INDArray g = Nd4j.create(DataType.DOUBLE, new long[] {k, k}, 'c');
        Nd4j.gemm(d, d, g, !wide, wide, 1.0, 0.0);
        double[] gm = g.data().asDouble();
        double gamma = n * U / (1 - n * U);
        double err = gamma * fro2 * (1 + rel);
        double offFro2 = 0;
        double maxRow = 0;
        for (int i = 0; i < k; i++) {
            double row = 0;
            for (int j = 0; j < k; j++) {
                double gij = gm[i * k + j];
                double e = i == j ? gij - 1.0 : gij;
                offFro2 += e * e;
                row += Math.abs(gij);
            }
            maxRow = Math.max(maxRow, row);
        }
        double orthBound = Math.sqrt((1 + Math.sqrt(offFro2) * (1 + rel) + err) * (1 + rel)) * (1 + rel);
        double infBound = Math.sqrt((maxRow * (1 + rel) + Math.sqrt(k) * err) * (1 + rel)) * (1 + rel);
        return Math.nextUp(Math.min(froBound, Math.min(orthBound, infBound)));
    }
}
