package org.lipot.transport.sliced;

import org.lipot.transport.Solver;
import org.lipot.transport.Status;
import org.lipot.transport.TransportProblem;
import org.lipot.transport.exact.MonotoneRearrangement;
import org.lipot.transport.geometry.Cost;
import org.lipot.transport.geometry.PointCloud;

/**
 * Max-sliced Wasserstein (Deshpande et al. 2019): {@code max_{|theta| = 1} W_p^p(theta # mu, theta # nu)}, the
 * largest 1-D cost over directions. Found in two stages: the best of {@code K} seeded random directions
 * ({@link SlicedWasserstein}), then projected gradient ascent on the sphere from it. With the optimal 1-D coupling
 * {@code pi} on the current direction, the gradient of {@code theta -> sum pi_ij |theta . (x_i - y_j)|^p} is
 * {@code sum pi_ij p |t_ij|^(p-1) sign(t_ij) (x_i - y_j)} with {@code t_ij = theta . (x_i - y_j)}; a step
 * {@code theta <- normalise(theta + eta g / |g|)} is kept only if the exact 1-D cost grows, otherwise {@code eta}
 * halves. The result is therefore never below the best random direction. The exponent comes from the cost as in
 * {@link SlicedWasserstein}. Immutable and thread-safe.
 */
public final class MaxSlicedWasserstein implements Solver<MaxSlicedResult> {

    private final int starts;
    private final int steps;
    private final long seed;

    private MaxSlicedWasserstein(Builder b) {
        this.starts = b.starts;
        this.steps = b.steps;
        this.seed = b.seed;
    }

    /** Defaults: 50 random starting directions, 100 ascent trials, seed 0. */
    public static Builder builder() {
        return new Builder();
    }

    /** @throws IllegalArgumentException as {@link SlicedWasserstein#solve} */
    @Override
    public MaxSlicedResult solve(TransportProblem problem) {
        SlicedResult random = SlicedWasserstein.builder().projections(starts).seed(seed).build().solve(problem);
        double[] per = random.perDirection();
        int best = 0;
        for (int k = 1; k < per.length; k++) {
            if (per[k] > per[best]) {
                best = k;
            }
        }
        PointCloud cloud = (PointCloud) problem.geometry();
        int d = cloud.dimension();
        double p = cloud.costFunction() == Cost.EUCLIDEAN ? 1 : 2;
        MonotoneRearrangement line = MonotoneRearrangement.builder().exponent(p).build();
        double[][] x = cloud.sourcePoints();
        double[][] y = cloud.targetPoints();
        double[] a = problem.source().toArray();
        double[] b = problem.target().toArray();
        double[] theta = random.directions()[best];
        double value = per[best];
        double eta = 0.5;
        long solves = starts;
        for (int s = 0; s < steps && eta > 1e-6; s++) {
            double[] g = gradient(line, theta, x, a, y, b, p);
            double norm = Math.sqrt(dot(g, g));
            if (!(norm > 0)) {
                break;
            }
            double[] trial = new double[d];
            for (int k = 0; k < d; k++) {
                trial[k] = theta[k] + eta * g[k] / norm;
            }
            double len = Math.sqrt(dot(trial, trial));
            for (int k = 0; k < d; k++) {
                trial[k] /= len;
            }
            double v = line.value(project(x, trial), a, project(y, trial), b);
            solves += 2;
            if (v > value) {
                value = v;
                theta = trial;
            } else {
                eta /= 2;
            }
        }
        return new MaxSlicedResult(value, Double.isFinite(value) ? Status.OPTIMAL : Status.NUMERICAL_ERROR, theta,
                solves);
    }

    /** The gradient of the 1-D cost on {@code theta} under its optimal coupling, held fixed. */
    private static double[] gradient(MonotoneRearrangement line, double[] theta, double[][] x, double[] a,
                                     double[][] y, double[] b, double p) {
        int d = theta.length;
        double[] g = new double[d];
        line.solve(project(x, theta), a, project(y, theta), b).plan().forEachNonZero((i, j, mass) -> {
            double t = 0;
            for (int k = 0; k < d; k++) {
                t += theta[k] * (x[i][k] - y[j][k]);
            }
            double w = mass * p * Math.pow(Math.abs(t), p - 1) * Math.signum(t);
            for (int k = 0; k < d; k++) {
                g[k] += w * (x[i][k] - y[j][k]);
            }
        });
        return g;
    }

    private static double[] project(double[][] points, double[] theta) {
        double[] out = new double[points.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = dot(points[i], theta);
        }
        return out;
    }

    private static double dot(double[] u, double[] v) {
        double s = 0;
        for (int k = 0; k < u.length; k++) {
            s += u[k] * v[k];
        }
        return s;
    }

    /** Builder for {@link MaxSlicedWasserstein}. */
    public static final class Builder {
        private int starts = 50;
        private int steps = 100;
        private long seed;

        private Builder() {
        }

        /** Random starting directions, {@code >= 1} (default 50). */
        public Builder starts(int starts) {
            if (starts < 1) {
                throw new IllegalArgumentException("starts must be >= 1, got " + starts);
            }
            this.starts = starts;
            return this;
        }

        /** Most ascent trials, {@code >= 0} (default 100; each costs two 1-D solves). */
        public Builder steps(int steps) {
            if (steps < 0) {
                throw new IllegalArgumentException("steps must be >= 0, got " + steps);
            }
            this.steps = steps;
            return this;
        }

        /** The seed of the starting directions (default 0). */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        public MaxSlicedWasserstein build() {
            return new MaxSlicedWasserstein(this);
        }
    }
}
