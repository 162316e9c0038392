package org.lipot.transport.gaussian;

import java.util.Arrays;

/**
 * A Gaussian {@code N(m, S)} in {@code R^d}: a mean and a symmetric positive semi-definite covariance, in the units
 * of the points (the covariance in squared units).
 *
 * @param mean       {@code m}, length {@code d >= 1}, finite
 * @param covariance {@code S}, {@code d x d}, finite, symmetric to a relative {@value #SYMMETRY_TOLERANCE} (it is
 *                   stored symmetrised, {@code (S + S^T) / 2}) and positive semi-definite to the same relative
 *                   tolerance (its smallest eigenvalue is at least {@code -1e-10} times its largest)
 */
public record Gaussian(double[] mean, double[][] covariance) {

    /** Relative tolerance of the symmetry and semi-definiteness checks, against the largest entry. */
    public static final double SYMMETRY_TOLERANCE = 1e-10;

    /** @throws IllegalArgumentException naming what is wrong with the mean or the covariance */
    public Gaussian {
        if (mean == null || mean.length == 0) {
            throw new IllegalArgumentException("mean must hold at least one coordinate");
        }
        int d = mean.length;
        if (covariance == null || covariance.length != d) {
            throw new IllegalArgumentException("covariance must be " + d + " x " + d + " like the mean, got "
                    + (covariance == null ? null : covariance.length + " rows"));
        }
        mean = mean.clone();
        for (int i = 0; i < d; i++) {
            if (!Double.isFinite(mean[i])) {
                throw new IllegalArgumentException("mean[" + i + "] is " + mean[i]);
            }
        }
        double scale = 0;
        for (int i = 0; i < d; i++) {
            if (covariance[i] == null || covariance[i].length != d) {
                throw new IllegalArgumentException("covariance row " + i + " must have " + d + " entries");
            }
            for (int j = 0; j < d; j++) {
                if (!Double.isFinite(covariance[i][j])) {
                    throw new IllegalArgumentException("covariance[" + i + "][" + j + "] is " + covariance[i][j]);
                }
                scale = Math.max(scale, Math.abs(covariance[i][j]));
            }
        }
        double[][] s = new double[d][d];
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < d; j++) {
                if (Math.abs(covariance[i][j] - covariance[j][i]) > SYMMETRY_TOLERANCE * scale) {
                    throw new IllegalArgumentException("covariance is not symmetric: [" + i + "][" + j + "] = "
                            + covariance[i][j] + " but [" + j + "][" + i + "] = " + covariance[j][i]);
                }
                s[i][j] = (covariance[i][j] + covariance[j][i]) / 2;
            }
        }
        double smallest = SymmetricRoots.of(s).smallestEigenvalue();
        if (smallest < -SYMMETRY_TOLERANCE * scale) {
            throw new IllegalArgumentException("covariance is not positive semi-definite: eigenvalue " + smallest);
        }
        covariance = s;
    }

    /**
     * The Gaussian fitted to weighted points by maximum likelihood: the weighted mean {@code m = sum_i w_i x_i / W}
     * and the covariance normalised by the total weight {@code W = sum_i w_i},
     * {@code S = sum_i w_i (x_i - m)(x_i - m)^T / W + ridge I}. With uniform weights this is the {@code 1/n}
     * estimator (POT's {@code OT_mapping_linear} with {@code reg = ridge}). A ridge keeps the covariance of
     * fewer than {@code d + 1} points, or of points on a subspace, invertible, so that the Monge map is defined.
     *
     * @param points  {@code n x d}, finite
     * @param weights {@code n} non-negative finite weights with a positive total, or null for uniform
     * @param ridge   added to the diagonal, {@code >= 0}, in squared units
     * @throws IllegalArgumentException naming the bad argument
     */
    public static Gaussian fit(double[][] points, double[] weights, double ridge) {
        if (points == null || points.length == 0 || points[0] == null || points[0].length == 0) {
            throw new IllegalArgumentException("points must hold at least one point with coordinates");
        }
        if (!(ridge >= 0) || Double.isInfinite(ridge)) {
            throw new IllegalArgumentException("ridge must be >= 0 and finite, got " + ridge);
        }
        int n = points.length;
        int d = points[0].length;
        if (weights != null && weights.length != n) {
            throw new IllegalArgumentException("weights has " + weights.length + " entries for " + n + " points");
        }
        double total = 0;
        double[] m = new double[d];
        for (int i = 0; i < n; i++) {
            if (points[i] == null || points[i].length != d) {
                throw new IllegalArgumentException("point " + i + " does not have " + d + " coordinates");
            }
            double w = weights == null ? 1 : weights[i];
            if (!(w >= 0) || Double.isInfinite(w)) {
                throw new IllegalArgumentException("weights[" + i + "] is " + w);
            }
            total += w;
            for (int k = 0; k < d; k++) {
                if (!Double.isFinite(points[i][k])) {
                    throw new IllegalArgumentException("point " + i + " coordinate " + k + " is " + points[i][k]);
                }
                m[k] += w * points[i][k];
            }
        }
        if (!(total > 0)) {
            throw new IllegalArgumentException("weights must have a positive total, got " + total);
        }
        for (int k = 0; k < d; k++) {
            m[k] /= total;
        }
        double[][] s = new double[d][d];
        double[] c = new double[d];
        for (int i = 0; i < n; i++) {
            double w = (weights == null ? 1 : weights[i]) / total;
            for (int k = 0; k < d; k++) {
                c[k] = points[i][k] - m[k];
            }
            for (int k = 0; k < d; k++) {
                for (int l = k; l < d; l++) {
                    s[k][l] += w * c[k] * c[l];
                }
            }
        }
        for (int k = 0; k < d; k++) {
            s[k][k] += ridge;
            for (int l = 0; l < k; l++) {
                s[k][l] = s[l][k];
            }
        }
        return new Gaussian(m, s);
    }

    /** {@code d}. */
    public int dimension() {
        return mean.length;
    }

    @Override
    public double[] mean() {
        return mean.clone();
    }

    @Override
    public double[][] covariance() {
        double[][] out = new double[covariance.length][];
        for (int i = 0; i < out.length; i++) {
            out[i] = covariance[i].clone();
        }
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Gaussian g && Arrays.equals(mean, g.mean) && Arrays.deepEquals(covariance, g.covariance);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(mean) + Arrays.deepHashCode(covariance);
    }

    @Override
    public String toString() {
        return "Gaussian[d=" + mean.length + ", mean=" + Arrays.toString(mean) + "]";
    }
}
