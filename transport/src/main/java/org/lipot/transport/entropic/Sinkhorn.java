package org.lipot.transport.entropic;

import java.lang.System.Logger.Level;
import java.util.Arrays;

import org.lipot.transport.Solver;
import org.lipot.transport.Status;
import org.lipot.transport.TransportProblem;
import org.lipot.transport.geometry.Cost;
import org.lipot.transport.geometry.CostMatrix;
import org.lipot.transport.geometry.Geometry;
import org.lipot.transport.geometry.PointCloud;
import org.lipot.transport.internal.Arguments;
import org.lipot.transport.internal.RowBlocks;

/**
 * Entropic optimal transport by Sinkhorn's algorithm, stable at any epsilon.
 *
 * <p>Solves
 * <pre>
 *   min_P  <P, C> + eps sum_ij P_ij (log P_ij - 1)   subject to  P >= 0,  P 1 = a,  P^T 1 = b
 * </pre>
 * whose solution has the form {@code P_ij = a_i b_j exp((f_i + g_j - C_ij) / eps)} (see {@link EntropicSolution}
 * for the conventions). Each sweep updates {@code f} so that the row sums are exact, measures the column-marginal
 * violation {@code sum_j |sum_i P_ij - b_j|} of that plan, and, unless it is below the tolerance at a check (every
 * {@link Builder#checkPeriod} sweeps, or earlier when the violation comes close), updates {@code g} so that the
 * column sums are exact: the ordering of POT's
 * {@code ot.sinkhorn}, whose plan after the row update is the one returned.
 *
 * <p><b>Units.</b> {@code epsilon} is absolute, in the cost's units (for a cost scaled to {@code max C = 1},
 * {@code eps = 0.01} is "1 % of the largest cost"); {@link #relativeEpsilon} converts a fraction of the largest
 * cost. {@code tolerance} is absolute, in mass units, against the weights (which sum to 1 for probability
 * measures).
 *
 * <p><b>Modes</b> ({@link Mode}): {@code KERNEL} scales a stored, stabilised kernel (one multiply-add per entry and
 * sweep, memory {@code 2 n m} doubles); {@code LOG} applies log-sum-exp updates (one {@code exp} per entry and
 * half-sweep, about 10-20 times slower), on stored costs or, {@link Builder#online online}, on costs recomputed from
 * a {@link PointCloud}'s coordinates in every sweep (memory {@code O(n + m)}); {@code MULTISCALE} solves a coarsened
 * problem first and then sweeps only over the point pairs whose plan mass may matter (squared Euclidean clouds,
 * memory {@code O(n + m)}); {@code AUTO} (default) is {@code KERNEL} when {@code n m <= denseLimit} or the geometry
 * is a {@link CostMatrix}, else {@code MULTISCALE} for a squared Euclidean cloud and online {@code LOG} for others.
 * All modes run the same iteration and agree to rounding. None produces NaN or infinity from under- or overflow:
 * the kernel is re-stabilised by absorbing the scalings into the potentials, and a row or column whose kernel
 * underflows is updated in the log domain (see {@link KernelIteration}).
 *
 * <p><b>Status.</b> {@link Status#CONVERGED} once the violation is below {@code tolerance} at the target epsilon;
 * {@link Status#MAX_ITERATIONS} (with a logged warning) if {@code maxIterations} sweeps came first, the result
 * then holds the last plan and potentials; {@link Status#NUMERICAL_ERROR} if a NaN appeared or the final
 * potentials or value are not finite (a custom cost returning NaN, for example).
 *
 * <p><b>Weights.</b> The weights' totals agree to {@link TransportProblem#TOTAL_TOLERANCE}; {@code b} is scaled by
 * {@code sum a / sum b} so that the iteration can balance (as the exact solvers do), and the reported marginal
 * errors are measured against the weights as given.
 *
 * <p>Immutable and thread-safe. Each solve uses {@code threads} worker threads of its own.
 */
public final class Sinkhorn implements Solver<EntropicSolution> {

    /** How the iteration is computed. */
    public enum Mode {
        /** Stabilised kernel scaling on a stored {@code n x m} kernel: the fastest, memory {@code 2 n m} doubles. */
        KERNEL,
        /** Log-sum-exp updates: stored costs, or costs from coordinates with {@link Builder#online}. */
        LOG,
        /**
         * {@link #KERNEL} up to {@link Builder#denseLimit} entries or for a cost matrix; above, {@link #MULTISCALE}
         * for a squared Euclidean point cloud and online {@link #LOG} for other costs.
         */
        AUTO,
        /**
         * Log-domain sweeps over only the blocks of point pairs whose plan mass may exceed a rigorous bound (kernel
         * truncation, see {@link MultiscaleIteration}), for large squared Euclidean point clouds; with the default
         * {@link Builder#coarseStart coarse start} this is the coarse-to-fine multiscale scheme. Memory
         * {@code O((n + m) d)}.
         */
        MULTISCALE
    }

    /** Points per cluster of a coarse level ({@link Builder#coarseStart}). */
    static final int COARSENING = 8;

    /**
     * In {@link Mode#MULTISCALE}, the share of the tolerance that truncation may drop: the kept blocks leave out
     * at most {@code TRUNCATION_SHARE * tolerance} of plan mass, and that bound is counted in the violation.
     */
    static final double TRUNCATION_SHARE = 0.1;

    /**
     * An intermediate epsilon-scaling stage ends once its column violation is below this fraction of the total
     * mass (or the tolerance, if larger): its potentials are only a warm start for the next stage.
     */
    static final double STAGE_TOLERANCE = 1e-3;

    /**
     * An over-relaxed sweep between checks whose violation is below this multiple of the stopping threshold makes the
     * next sweep a check (once per check period): a plain sweep after an over-relaxed one brings the violation down by a factor
     * of about 3, so the solve can stop there instead of at the end of the period. On the benchmark's clouds
     * (tolerance 1e-6) it took n = m = 2000 from 10 to 8 sweeps at eps 0.01 and from 50 to 40 at eps 0.001, and
     * n = m = 5000 from 10 to 7 at eps 0.01 (20 at eps 0.001 either way); a check that fails costs only the
     * relaxation of one sweep.
     */
    static final double EARLY_CHECK = 3;

    private static final System.Logger LOG = System.getLogger(Sinkhorn.class.getName());

    private final double epsilon;
    private final double tolerance;
    private final int checkPeriod;
    private final Precision precision;
    private final SinkhornProgress progress;
    private final long maxIterations;
    private final Mode mode;
    private final boolean online;
    private final long denseLimit;
    private final double scalingStart;
    private final double scalingFactor;
    private final int threads;
    private final boolean coarseStart;
    private final boolean overrelaxation;

    private Sinkhorn(Builder b) {
        this.epsilon = b.epsilon;
        this.tolerance = b.tolerance;
        this.checkPeriod = b.checkPeriod;
        this.precision = b.precision;
        this.progress = b.progress;
        this.maxIterations = b.maxIterations;
        this.mode = b.mode;
        this.online = b.online;
        this.denseLimit = b.denseLimit;
        this.scalingStart = b.scalingStart;
        this.scalingFactor = b.scalingFactor;
        this.threads = b.threads;
        this.coarseStart = b.coarseStart;
        this.overrelaxation = b.overrelaxation;
    }

    /** A builder; {@link Builder#epsilon} must be set. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * {@code fraction * max_ij |C_ij|}: an absolute epsilon relative to the largest cost of the problem (one pass
     * over all {@code n m} costs).
     *
     * @throws IllegalArgumentException if {@code fraction} is not positive and finite, or every cost is 0
     */
    public static double relativeEpsilon(TransportProblem problem, double fraction) {
        if (!(fraction > 0) || Double.isInfinite(fraction)) {
            throw new IllegalArgumentException("fraction must be positive and finite, got " + fraction);
        }
        Geometry geometry = problem.geometry();
        double max = 0;
        for (int i = 0; i < geometry.sourceCount(); i++) {
            for (int j = 0; j < geometry.targetCount(); j++) {
                max = Math.max(max, Math.abs(geometry.cost(i, j)));
            }
        }
        if (!(max > 0) || Double.isInfinite(max)) {
            throw new IllegalArgumentException("the largest cost is " + max + ": no relative epsilon");
        }
        return fraction * max;
    }

    /** How the stored kernel of {@link Mode#KERNEL} holds its entries. */
    public enum Precision {
        /** Doubles: {@code 8 n m} bytes of kernel, entries rounded to {@code 2^-53} relative. The default. */
        FLOAT64,
        /**
         * Floats: {@code 4 n m} bytes of kernel, half the memory and the memory traffic of a sweep; entries rounded
         * to {@code 2^-24} relative, while the scalings, the potentials and every sum stay double. The kernel is
         * then that of the cost {@code C + eps delta} with {@code |delta_ij| <= 2^-24}, so the value moves by at most
         * about {@code 2^-24 max|C|} (plus the tolerance's effect), far below 1e-5 relative.
         */
        FLOAT32
    }

    /** Configuration of {@link Sinkhorn}. */
    public static final class Builder {
        private double epsilon = Double.NaN;
        private double tolerance = 1e-9;
        private int checkPeriod = 10;
        private Precision precision = Precision.FLOAT64;
        private SinkhornProgress progress;
        private long maxIterations = 100_000;
        private Mode mode = Mode.AUTO;
        private boolean online;
        private long denseLimit = 1L << 25;
        private double scalingStart = Double.NaN;
        private double scalingFactor = Double.NaN;
        private int threads = Runtime.getRuntime().availableProcessors();
        private boolean coarseStart = true;
        private boolean overrelaxation = true;

        private Builder() {
        }

        /**
         * The regularisation {@code eps}, absolute in the cost's units (required). Smaller is closer to exact OT
         * and slower: the number of sweeps grows roughly like {@code max C / eps}.
         *
         * @throws IllegalArgumentException unless positive and finite
         */
        public Builder epsilon(double epsilon) {
            this.epsilon = Arguments.positive(epsilon, "epsilon");
            return this;
        }

        /**
         * Stop once {@code sum_j |sum_i P_ij - b_j|} (mass units) is below this, checked every
         * {@link #checkPeriod} sweeps. Default 1e-9.
         *
         * @throws IllegalArgumentException unless positive and finite
         */
        public Builder tolerance(double tolerance) {
            this.tolerance = Arguments.positive(tolerance, "tolerance");
            return this;
        }

        /**
         * Most sweeps in total, epsilon-scaling stages included. Default 100 000.
         *
         * @throws IllegalArgumentException if below 1
         */
        public Builder maxIterations(long maxIterations) {
            this.maxIterations = Arguments.atLeastOne(maxIterations, "maxIterations");
            return this;
        }

        /** The mode; default {@link Mode#AUTO}. */
        public Builder mode(Mode mode) {
            if (mode == null) {
                throw new IllegalArgumentException("mode must not be null");
            }
            this.mode = mode;
            return this;
        }

        /**
         * Recompute costs from the coordinates of a {@link PointCloud} in every sweep instead of storing them
         * (log-domain updates, memory {@code O(n + m)}). Needs a point cloud, and mode {@code LOG} or {@code AUTO}.
         */
        public Builder online(boolean online) {
            this.online = online;
            return this;
        }

        /**
         * In {@link Mode#AUTO}, the largest {@code n m} for which a point cloud's kernel is stored (two arrays of
         * {@code n m} doubles); above it, {@code AUTO} runs {@code MULTISCALE} or online. In {@link Mode#MULTISCALE},
         * the size below which a coarse level is solved with a stored kernel. Default 2^25 (512 MB for both arrays).
         *
         * @throws IllegalArgumentException if negative or above {@link CostMatrix#MAX_ENTRIES}
         */
        public Builder denseLimit(long entries) {
            if (entries < 0 || entries > CostMatrix.MAX_ENTRIES) {
                throw new IllegalArgumentException("denseLimit must be in [0, " + CostMatrix.MAX_ENTRIES + "], got " + entries);
            }
            this.denseLimit = entries;
            return this;
        }

        /**
         * Epsilon scaling: solve first at {@code start} (absolute), then at {@code start factor^k} for
         * {@code k = 1, 2, ...} until the target epsilon, each stage warm-started from the previous potentials
         * and stopped at a loose violation ({@value #STAGE_TOLERANCE} of the mass); only the last stage uses the
         * tolerance. Helps at small epsilon, where a cold start needs many sweeps. Off by default. A start at or
         * below the target epsilon means no scaling.
         *
         * @param start  the first epsilon, positive and finite
         * @param factor the ratio between stages, in {@code (0, 1)}
         * @throws IllegalArgumentException for other values
         */
        public Builder epsilonScaling(double start, double factor) {
            if (!(start > 0) || Double.isInfinite(start)) {
                throw new IllegalArgumentException("epsilonScaling start must be positive and finite, got " + start);
            }
            if (!(factor > 0 && factor < 1)) {
                throw new IllegalArgumentException("epsilonScaling factor must be in (0, 1), got " + factor);
            }
            this.scalingStart = start;
            this.scalingFactor = factor;
            return this;
        }

        /**
         * Start a squared Euclidean point-cloud problem (at least {@value Coarsening#MIN_POINTS} points on each
         * side, no warm start given) from a coarsened one: both clouds are cut into k-d clusters of
         * {@value #COARSENING} points, the problem between the clusters is solved first (itself coarsened, down to
         * a few points; by {@link Mode#MULTISCALE} above {@link #denseLimit} entries, else the stored kernel), and
         * its potentials are carried to the points (by the second-order expansions of their soft c-transforms, or
         * the transforms themselves, see {@link Coarsening}); the chosen mode then iterates from there,
         * at the target epsilon only (epsilon scaling, if set, runs on the coarsest level). The fixed point is the
         * same, reached in several times fewer sweeps (see {@link Coarsening}). Default {@code true};
         * {@code false} (with {@link #overrelaxation overrelaxation(false)}) gives the classical iteration from zero
         * potentials, sweep for sweep POT's.
         */
        public Builder coarseStart(boolean coarseStart) {
            this.coarseStart = coarseStart;
            return this;
        }

        /**
         * Over-relax the updates between checks by a factor {@code omega} in {@code [1, 1.9]} chosen from the observed
         * convergence rate ({@link Overrelaxation}): {@code f <- f + omega (T(f) - f)}. Near the fixed point a sweep
         * then shrinks the violation by {@code omega - 1} instead of Sinkhorn's {@code theta} (0.7 against 0.97, for
         * example). The fixed point is the same, and the row update of a check sweep is plain, so the returned plan
         * has exact row sums as without it. Default {@code true}; {@code false}, with {@code coarseStart(false)},
         * gives the classical iteration, sweep for sweep POT's.
         */
        public Builder overrelaxation(boolean overrelaxation) {
            this.overrelaxation = overrelaxation;
            return this;
        }

        /**
         * Worker threads per solve (rows and columns are processed in parallel blocks). Default: the available
         * processors.
         *
         * @throws IllegalArgumentException if below 1
         */
        public Builder threads(int threads) {
            this.threads = Arguments.atLeastOne(threads, "threads");
            return this;
        }

        /**
         * Evaluate the stopping rule every {@code k} sweeps of a stage (and after the last sweep that
         * {@link #maxIterations} allows), and once per period early, at the sweep after an over-relaxed one whose
         * violation came within {@value #EARLY_CHECK} times the tolerance; {@link EntropicSolution#errorHistory()} holds one
         * violation per check. Default 10, POT's period.
         *
         * <p>Every mode measures the violation as a by-product of the sweep, so a larger period saves no work here:
         * a check's row update is plain (not over-relaxed), and a longer period thins the history and the
         * {@link #progress progress} calls. {@code k = 1} stops at the first sweep below the tolerance. A NaN
         * violation stops the solve at whatever sweep it appears.
         *
         * @throws IllegalArgumentException if below 1
         */
        public Builder checkPeriod(int k) {
            if (k < 1) {
                throw new IllegalArgumentException("checkPeriod must be >= 1, got " + k);
            }
            this.checkPeriod = k;
            return this;
        }

        /**
         * The storage of the kernel in {@link Mode#KERNEL}, and in {@link Mode#AUTO} whenever it picks the kernel;
         * default {@link Precision#FLOAT64}. The log-domain modes store no kernel: {@link #build()} refuses
         * {@code FLOAT32} with {@link Mode#LOG} or {@link #online online}, and {@code AUTO}'s online fallback above
         * {@link #denseLimit} runs in float64 (as do the self-transport solves of {@link SinkhornDivergence}, which
         * store costs, not a kernel). With {@code FLOAT32} the measured marginal errors and {@code <P, C>} are those
         * of the float32-kernel plan the iteration ran; the entries that {@link EntropicSolution#plan()} recomputes
         * from the potentials in double agree with it to {@code 2^-24} relative.
         */
        public Builder precision(Precision precision) {
            if (precision == null) {
                throw new IllegalArgumentException("precision must not be null");
            }
            this.precision = precision;
            return this;
        }

        /**
         * A listener called at every check with the stage, epsilon, sweeps so far and violation (see
         * {@link SinkhornProgress}); {@code null} (the default) for none. It has no effect on the result.
         */
        public Builder progress(SinkhornProgress progress) {
            this.progress = progress;
            return this;
        }

        /**
         * The solver.
         *
         * @throws IllegalArgumentException if epsilon was not set, online is asked with mode {@code KERNEL}, or
         *                                  precision {@code FLOAT32} with a mode that stores no kernel
         */
        public Sinkhorn build() {
            if (Double.isNaN(epsilon)) {
                throw new IllegalArgumentException("epsilon must be set");
            }
            if (online && (mode == Mode.KERNEL || mode == Mode.MULTISCALE)) {
                throw new IllegalArgumentException("online needs mode LOG or AUTO: the " + mode
                        + " mode chooses its own storage");
            }
            if (precision == Precision.FLOAT32 && (online || !(mode == Mode.KERNEL || mode == Mode.AUTO))) {
                throw new IllegalArgumentException("precision FLOAT32 is the storage of the kernel, and mode " + mode
                        + (online ? " online" : "") + " stores none: use mode KERNEL or AUTO, or FLOAT64");
            }
            return new Sinkhorn(this);
        }
    }

    /** The absolute regularisation. */
    public double epsilon() {
        return epsilon;
    }

    /** Solves from zero potentials. */
    @Override
    public EntropicSolution solve(TransportProblem problem) {
        return solve(problem, null, null);
    }

    /**
     * Solves, warm-started from potentials in {@link EntropicSolution}'s convention (for example those of a nearby
     * problem or a larger epsilon); {@code null} for both means zero potentials.
     *
     * @throws IllegalArgumentException if only one is given, a length does not match, or an entry is not finite;
     *                                  or if {@code online} is set and the geometry is not a point cloud
     */
    public EntropicSolution solve(TransportProblem problem, double[] sourcePotential, double[] targetPotential) {
        if (problem == null) {
            throw new IllegalArgumentException("problem must not be null");
        }
        int n = problem.sourceCount();
        int m = problem.targetCount();
        double[] f0 = warmStart("sourcePotential", sourcePotential, n, sourcePotential == null && targetPotential != null);
        double[] g0 = warmStart("targetPotential", targetPotential, m, targetPotential == null && sourcePotential != null);
        Geometry geometry = problem.geometry();
        if (online && !(geometry instanceof PointCloud)) {
            throw new IllegalArgumentException("online needs a PointCloud geometry, got " + geometry);
        }
        double[] a = problem.source().toArray();
        double[] bGiven = problem.target().toArray();
        double[] b = bGiven.clone();
        double scale = problem.source().total() / problem.target().total();
        for (int j = 0; j < m; j++) {
            b[j] *= scale;
        }
        boolean multiscale = mode == Mode.MULTISCALE
                || mode == Mode.AUTO && !online && !storesCosts(geometry) && squaredEuclidean(geometry);
        if (multiscale && !squaredEuclidean(geometry)) {
            throw new IllegalArgumentException("mode MULTISCALE needs a squared Euclidean PointCloud, got " + geometry);
        }
        double[] stages = stages();
        double omega0 = 1;
        int[][] orders = null;
        if (sourcePotential == null && coarseStart && squaredEuclidean(geometry)) {
            Coarsening.Start start = new Coarsening(this, (PointCloud) geometry, a, b).start();
            if (start != null) {
                f0 = start.f();
                g0 = start.g();
                omega0 = start.relaxation();
                stages = new double[] {epsilon};
                orders = new int[][] {start.sourceOrder(), start.targetOrder()};
            }
        }
        RowBlocks blocks = blocks((long) n * m);
        Iteration it = multiscale
                ? new MultiscaleIteration((PointCloud) geometry, a, b, f0, g0, stages[0],
                TRUNCATION_SHARE * tolerance, blocks)
                : iteration(geometry, a, b, f0, g0, stages[0], blocks, orders);
        return run(it, overrelaxation, omega0, stages, problem, a, b, bGiven);
    }

    private static boolean squaredEuclidean(Geometry geometry) {
        return geometry instanceof PointCloud cloud && cloud.costFunction() == Cost.SQUARED_EUCLIDEAN;
    }

    /**
     * This configuration for a coarse level ({@link Coarsening}): another mode, a tolerance no tighter than
     * {@code coarseTolerance} and at most {@code sweeps} sweeps.
     */
    Sinkhorn coarseLevel(Mode other, double coarseTolerance, long sweeps) {
        Builder b = builder().epsilon(epsilon).tolerance(Math.max(tolerance, coarseTolerance))
                .maxIterations(Math.min(maxIterations, sweeps)).mode(other)
                .denseLimit(denseLimit).threads(threads).coarseStart(coarseStart).checkPeriod(checkPeriod)
                .overrelaxation(overrelaxation)
                .precision(other == Mode.KERNEL ? precision : Precision.FLOAT64);
        if (!Double.isNaN(scalingStart)) {
            b.epsilonScaling(scalingStart, scalingFactor);
        }
        return b.build();
    }

    /** The largest {@code n m} stored by {@code AUTO}; the size at which {@code MULTISCALE} stops coarsening. */
    long denseLimit() {
        return denseLimit;
    }

    private static double[] warmStart(String name, double[] p, int length, boolean missing) {
        if (missing) {
            throw new IllegalArgumentException(name + " must be given with the other potential, or both null");
        }
        if (p == null) {
            return new double[length];
        }
        if (p.length != length) {
            throw new IllegalArgumentException(name + " has length " + p.length + " but the problem needs " + length);
        }
        for (int k = 0; k < length; k++) {
            if (!Double.isFinite(p[k])) {
                throw new IllegalArgumentException(name + ": entry " + k + " is " + p[k]);
            }
        }
        return p.clone();
    }

    /** @param orders k-d orders of a squared Euclidean cloud ({@link CloudKernel}), or {@code null} */
    private Iteration iteration(Geometry geometry, double[] a, double[] b, double[] f0, double[] g0, double eps0,
                                RowBlocks blocks, int[][] orders) {
        int n = a.length;
        int m = b.length;
        if (!storesCosts(geometry)) {
            return new LogDomainIteration(CostAccess.online((PointCloud) geometry), a, b, f0, g0, eps0, blocks);
        }
        if (mode == Mode.LOG) {
            return new LogDomainIteration(CostAccess.stored(n, m, storedCosts(geometry, blocks)), a, b, f0, g0, eps0,
                    blocks);
        }
        // the kernel is rebuilt from costs only now and then: a squared Euclidean cloud's are recomputed (a loop
        // as fast as reading them), which saves storing n m more doubles
        if (squaredEuclidean(geometry)) {
            return KernelIteration.forCloud((PointCloud) geometry, a, b, f0, g0, eps0, precision, blocks, orders);
        }
        return KernelIteration.forCosts(n, m, CostAccess.rowMajor(n, m, storedCosts(geometry, blocks)), a, b, f0, g0,
                eps0, precision, blocks);
    }

    /** Whether this configuration stores the costs of {@code geometry} rather than recomputing them online. */
    private boolean storesCosts(Geometry geometry) {
        long entries = (long) geometry.sourceCount() * geometry.targetCount();
        boolean chooses = mode == Mode.AUTO || mode == Mode.MULTISCALE;
        return !online && !(chooses && geometry instanceof PointCloud && entries > denseLimit);
    }

    /** The costs, row-major, checked finite ({@link CostAccess#fill}). */
    private static double[] storedCosts(Geometry geometry, RowBlocks blocks) {
        int n = geometry.sourceCount();
        int m = geometry.targetCount();
        long entries = (long) n * m;
        if (entries > CostMatrix.MAX_ENTRIES) {
            throw new IllegalArgumentException("cost matrix is " + n + " x " + m + " = " + entries
                    + " entries, more than a Java array holds (" + CostMatrix.MAX_ENTRIES + "); use online mode");
        }
        double[] c = new double[(int) entries];
        CostAccess.fill(geometry, c, blocks);
        return c;
    }

    /**
     * Solves the self-transport problem of a point cloud against itself ({@code x = y}, {@code a = b}, symmetric
     * cost) by the symmetric iteration {@code f <- (f + T_eps(f)) / 2} ({@link SymmetricIteration}); the result has
     * {@code g = f}. Costs are stored (one {@code n x n} array: rows are columns) or online, as this configuration
     * decides for a point cloud ({@code MULTISCALE} runs this symmetric iteration too, online above the dense
     * limit); epsilon scaling applies as in {@link #solve(TransportProblem)}.
     */
    EntropicSolution solveSelf(TransportProblem problem) {
        PointCloud cloud = (PointCloud) problem.geometry();
        double[] a = problem.source().toArray();
        int n = a.length;
        RowBlocks blocks = blocks((long) n * n);
        CostAccess costs = storesCosts(cloud) ? CostAccess.symmetric(n, storedCosts(cloud, blocks))
                : CostAccess.online(cloud);
        return run(new SymmetricIteration(costs, a, stages()[0], blocks), false, 1, stages(), problem, a, a, a);
    }

    /** Worker threads per solve. */
    int threads() {
        return threads;
    }

    /**
     * Problems with fewer entries than this run on one thread: a sweep over them takes well under a millisecond, less
     * than handing two blocks to a pool costs (a 256 x 256 coarse level took 34 ms for 70 sweeps on 2 threads).
     */
    static final long PARALLEL_ENTRIES = 1L << 18;

    /** The worker blocks for a problem of {@code entries} kernel entries. */
    RowBlocks blocks(long entries) {
        return new RowBlocks(entries < PARALLEL_ENTRIES ? 1 : threads);
    }

    /** The epsilons of the stages, the target last. */
    private double[] stages() {
        if (Double.isNaN(scalingStart) || scalingStart <= epsilon) {
            return new double[] {epsilon};
        }
        int count = 1 + (int) Math.ceil(Math.log(epsilon / scalingStart) / Math.log(scalingFactor));
        double[] out = new double[count];
        for (int k = 0; k < count - 1; k++) {
            out[k] = scalingStart * Math.pow(scalingFactor, k);
        }
        out[count - 1] = epsilon;
        return out;
    }

    /**
     * Runs {@code it} through the stages; with {@code accelerate}, over-relaxed ({@link Overrelaxation}) from
     * {@code omega0} in the first stage (the coarse level's final {@code omega}, or 1).
     */
    private EntropicSolution run(Iteration it, boolean accelerate, double omega0, double[] stages,
                                 TransportProblem problem, double[] a, double[] b, double[] bGiven) {
        double mass = problem.source().total();
        double[] history = new double[16];
        long sweeps = 0;
        Status status = Status.MAX_ITERATIONS;
        double eps = stages[0];
        int checks = 0;
        Overrelaxation relaxation = null;
        stageLoop:
        for (int s = 0; s < stages.length; s++) {
            boolean last = s == stages.length - 1;
            if (s > 0 && sweeps < maxIterations) { // at the cap, keep the plan of the stage that ran
                eps = stages[s];
                it.setEpsilon(eps);
            }
            double stop = last ? tolerance : Math.max(tolerance, STAGE_TOLERANCE * mass);
            relaxation = new Overrelaxation(accelerate, s == 0 ? omega0 : 1);
            boolean early = false;
            boolean earlyTaken = false;
            for (long stageSweeps = 1; sweeps < maxIterations; stageSweeps++) {
                // the row update at a check is plain, so that a plan returned from there has exact row sums
                boolean regular = stageSweeps % checkPeriod == 0;
                boolean check = regular || early || sweeps + 1 == maxIterations;
                it.omega = check ? 1 : relaxation.omega();
                it.check = check;
                double err = it.updateRows();
                sweeps++;
                early = false;
                if (!check) {
                    relaxation.observe(err);
                    early = !earlyTaken && it.omega > 1 && err < EARLY_CHECK * stop;
                    earlyTaken |= early;
                } else if (regular) {
                    earlyTaken = false;
                }
                if (check || Double.isNaN(err)) {
                    relaxation.check(err);
                    if (checks == history.length) {
                        history = Arrays.copyOf(history, (int) Math.min(Integer.MAX_VALUE - 8, 2L * history.length));
                    }
                    history[checks++] = err;
                    if (progress != null) {
                        progress.onCheck(new SinkhornProgress.Check(s, stages.length, eps, sweeps, err, stop));
                    }
                    if (Double.isNaN(err)) {
                        status = Status.NUMERICAL_ERROR;
                        break stageLoop;
                    }
                    if (err < stop) {
                        if (last) {
                            status = Status.CONVERGED;
                        }
                        continue stageLoop;
                    }
                }
                it.omega = relaxation.omega();
                it.updateColumns();
            }
            break;
        }
        Iteration.Outcome out = it.finish();
        double[] f = out.f();
        double[] g = out.g();
        double[] r = out.rowSums();
        double[] c = out.columnSums();
        double rowError = 0;
        double colError = 0;
        double total = 0;
        double entropic = 0;
        for (int i = 0; i < a.length; i++) {
            rowError += Math.abs(r[i] - a[i]);
            total += r[i];
            if (a[i] > 0) {
                entropic += r[i] * (eps * Math.log(a[i]) + f[i]);
            }
        }
        for (int j = 0; j < b.length; j++) {
            colError += Math.abs(c[j] - bGiven[j]);
            if (b[j] > 0) {
                entropic += c[j] * (eps * Math.log(b[j]) + g[j]);
            }
        }
        entropic -= eps * total;
        rowError += out.droppedMass();
        colError += out.droppedMass();
        if (!(Double.isFinite(out.value()) && Double.isFinite(entropic) && allFinite(f) && allFinite(g))) {
            status = Status.NUMERICAL_ERROR;
        }
        if (status != Status.CONVERGED) {
            LOG.log(Level.WARNING, "Sinkhorn (eps={0}) ended with {1} after {2} sweeps; last column violation {3}",
                    String.valueOf(eps), status, sweeps, String.valueOf(checks > 0 ? history[checks - 1] : Double.NaN));
        }
        EntropicPlan plan = new EntropicPlan(problem.geometry(), a, b, f, g, eps, r, c);
        return new EntropicSolution(out.value(), entropic, eps, plan, f, g, sweeps, rowError + colError, colError,
                Arrays.copyOf(history, checks), relaxation == null ? 1 : relaxation.omega(), status);
    }

    private static boolean allFinite(double[] v) {
        for (double x : v) {
            if (!Double.isFinite(x)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return "Sinkhorn[eps=" + epsilon + ", tol=" + tolerance + ", maxIterations=" + maxIterations + ", mode=" + mode
                + (online ? ", online" : "") + "]";
    }
}
