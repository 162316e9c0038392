package org.lipot.transport.entropic;

import org.lipot.transport.Marginals;
import org.lipot.transport.Solver;
import org.lipot.transport.Status;
import org.lipot.transport.TransportProblem;
import org.lipot.transport.geometry.Cost;
import org.lipot.transport.geometry.PointCloud;
import org.lipot.transport.internal.RowBlocks;

/**
 * The debiased Sinkhorn divergence between two weighted point clouds (Genevay, Peyré and Cuturi 2018; Feydy et al.
 * 2019), as GeomLoss's {@code SamplesLoss("sinkhorn", debias=True)} defines it:
 * <pre>
 *   S_eps(a, b) = OT_eps(a, b) - (OT_eps(a, a) + OT_eps(b, b)) / 2,
 *   OT_eps(a, b) = <a, f> + <b, g> = sum_i a_i f_i + sum_j b_j g_j,
 * </pre>
 * with {@code f}, {@code g} the converged potentials of {@link EntropicSolution}, {@code P_ij = a_i b_j exp((f_i +
 * g_j - C_ij) / eps)}. For weights of total 1, {@code OT_eps(a, b) = min_P <P, C> + eps KL(P | a x b)}; it differs
 * from {@link EntropicSolution#entropicObjective()} ({@code <P, C> + eps sum P (log P - 1)}, POT's convention) by
 * {@code eps (1 - sum_i a_i log a_i - sum_j b_j log b_j)}, a constant that cancels in {@code S_eps}, so every
 * entropy convention gives the same divergence. This is not POT's {@code empirical_sinkhorn_divergence}, which debiases
 * the linear costs {@code <P, C>} and clips at 0.
 *
 * <p>{@code S_eps(a, a) = 0}, and {@code S_eps >= 0} for the squared Euclidean and Euclidean costs (whose Gibbs
 * kernels are positive definite); it is not clipped, so round-off may show as about {@code -1e-15}. It interpolates
 * between W_p^p-like transport ({@code eps -> 0}) and a kernel MMD ({@code eps -> infinity}).
 *
 * <p><b>Solves.</b> The cross term {@code OT_eps(a, b)} is solved by the wrapped {@link Sinkhorn} as configured (mode,
 * tolerance, iteration cap, epsilon scaling, threads), warm-started from the self terms' potentials {@code (p, q)}:
 * for {@code a = b} on the same points that start is the solution, so {@code S_eps(a, a) = 0} to round-off (from
 * zero potentials, Sinkhorn on a self-transport problem of clustered points can stall for 10^5 sweeps at a marginal
 * violation near 1e-8), and for nearby measures, where {@code S_eps} is small and its accuracy matters most, it
 * starts close to the solution. The self terms use the symmetric update
 * {@code f <- (f + T_eps(f)) / 2}, with {@code T_eps(f)_i = -eps log sum_j a_j exp((f_j - C_ij) / eps)} the soft
 * c-transform against itself, in log-sum-exp form over row blocks ({@link SymmetricIteration}); it converges in a few
 * tens of sweeps and gives one symmetric potential. Their costs are stored ({@code n^2} doubles) when the wrapped
 * solver would store the cross problem's costs, else recomputed online; the same tolerance (L1 marginal violation)
 * and cap apply.
 *
 * <p><b>Units.</b> {@code eps} is absolute, in the cost's units; the value is in cost x mass units (for the squared
 * Euclidean cost, W_2^2-like). {@link #sourceGradient} gives {@code dS/dx_i} for the squared Euclidean cost.
 *
 * <p>Needs a {@link PointCloud} geometry (the self terms need the points) with a built-in cost (all symmetric). The
 * result's status is {@link Status#CONVERGED} only if all three solves converged. Immutable and thread-safe.
 */
public final class SinkhornDivergence implements Solver<DivergenceResult> {

    private final Sinkhorn sinkhorn;

    private SinkhornDivergence(Sinkhorn sinkhorn) {
        this.sinkhorn = sinkhorn;
    }

    /**
     * The divergence computed with {@code sinkhorn}'s configuration.
     *
     * @throws IllegalArgumentException if {@code sinkhorn} is null
     */
    public static SinkhornDivergence of(Sinkhorn sinkhorn) {
        if (sinkhorn == null) {
            throw new IllegalArgumentException("sinkhorn must not be null");
        }
        return new SinkhornDivergence(sinkhorn);
    }

    /** The absolute regularisation. */
    public double epsilon() {
        return sinkhorn.epsilon();
    }

    /**
     * {@code S_eps(a, b)} between the source and target clouds of {@code problem}.
     *
     * @throws IllegalArgumentException if the problem is null, its geometry is not a {@link PointCloud}, or its cost
     *                                  is a custom one
     */
    @Override
    public DivergenceResult solve(TransportProblem problem) {
        PointCloud cloud = cloud(problem);
        Cost cost = cloud.costFunction();
        double[][] x = sources(cloud);
        double[][] y = targets(cloud);
        return solve(problem, self(x, cost, problem.source()), self(y, cost, problem.target()));
    }

    /**
     * {@code S_eps(a, b)} from self terms solved beforehand with {@link #self}: for many pairs among the same clouds,
     * each cloud's self term is solved once.
     *
     * @param sourceSelf {@code self(source points, a)}
     * @param targetSelf {@code self(target points, b)}
     * @throws IllegalArgumentException as {@link #solve(TransportProblem)}, or if a self term's size is not its side's
     */
    public DivergenceResult solve(TransportProblem problem, EntropicSolution sourceSelf, EntropicSolution targetSelf) {
        cloud(problem);
        if (sourceSelf == null || targetSelf == null || sourceSelf.sourcePotential().length != problem.source().size()
                || targetSelf.sourcePotential().length != problem.target().size()) {
            throw new IllegalArgumentException("sourceSelf and targetSelf must be the self terms of the problem's two"
                    + " clouds");
        }
        EntropicSolution cross = sinkhorn.solve(problem, sourceSelf.sourcePotential(), targetSelf.sourcePotential());
        double[] a = problem.source().toArray();
        double[] b = problem.target().toArray();
        double[] f = cross.sourcePotential();
        double[] g = cross.targetPotential();
        double[] p = sourceSelf.sourcePotential();
        double[] q = targetSelf.sourcePotential();
        double value = 0;
        for (int i = 0; i < a.length; i++) {
            value += a[i] * (f[i] - p[i]);
        }
        for (int j = 0; j < b.length; j++) {
            value += b[j] * (g[j] - q[j]);
        }
        return new DivergenceResult(value, dot(a, f) + dot(b, g), 2 * dot(a, p), 2 * dot(b, q),
                cross, sourceSelf, targetSelf,
                cross.iterations() + sourceSelf.iterations() + targetSelf.iterations(),
                worst(cross.status(), sourceSelf.status(), targetSelf.status()));
    }

    /**
     * The self term {@code OT_eps(w, w)} of one weighted cloud under a built-in cost, by the symmetric update (see the
     * class comment): its {@code sourcePotential()} is the one symmetric potential.
     *
     * @throws IllegalArgumentException for empty or non-finite points, bad weights, or a custom cost
     */
    public EntropicSolution self(double[][] points, Cost cost, Marginals weights) {
        if (!(cost instanceof Cost.Named)) {
            throw new IllegalArgumentException("cost: the self terms need a symmetric cost c(x, y) = c(y, x), which"
                    + " only the built-in costs are known to be; got the custom cost " + cost);
        }
        return sinkhorn.solveSelf(TransportProblem.of(PointCloud.of(points, points, cost), weights, weights));
    }

    /**
     * The gradient of {@code S_eps} with respect to the source positions, for the squared Euclidean cost
     * {@code c(x, y) = |x - y|^2}. By the envelope theorem (the potentials are optimal, so their own variation
     * drops out), with the plans of the result
     * <pre>
     *   dS/dx_i = sum_j P^ab_ij grad_x c(x_i, y_j) - sum_j P^aa_ij grad_x c(x_i, x_j)
     *           = 2 sum_j P^ab_ij (x_i - y_j) - 2 sum_j P^aa_ij (x_i - x_j):
     * </pre>
     * in {@code OT_eps(a, a)} the point {@code x_i} enters both arguments, and the symmetric plan makes the two
     * contributions equal, which cancels the 1/2 in front of the self term. Units: cost x mass per unit of length.
     * Exact at the potentials of the result; as accurate as the solves are converged. {@code O(n (n + m) d)} time,
     * in parallel row blocks; the plans are computed row by row, not stored.
     *
     * @param problem the problem {@code result} was computed for
     * @param result  {@link #solve}'s result for {@code problem}
     * @return {@code n x d}
     * @throws IllegalArgumentException if the cost is not squared Euclidean, or the result's sizes are not the
     *                                  problem's
     */
    public double[][] sourceGradient(TransportProblem problem, DivergenceResult result) {
        PointCloud cloud = cloud(problem);
        if (cloud.costFunction() != Cost.SQUARED_EUCLIDEAN) {
            throw new IllegalArgumentException("cost: the gradient is implemented for the squared Euclidean cost only,"
                    + " got " + cloud.costFunction());
        }
        if (result == null) {
            throw new IllegalArgumentException("result must not be null");
        }
        int n = cloud.sourceCount();
        int m = cloud.targetCount();
        if (result.cross().sourcePotential().length != n || result.cross().targetPotential().length != m
                || result.sourceSelf().sourcePotential().length != n) {
            throw new IllegalArgumentException("result is for " + result.cross().sourcePotential().length + " source and "
                    + result.cross().targetPotential().length + " target points but the problem has " + n + " and " + m);
        }
        double[][] x = sources(cloud);
        double[][] y = targets(cloud);
        double[] logA = LogDomainIteration.logs(problem.source().toArray());
        double[] logB = LogDomainIteration.logs(problem.target().toArray());
        double[][] grad = new double[n][cloud.dimension()];
        RowBlocks blocks = new RowBlocks(sinkhorn.threads());
        addPlanGradient(x, y, logA, logB, result.cross(), 2, grad, blocks);
        addPlanGradient(x, x, logA, logA, result.sourceSelf(), -2, grad, blocks);
        return grad;
    }

    /**
     * {@code grad_i += scale sum_j P_ij (x_i - y_j)} for the Gibbs plan of {@code s} between {@code x} and {@code y}
     * under the squared Euclidean cost.
     */
    private static void addPlanGradient(double[][] x, double[][] y, double[] logA, double[] logB, EntropicSolution s,
                                        double scale, double[][] grad, RowBlocks blocks) {
        int m = y.length;
        int d = x[0].length;
        double eps = s.epsilon();
        double[] f = s.sourcePotential();
        double[] g = s.targetPotential();
        blocks.run(x.length, (blk, from, to) -> {
            double[] c = new double[m];
            double[] p = new double[m];
            for (int i = from; i < to; i++) {
                double[] xi = x[i];
                for (int j = 0; j < m; j++) {
                    c[j] = Cost.SQUARED_EUCLIDEAN.between(xi, y[j]);
                }
                LogDomainIteration.gibbsRow(logA[i] + f[i] / eps, c, g, logB, eps, p);
                double[] gi = grad[i];
                for (int j = 0; j < m; j++) {
                    double w = scale * p[j];
                    double[] yj = y[j];
                    for (int k = 0; k < d; k++) {
                        gi[k] += w * (xi[k] - yj[k]);
                    }
                }
            }
        });
    }

    private static PointCloud cloud(TransportProblem problem) {
        if (problem == null) {
            throw new IllegalArgumentException("problem must not be null");
        }
        if (!(problem.geometry() instanceof PointCloud cloud)) {
            throw new IllegalArgumentException("problem: the Sinkhorn divergence needs a PointCloud geometry (the self"
                    + " terms transport each cloud to itself), got " + problem.geometry());
        }
        return cloud;
    }

    private static double[][] sources(PointCloud cloud) {
        double[][] x = new double[cloud.sourceCount()][];
        for (int i = 0; i < x.length; i++) {
            x[i] = cloud.source(i);
        }
        return x;
    }

    private static double[][] targets(PointCloud cloud) {
        double[][] y = new double[cloud.targetCount()][];
        for (int j = 0; j < y.length; j++) {
            y[j] = cloud.target(j);
        }
        return y;
    }

    private static double dot(double[] u, double[] v) {
        double s = 0;
        for (int k = 0; k < u.length; k++) {
            s += u[k] * v[k];
        }
        return s;
    }

    private static Status worst(Status... statuses) {
        Status out = Status.CONVERGED;
        for (Status s : statuses) {
            if (s == Status.NUMERICAL_ERROR || (s == Status.MAX_ITERATIONS && out == Status.CONVERGED)) {
                out = s;
            }
        }
        return out;
    }

    @Override
    public String toString() {
        return "SinkhornDivergence[" + sinkhorn + "]";
    }
}
