package org.lipot.transport.sliced;

import java.util.SplittableRandom;
import java.util.stream.IntStream;

import org.apache.commons.math3.distribution.NormalDistribution;
import org.apache.commons.math3.random.SobolSequenceGenerator;
import org.lipot.transport.Solver;
import org.lipot.transport.Status;
import org.lipot.transport.TransportProblem;
import org.lipot.transport.exact.MonotoneRearrangement;
import org.lipot.transport.geometry.Cost;
import org.lipot.transport.geometry.PointCloud;

/**
 * Sliced Wasserstein between weighted point clouds in {@code R^d}: with unit directions {@code theta_1..theta_K},
 * <pre>
 *   SW_p^p(mu, nu) = (1 / K) sum_k W_p^p(theta_k # mu, theta_k # nu),
 * </pre>
 * the mean of the exact 1-D costs between the clouds projected on each direction ({@link MonotoneRearrangement}), a
 * Monte Carlo estimate of the integral over the sphere. The exponent comes from the cost: {@code p = 2} for
 * {@link Cost#SQUARED_EUCLIDEAN} (the value is {@code SW_2^2}, POT's {@code sliced_wasserstein_distance} squared),
 * {@code p = 1} for {@link Cost#EUCLIDEAN}. Directions are seeded Gaussian vectors normalised to the sphere,
 * quasi-Monte-Carlo (Sobol) points mapped to the sphere, or given.
 * Directions run in parallel on the common fork-join pool. Immutable and thread-safe.
 */
public final class SlicedWasserstein implements Solver<SlicedResult> {

    private final int projections;
    private final long seed;
    private final boolean sobol;
    private final double[][] fixed;

    private SlicedWasserstein(Builder b) {
        this.projections = b.projections;
        this.seed = b.seed;
        this.sobol = b.sobol;
        this.fixed = b.fixed;
    }

    /** Defaults: 50 random directions, seed 0. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Projects and compares the problem's clouds.
     *
     * @throws IllegalArgumentException if the geometry is not a {@link PointCloud} under the squared Euclidean or
     *                                  Euclidean cost, or given directions have another dimension
     */
    @Override
    public SlicedResult solve(TransportProblem problem) {
        if (problem == null) {
            throw new IllegalArgumentException("problem must not be null");
        }
        if (!(problem.geometry() instanceof PointCloud cloud)
                || (cloud.costFunction() != Cost.SQUARED_EUCLIDEAN && cloud.costFunction() != Cost.EUCLIDEAN)) {
            throw new IllegalArgumentException("sliced Wasserstein needs point clouds under the squared Euclidean or"
                    + " Euclidean cost, got " + problem.geometry());
        }
        int d = cloud.dimension();
        double[][] dirs = fixed != null ? fixed : sobol ? sobol(projections, d) : random(projections, d, seed);
        if (dirs[0].length != d) {
            throw new IllegalArgumentException("the directions have dimension " + dirs[0].length + " but the clouds "
                    + d);
        }
        int n = cloud.sourceCount();
        int m = cloud.targetCount();
        double[] x = new double[n * d];
        double[] y = new double[m * d];
        for (int i = 0; i < n; i++) {
            System.arraycopy(cloud.source(i), 0, x, i * d, d);
        }
        for (int j = 0; j < m; j++) {
            System.arraycopy(cloud.target(j), 0, y, j * d, d);
        }
        double[] a = problem.source().isUniform() ? null : problem.source().toArray();
        double[] b = problem.target().isUniform() ? null : problem.target().toArray();
        MonotoneRearrangement line = MonotoneRearrangement.builder()
                .exponent(cloud.costFunction() == Cost.EUCLIDEAN ? 1 : 2).build();
        double[] per = new double[dirs.length];
        IntStream.range(0, dirs.length).parallel().forEach(k ->
                per[k] = line.value(project(x, d, dirs[k]), a, project(y, d, dirs[k]), b));
        double mean = 0;
        for (double v : per) {
            mean += v;
        }
        mean /= per.length;
        double var = 0;
        for (double v : per) {
            var += (v - mean) * (v - mean);
        }
        double se = per.length > 1 ? Math.sqrt(var / (per.length - 1) / per.length) : 0;
        return new SlicedResult(mean, Double.isFinite(mean) ? Status.OPTIMAL : Status.NUMERICAL_ERROR, per,
                dirs, se);
    }

    /** {@code <x_i, theta>} for every point of the row-major {@code x}. */
    private static double[] project(double[] x, int d, double[] theta) {
        double[] out = new double[x.length / d];
        for (int i = 0; i < out.length; i++) {
            double s = 0;
            for (int k = 0; k < d; k++) {
                s += x[i * d + k] * theta[k];
            }
            out[i] = s;
        }
        return out;
    }

    /** {@code count} directions uniform on the sphere: seeded Gaussian vectors, normalised. */
    /**
     * The directions {@link Builder#seed} gives: {@code count} unit vectors in dimension {@code d}, seeded Gaussian
     * vectors normalised (uniform on the sphere), the same on every machine for the same arguments.
     */
    public static double[][] randomDirections(int count, int d, long seed) {
        if (count < 1 || d < 1) {
            throw new IllegalArgumentException("count and d must be >= 1, got " + count + ", " + d);
        }
        return random(count, d, seed);
    }

    static double[][] random(int count, int d, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[][] out = new double[count][d];
        for (double[] theta : out) {
            double norm;
            do {
                norm = 0;
                for (int k = 0; k < d; k++) {
                    theta[k] = rng.nextGaussian();
                    norm += theta[k] * theta[k];
                }
            } while (norm == 0);
            norm = Math.sqrt(norm);
            for (int k = 0; k < d; k++) {
                theta[k] /= norm;
            }
        }
        return out;
    }

    /**
     * {@code count} quasi-Monte-Carlo directions: points 1..count of the Sobol sequence in {@code [0, 1)^d} (Commons
     * Math, Joe-Kuo direction numbers; point 0, the origin, is skipped), mapped to Gaussian vectors by the inverse
     * normal CDF per coordinate and normalised, which keeps the low discrepancy on the sphere.
     */
    static double[][] sobol(int count, int d) {
        SobolSequenceGenerator sequence = new SobolSequenceGenerator(d);
        sequence.skipTo(1);
        NormalDistribution normal = new NormalDistribution(null, 0, 1);
        double[][] out = new double[count][];
        for (int k = 0; k < count; k++) {
            double[] u = sequence.nextVector();
            double norm = 0;
            for (int c = 0; c < d; c++) {
                u[c] = normal.inverseCumulativeProbability(u[c]);
                norm += u[c] * u[c];
            }
            norm = Math.sqrt(norm);
            for (int c = 0; c < d; c++) {
                u[c] /= norm;
            }
            out[k] = u;
        }
        return out;
    }

    /** Builder for {@link SlicedWasserstein}. */
    public static final class Builder {
        private int projections = 50;
        private long seed;
        private boolean sobol;
        private double[][] fixed;

        private Builder() {
        }

        /** The number {@code K >= 1} of random directions (default 50). */
        public Builder projections(int k) {
            if (k < 1) {
                throw new IllegalArgumentException("projections must be >= 1, got " + k);
            }
            this.projections = k;
            this.fixed = null;
            return this;
        }

        /**
         * Quasi-Monte-Carlo directions from the Sobol sequence instead of random ones (default false). They are
         * deterministic (the seed is unused), and {@link SlicedResult#standardError} is then not an error bound:
         * the QMC error is usually smaller.
         */
        public Builder quasiMonteCarlo(boolean sobol) {
            this.sobol = sobol;
            return this;
        }

        /** The seed of the random directions (default 0). */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /**
         * Fixed directions instead of random ones: {@code K x d}, each non-zero and finite; normalised to unit length.
         *
         * @throws IllegalArgumentException naming the bad direction
         */
        public Builder directions(double[][] directions) {
            if (directions == null || directions.length == 0) {
                throw new IllegalArgumentException("directions must hold at least one direction");
            }
            int d = directions[0] == null ? 0 : directions[0].length;
            double[][] out = new double[directions.length][];
            for (int k = 0; k < directions.length; k++) {
                double[] t = directions[k];
                if (t == null || t.length != d || d == 0) {
                    throw new IllegalArgumentException("direction " + k + " must have " + d + " > 0 coordinates");
                }
                double norm = 0;
                for (double c : t) {
                    if (!Double.isFinite(c)) {
                        throw new IllegalArgumentException("direction " + k + " holds " + c);
                    }
                    norm += c * c;
                }
                if (!(norm > 0)) {
                    throw new IllegalArgumentException("direction " + k + " is zero");
                }
                out[k] = t.clone();
                for (int c = 0; c < d; c++) {
                    out[k][c] /= Math.sqrt(norm);
                }
            }
            this.fixed = out;
            return this;
        }

        public SlicedWasserstein build() {
            return new SlicedWasserstein(this);
        }
    }
}
