package org.lipot.transport.map;

import org.lipot.transport.TransportProblem;
import org.lipot.transport.entropic.EntropicSolution;
import org.lipot.transport.entropic.Sinkhorn;
import org.lipot.transport.geometry.Cost;
import org.lipot.transport.geometry.PointCloud;

/**
 * The entropic transport map (Pooladian and Niles-Weed, 2021): the conditional mean of the entropic plan extended
 * to any source point through the target potential {@code g},
 * <pre>
 *   T(x) = sum_j w_j(x) y_j,    w_j(x) = b_j exp((g_j - c(x, y_j)) / eps) / sum_k b_k exp((g_k - c(x, y_k)) / eps),
 * </pre>
 * with the potentials of the convention {@code P_ij = a_i b_j exp((f_i + g_j - C_ij) / eps)} (potentials in cost
 * units, {@code eps} absolute on the cost). On the source sample it is the barycentric projection of the entropic
 * plan {@code P}; for the squared Euclidean cost {@code |x - y|^2} it equals {@code x - grad f_eps(x) / 2}, the
 * gradient of the extended potential {@code f_eps(x) = -eps log sum_j b_j exp((g_j - c(x, y_j)) / eps)}, which
 * converges to the Brenier map as {@code eps -> 0} and the samples grow.
 *
 * <p>The weights are computed with the largest exponent subtracted first (log-sum-exp), so the map stays finite for
 * any {@code eps > 0}: as {@code eps -> 0} it tends to the {@code y_j} that minimises {@code c(x, y_j) - g_j}
 * (the c-transform's argmin). {@link #apply(double[])} costs {@code O(m d)}.
 */
public final class EntropicMap implements TransportMap {

    private final double[][] targets;
    private final double[] logWeight; // log b_j + g_j / eps
    private final double epsilon;
    private final Cost cost;
    private final int dimension;

    private EntropicMap(double[][] targets, double[] logWeight, double epsilon, Cost cost) {
        this.targets = targets;
        this.logWeight = logWeight;
        this.epsilon = epsilon;
        this.cost = cost;
        this.dimension = targets[0].length;
    }

    /**
     * The map of a target sample with weights {@code b} and potential {@code g}.
     *
     * @param y       target points, {@code m x d} (copied)
     * @param b       target weights, positive (a weight of 0 drops the point); any total
     * @param g       the target potential, in cost units, finite
     * @param epsilon the regularisation the potential was computed with, absolute on the cost, {@code > 0}
     * @param cost    the ground cost
     * @throws IllegalArgumentException naming the argument if one is null, empty, ragged, not finite, of the wrong
     *                                  length, negative, or all weights are 0
     */
    public static EntropicMap of(double[][] y, double[] b, double[] g, double epsilon, Cost cost) {
        if (y == null || b == null || g == null || cost == null) {
            throw new IllegalArgumentException((y == null ? "y" : b == null ? "b" : g == null ? "g" : "cost")
                    + " must not be null");
        }
        if (!(epsilon > 0) || epsilon == Double.POSITIVE_INFINITY) {
            throw new IllegalArgumentException("epsilon must be a positive finite number, got " + epsilon);
        }
        int m = y.length;
        if (m == 0 || y[0] == null || y[0].length == 0) {
            throw new IllegalArgumentException("y must hold at least one point of dimension >= 1");
        }
        if (b.length != m || g.length != m) {
            throw new IllegalArgumentException("y has " + m + " points but b has length " + b.length + " and g "
                    + g.length);
        }
        int d = y[0].length;
        int kept = 0;
        for (int j = 0; j < m; j++) {
            if (y[j] == null || y[j].length != d) {
                throw new IllegalArgumentException("y: point " + j + " has dimension "
                        + (y[j] == null ? "null" : y[j].length) + " but point 0 has " + d);
            }
            for (double v : y[j]) {
                if (!Double.isFinite(v)) {
                    throw new IllegalArgumentException("y: point " + j + " holds " + v);
                }
            }
            if (!(b[j] >= 0) || b[j] == Double.POSITIVE_INFINITY) {
                throw new IllegalArgumentException("b: weight " + j + " is " + b[j]);
            }
            if (!Double.isFinite(g[j])) {
                throw new IllegalArgumentException("g: potential " + j + " is " + g[j]);
            }
            if (b[j] > 0) {
                kept++;
            }
        }
        if (kept == 0) {
            throw new IllegalArgumentException("b: all weights are 0");
        }
        double[][] targets = new double[kept][];
        double[] logWeight = new double[kept];
        for (int j = 0, k = 0; j < m; j++) {
            if (b[j] > 0) {
                targets[k] = y[j].clone();
                logWeight[k++] = Math.log(b[j]) + g[j] / epsilon;
            }
        }
        return new EntropicMap(targets, logWeight, epsilon, cost);
    }

    /**
     * The map of a solved entropic problem: the target points and cost of its {@link PointCloud}, its target weights
     * {@code b}, and the solution's target potential {@code g} and epsilon. On the source sample it is the
     * barycentric projection of {@code solution.plan()} (to the solve's convergence).
     *
     * @param problem  the problem {@code solution} solves; its geometry must be a {@link PointCloud}
     * @param solution a {@link Sinkhorn} solution of {@code problem}
     * @throws IllegalArgumentException if an argument is null, the geometry is not a point cloud, or the solution's
     *                                  target potential does not have one entry per target point
     */
    public static EntropicMap of(TransportProblem problem, EntropicSolution solution) {
        if (problem == null || solution == null) {
            throw new IllegalArgumentException((problem == null ? "problem" : "solution") + " must not be null");
        }
        if (!(problem.geometry() instanceof PointCloud cloud)) {
            throw new IllegalArgumentException("problem: the entropic map needs a PointCloud geometry (it moves points"
                    + " towards the target points), got " + problem.geometry());
        }
        double[][] y = new double[cloud.targetCount()][];
        for (int j = 0; j < y.length; j++) {
            y[j] = cloud.target(j);
        }
        double[] g = solution.targetPotential();
        if (g.length != y.length) {
            throw new IllegalArgumentException("solution has a target potential of length " + g.length
                    + " but the problem has " + y.length + " target points");
        }
        return of(y, problem.target().toArray(), g, solution.epsilon(), cloud.costFunction());
    }

    /** The regularisation {@code eps}, absolute on the cost. */
    public double epsilon() {
        return epsilon;
    }

    @Override
    public int dimension() {
        return dimension;
    }

    @Override
    public double[] apply(double[] x) {
        TransportMap.checkPoint(x, dimension);
        int m = targets.length;
        double[] s = new double[m];
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < m; j++) {
            s[j] = logWeight[j] - cost.between(x, targets[j]) / epsilon;
            max = Math.max(max, s[j]);
        }
        if (!Double.isFinite(max)) {
            throw new IllegalArgumentException("the cost from the point to every target is not finite (max exponent "
                    + max + ")");
        }
        double total = 0;
        double[] out = new double[dimension];
        for (int j = 0; j < m; j++) {
            double w = Math.exp(s[j] - max); // in (0, 1], and 1 for the largest
            total += w;
            double[] yj = targets[j];
            for (int k = 0; k < dimension; k++) {
                out[k] += w * yj[k];
            }
        }
        for (int k = 0; k < dimension; k++) {
            out[k] /= total;
        }
        return out;
    }
}
