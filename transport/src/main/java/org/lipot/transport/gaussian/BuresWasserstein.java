package org.lipot.transport.gaussian;

import org.lipot.transport.Solver;
import org.lipot.transport.Status;
import org.lipot.transport.TransportProblem;
import org.lipot.transport.geometry.Cost;
import org.lipot.transport.geometry.PointCloud;

/**
 * The 2-Wasserstein distance between Gaussians, in closed form (Dowson and Landau 1982; Olkin and Pukelsheim 1982):
 * <pre>
 *   W_2^2(N(m1, S1), N(m2, S2)) = |m1 - m2|^2 + tr(S1 + S2 - 2 (S1^1/2 S2 S1^1/2)^1/2),
 * </pre>
 * the Bures-Wasserstein distance, with the Monge map {@code T(x) = A x + b},
 * {@code A = S1^-1/2 (S1^1/2 S2 S1^1/2)^1/2 S1^-1/2}, {@code b = m2 - A m1} ({@link GaussianResult}). Symmetric roots
 * come from eigendecompositions (EJML); eigenvalues below {@code 1e-12} times the largest count as 0, so a singular
 * covariance gives the exact distance and a pseudo-inverse map whose {@link GaussianResult#mapResidual} says it is
 * not exact. A negative trace term from rounding (at most a few ulps of the traces) is returned as 0.
 *
 * <p>As a {@link Solver}, it compares the Gaussians fitted to the two clouds of a {@link PointCloud} problem under the
 * squared Euclidean cost, weighted by the problem's marginals ({@link Gaussian#fit}, maximum likelihood, plus the
 * configured ridge): a fast proxy of W_2^2 that is exact when both clouds are Gaussian in the limit and, with ridge 0,
 * a lower bound on the W_2^2 of the clouds themselves (Gelbrich's bound). Immutable and thread-safe.
 */
public final class BuresWasserstein implements Solver<GaussianResult> {

    private final double ridge;

    private BuresWasserstein(double ridge) {
        this.ridge = ridge;
    }

    /** A builder; the default ridge is 0 (no regularisation). */
    public static Builder builder() {
        return new Builder();
    }

    /** The ridge of fitted covariances. */
    public double ridge() {
        return ridge;
    }

    /**
     * Compares the Gaussians fitted to the problem's clouds.
     *
     * @throws IllegalArgumentException if the geometry is not a {@link PointCloud} with the squared Euclidean cost
     */
    @Override
    public GaussianResult solve(TransportProblem problem) {
        if (problem == null) {
            throw new IllegalArgumentException("problem must not be null");
        }
        if (!(problem.geometry() instanceof PointCloud cloud) || cloud.costFunction() != Cost.SQUARED_EUCLIDEAN) {
            throw new IllegalArgumentException("the Gaussian method needs point clouds under the squared Euclidean cost,"
                    + " got " + problem.geometry());
        }
        return between(Gaussian.fit(cloud.sourcePoints(), problem.source().toArray(), ridge),
                Gaussian.fit(cloud.targetPoints(), problem.target().toArray(), ridge));
    }

    /**
     * The closed form between two Gaussians.
     *
     * @throws IllegalArgumentException if either is null or their dimensions differ
     */
    public static GaussianResult between(Gaussian source, Gaussian target) {
        if (source == null || target == null) {
            throw new IllegalArgumentException("both Gaussians are needed");
        }
        int d = source.dimension();
        if (target.dimension() != d) {
            throw new IllegalArgumentException("the Gaussians have dimensions " + d + " and " + target.dimension());
        }
        double[] m1 = source.mean();
        double[] m2 = target.mean();
        double[][] s1 = source.covariance();
        double[][] s2 = target.covariance();
        SymmetricRoots e1 = SymmetricRoots.of(s1);
        double[][] r1 = e1.power(0.5);
        double[][] r1inv = e1.power(-0.5);
        double[][] middle = symmetric(multiply(multiply(r1, s2), r1));
        SymmetricRoots em = SymmetricRoots.of(middle);
        double means = 0;
        double traces = 0;
        for (int k = 0; k < d; k++) {
            means += (m1[k] - m2[k]) * (m1[k] - m2[k]);
            traces += s1[k][k] + s2[k][k];
        }
        double bures = Math.max(0, traces - 2 * em.tracePower(0.5));
        double[][] a = symmetric(multiply(multiply(r1inv, em.power(0.5)), r1inv));
        double[] b = m2.clone();
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < d; j++) {
                b[i] -= a[i][j] * m1[j];
            }
        }
        double[][] pushed = multiply(multiply(a, s1), a);
        double diff = 0;
        double norm = 0;
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < d; j++) {
                diff += (pushed[i][j] - s2[i][j]) * (pushed[i][j] - s2[i][j]);
                norm += s2[i][j] * s2[i][j];
            }
        }
        double residual = Math.sqrt(diff) / Math.max(Math.sqrt(norm), Double.MIN_NORMAL);
        return new GaussianResult(means + bures, Status.OPTIMAL, source, target, new LinearMap(a, b), residual);
    }

    private static double[][] multiply(double[][] p, double[][] q) {
        int d = p.length;
        double[][] out = new double[d][d];
        for (int i = 0; i < d; i++) {
            for (int k = 0; k < d; k++) {
                double v = p[i][k];
                for (int j = 0; j < d; j++) {
                    out[i][j] += v * q[k][j];
                }
            }
        }
        return out;
    }

    private static double[][] symmetric(double[][] p) {
        int d = p.length;
        double[][] out = new double[d][d];
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < d; j++) {
                out[i][j] = (p[i][j] + p[j][i]) / 2;
            }
        }
        return out;
    }

    @Override
    public String toString() {
        return "BuresWasserstein[ridge=" + ridge + "]";
    }

    /** Builder for {@link BuresWasserstein}. */
    public static final class Builder {
        private double ridge;

        private Builder() {
        }

        /**
         * Added to the diagonal of both fitted covariances, in squared units (default 0; {@code 1e-6} matches POT's
         * {@code OT_mapping_linear} default).
         *
         * @throws IllegalArgumentException if {@code ridge} is negative or not finite
         */
        public Builder ridge(double ridge) {
            if (!(ridge >= 0) || Double.isInfinite(ridge)) {
                throw new IllegalArgumentException("ridge must be >= 0 and finite, got " + ridge);
            }
            this.ridge = ridge;
            return this;
        }

        public BuresWasserstein build() {
            return new BuresWasserstein(ridge);
        }
    }
}
