package org.lipot.transport.barycenter;

import org.lipot.transport.internal.Arguments;

import java.util.Arrays;

import org.lipot.transport.Marginals;
import org.lipot.transport.PlanResult;
import org.lipot.transport.Solver;
import org.lipot.transport.Status;
import org.lipot.transport.TransportProblem;
import org.lipot.transport.exact.NetworkSimplex;
import org.lipot.transport.geometry.PointCloud;
import org.lipot.transport.internal.RowBlocks;

/**
 * The Wasserstein-2 barycenter of point clouds with a free support (Cuturi and Doucet, "Fast computation of
 * Wasserstein barycenters", 2014; POT's {@code ot.lp.free_support_barycenter}):
 * <pre>
 *   min_Y  sum_k w_k W_2^2(sum_i a_i delta_{y_i}, mu_k),   mu_k = sum_j b_kj delta_{x_kj},
 * </pre>
 * over the positions {@code Y} of {@code N} points with fixed weights {@code a}. Each round solves the {@code k}
 * transports {@code P_k} from the current {@code Y} (squared Euclidean cost) with the configured plan-based solver,
 * then moves every point to the weighted mean of where it sends its mass,
 * <pre>
 *   y_i <- sum_k w_k sum_j P_k[i][j] x_kj / sum_j P_k[i][j],
 * </pre>
 * which minimises the objective for fixed plans. The objective never increases (with an exact solver), and the
 * rounds stop when {@code sum_i a_i |y_i_new - y_i|^2 <= tolerance} (squared units of the points). The result's
 * value is the objective at the returned points, from plans solved there.
 *
 * <p>The solver is {@link NetworkSimplex} by default (exact); an entropic
 * {@link org.lipot.transport.entropic.Sinkhorn} gives a smoothed barycenter faster. The problem is not convex in
 * {@code Y}: the result is a local minimum that depends on the initial points. The {@code k} transports of a round
 * run in parallel. Immutable and thread-safe.
 */
public final class FreeSupportBarycenter {

    private final Solver<? extends PlanResult> solver;
    private final double tolerance;
    private final int maxIterations;
    private final int threads;

    private FreeSupportBarycenter(Builder b) {
        this.solver = b.solver;
        this.tolerance = b.tolerance;
        this.maxIterations = b.maxIterations;
        this.threads = b.threads;
    }

    /** A builder with the defaults: exact transport, tolerance 1e-12, 100 rounds. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The barycenter of {@code clouds}, starting from {@code initial}.
     *
     * @param clouds         the inputs {@code x_k}, each {@code n_k x d}
     * @param cloudWeights   their weights {@code b_k} (each summing to 1, or {@code null} for uniform); the array
     *                       itself may be {@code null} for all uniform
     * @param weights        the barycenter weights {@code w_k >= 0} summing to 1, or {@code null} for {@code 1 / k}
     * @param initial        the starting points {@code Y}, {@code N x d}
     * @param initialWeights the barycenter's point weights {@code a} (summing to 1, kept fixed), or {@code null} for
     *                       uniform
     * @throws IllegalArgumentException for empty, ragged, non-finite or mis-sized inputs or weights
     */
    public FreeSupportResult solve(double[][][] clouds, double[][] cloudWeights, double[] weights, double[][] initial,
                                   double[] initialWeights) {
        if (clouds == null || clouds.length == 0) {
            throw new IllegalArgumentException("clouds: at least one input is required");
        }
        int count = clouds.length;
        if (cloudWeights != null && cloudWeights.length != count) {
            throw new IllegalArgumentException("cloudWeights must have one entry per cloud (" + count + "), got "
                    + cloudWeights.length);
        }
        double[] w = Inputs.weights(weights, count);
        PointCloud start;
        try {
            start = PointCloud.squaredEuclidean(initial, initial);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("initial: " + e.getMessage(), e);
        }
        double[][] y = start.sourcePoints();
        int n = y.length;
        int d = y[0].length;
        Marginals a = Marginals.of(initialWeights == null ? uniform(n)
                : Inputs.probability(initialWeights, n, "initialWeights", "one per initial point"));
        double[][][] x = new double[count][][];
        Marginals[] b = new Marginals[count];
        for (int k = 0; k < count; k++) {
            try {
                x[k] = PointCloud.squaredEuclidean(initial, clouds[k]).targetPoints();
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("clouds[" + k + "]: " + e.getMessage(), e);
            }
            double[] bk = cloudWeights == null || cloudWeights[k] == null ? uniform(x[k].length)
                    : Inputs.probability(cloudWeights[k], x[k].length, "cloudWeights[" + k + "]", "one per point");
            b[k] = Marginals.of(bk);
        }
        PlanResult[] plans = new PlanResult[count];
        Status status;
        double displacement = Double.POSITIVE_INFINITY;
        double value;
        int rounds = 0;
        RowBlocks pool = new RowBlocks(Math.min(threads, count));
        while (true) {
            double[][] current = y;
            pool.each(count, (worker, k) -> plans[k] = solver.solve(TransportProblem.of(
                    PointCloud.squaredEuclidean(current, x[k]), a, b[k])));
            value = 0;
            Status failed = null;
            for (int k = 0; k < count; k++) {
                value += w[k] * plans[k].value();
                if (!plans[k].converged() && failed == null) {
                    failed = plans[k].status();
                }
            }
            if (failed != null || displacement <= tolerance || rounds == maxIterations) {
                status = failed != null ? failed
                        : displacement <= tolerance ? Status.CONVERGED : Status.MAX_ITERATIONS;
                break;
            }
            rounds++;
            double[][] next = new double[n][d];
            for (int k = 0; k < count; k++) {
                accumulate(plans[k], x[k], w[k], next);
            }
            displacement = 0;
            for (int i = 0; i < n; i++) {
                double s = 0;
                for (int c = 0; c < d; c++) {
                    s += (next[i][c] - y[i][c]) * (next[i][c] - y[i][c]);
                }
                displacement += a.get(i) * s;
            }
            y = next;
        }
        return new FreeSupportResult(y, a.toArray(), value, status, rounds, displacement);
    }

    /** Adds {@code weight} times each point's conditional mean under {@code plan} to {@code out}. */
    private static void accumulate(PlanResult plan, double[][] x, double weight, double[][] out) {
        int n = out.length;
        int d = out[0].length;
        double[] mass = new double[n];
        double[][] sum = new double[n][d];
        plan.plan().forEachNonZero((i, j, p) -> {
            mass[i] += p;
            for (int c = 0; c < d; c++) {
                sum[i][c] += p * x[j][c];
            }
        });
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < d; c++) {
                // a point without mass (weight 0) has no transport: it stays where the other inputs put it
                out[i][c] += mass[i] > 0 ? weight * sum[i][c] / mass[i] : 0;
            }
        }
    }

    private static double[] uniform(int n) {
        double[] u = new double[n];
        Arrays.fill(u, 1.0 / n);
        return u;
    }

    /** Builder for {@link FreeSupportBarycenter}. */
    public static final class Builder {
        private Solver<? extends PlanResult> solver = NetworkSimplex.builder().build();
        private double tolerance = 1e-12;
        private int maxIterations = 100;
        private int threads = Runtime.getRuntime().availableProcessors();

        private Builder() {
        }

        /** The transport solver of each round (default: exact {@link NetworkSimplex}). */
        public Builder solver(Solver<? extends PlanResult> solver) {
            if (solver == null) {
                throw new IllegalArgumentException("solver must not be null");
            }
            this.solver = solver;
            return this;
        }

        /** Stop when the weighted squared displacement of a round is at most this (default 1e-12). */
        public Builder tolerance(double tolerance) {
            this.tolerance = Arguments.positive(tolerance, "tolerance");
            return this;
        }

        /** Most rounds (default 100). */
        public Builder maxIterations(int maxIterations) {
            this.maxIterations = Arguments.atLeastOne(maxIterations, "maxIterations");
            return this;
        }

        /** Transports solved in parallel (default: the available processors). */
        public Builder threads(int threads) {
            this.threads = Arguments.atLeastOne(threads, "threads");
            return this;
        }

        /** The configured solver. */
        public FreeSupportBarycenter build() {
            return new FreeSupportBarycenter(this);
        }
    }
}
