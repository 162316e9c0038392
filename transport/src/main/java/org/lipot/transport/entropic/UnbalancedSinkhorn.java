package org.lipot.transport.entropic;

import org.lipot.transport.DensePlan;
import org.lipot.transport.Marginals;
import org.lipot.transport.Status;
import org.lipot.transport.geometry.Geometry;
import org.lipot.transport.internal.Arguments;
import org.lipot.transport.internal.DenseGibbsKernel;
import org.lipot.transport.internal.RowBlocks;
import org.lipot.transport.internal.ScalingSweeps;

/**
 * Unbalanced entropic optimal transport with KL-relaxed marginals (Chizat et al. 2018; POT's
 * {@code sinkhorn_unbalanced}, whose objective this is exactly):
 * <pre>
 *   min_{P >= 0}  <P, C> + eps sum_ij P_ij (log P_ij - 1) + tau_a KL(P 1 | a) + tau_b KL(P^T 1 | b),
 *   KL(p | q) = sum_i p_i log(p_i / q_i) - p_i + q_i,
 * </pre>
 * with the entropy relative to the counting measure (or, with {@link Builder#productReference}, to
 * {@code a b^T}). The masses of {@code a} and {@code b} need not agree; an
 * infinite {@code tau} makes its marginal a hard constraint (both infinite: balanced Sinkhorn). The iteration is
 * written in potentials, so it is stable at any epsilon: with {@code P_ij = exp((f_i + g_j - C_ij) / eps)},
 * <pre>
 *   f_i = lambda_a eps (log a_i - LSE_j((g_j - C_ij) / eps)),   lambda_a = tau_a / (tau_a + eps),
 *   g_j = lambda_b eps (log b_j - LSE_i((f_i - C_ij) / eps)),   lambda_b = tau_b / (tau_b + eps),
 * </pre>
 * (POT's {@code u = (a / K v)^fi} with {@code u = exp(f / eps)}). It stops when no potential moved by more than
 * {@code tolerance * eps} in a sweep (a relative change of {@code tolerance} in POT's scalings). The costs are read
 * once into an {@code n x m} array; sweeps are kernel products on {@code K = exp(-C / eps)} (POT's speed) while the
 * scalings stay in floating-point range and underflow in the kernel cannot matter, and log-sum-exp reductions from
 * then on (see {@link org.lipot.transport.internal.ScalingSweeps}), split over the configured threads. Immutable and
 * thread-safe.
 */
public final class UnbalancedSinkhorn {

    private final double epsilon;
    private final double tauA;
    private final double tauB;
    private final double tolerance;
    private final int maxIterations;
    private final boolean productReference;
    private final int threads;

    private UnbalancedSinkhorn(Builder b) {
        this.productReference = b.productReference;
        this.threads = b.threads;
        this.epsilon = b.epsilon;
        this.tauA = b.tauA;
        this.tauB = b.tauB;
        this.tolerance = b.tolerance;
        this.maxIterations = b.maxIterations;
    }

    /** A builder; {@link Builder#epsilon} and {@link Builder#tau} are required. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Solves between weights {@code a} and {@code b} of any masses on the geometry's points.
     *
     * @throws IllegalArgumentException if an argument is null or the sizes do not match the geometry
     */
    public UnbalancedResult solve(Geometry geometry, Marginals a, Marginals b) {
        if (geometry == null || a == null || b == null) {
            throw new IllegalArgumentException("geometry, source and target weights are required");
        }
        int n = geometry.sourceCount();
        int m = geometry.targetCount();
        if (a.size() != n || b.size() != m) {
            throw new IllegalArgumentException("the geometry has " + n + " x " + m + " points but the weights have "
                    + a.size() + " and " + b.size() + " entries");
        }
        double la = Double.isInfinite(tauA) ? 1 : tauA / (tauA + epsilon);
        double lb = Double.isInfinite(tauB) ? 1 : tauB / (tauB + epsilon);
        double[] loga = new double[n];
        double[] logb = new double[m];
        for (int i = 0; i < n; i++) {
            loga[i] = Math.log(a.get(i));
        }
        for (int j = 0; j < m; j++) {
            logb[j] = Math.log(b.get(j));
        }
        // with the product reference P_ij = a_i b_j exp((f_i + g_j - C_ij) / eps): the kernel absorbs a_i b_j, as the
        // cost C_ij - eps log a_i - eps log b_j (a zero weight's row or column is emptied by its potential -Infinity)
        double[] shiftA = new double[n];
        double[] shiftB = new double[m];
        if (productReference) {
            for (int i = 0; i < n; i++) {
                shiftA[i] = a.get(i) == 0 ? 0 : epsilon * loga[i];
            }
            for (int j = 0; j < m; j++) {
                shiftB[j] = b.get(j) == 0 ? 0 : epsilon * logb[j];
            }
        }
        // the costs are read once; with the product reference the kernel takes them shifted
        double[] c = new double[n * m];
        geometry.fillRowMajor(c);
        double[] kernelCost = c;
        if (productReference) {
            kernelCost = new double[n * m];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < m; j++) {
                    kernelCost[i * m + j] = c[i * m + j] - shiftA[i] - shiftB[j];
                }
            }
        }
        // alpha = f / eps and beta = g / eps, the logarithms of POT's scalings u and v
        double[][] alpha = new double[1][n];
        double[][] beta = new double[1][m];
        double[][] logKv = new double[1][n];
        double[][] logKu = new double[1][m];
        Status status = Status.MAX_ITERATIONS;
        int it = 0;
        RowBlocks blocks = new RowBlocks(threads);
        ScalingSweeps sweeps = new ScalingSweeps(new DenseGibbsKernel(n, m, kernelCost, epsilon, blocks), false);
        while (it < maxIterations) {
            it++;
            double moved = 0;
            sweeps.logApply(beta, logKv);
            for (int i = 0; i < n; i++) {
                double v = a.get(i) == 0 ? Double.NEGATIVE_INFINITY : la * (loga[i] - logKv[0][i]);
                moved = Math.max(moved, v == alpha[0][i] ? 0 : Math.abs(v - alpha[0][i]));
                alpha[0][i] = v;
            }
            sweeps.logApplyTransposed(alpha, logKu);
            for (int j = 0; j < m; j++) {
                double v = b.get(j) == 0 ? Double.NEGATIVE_INFINITY : lb * (logb[j] - logKu[0][j]);
                moved = Math.max(moved, v == beta[0][j] ? 0 : Math.abs(v - beta[0][j]));
                beta[0][j] = v;
            }
            if (Double.isNaN(moved)) {
                status = Status.NUMERICAL_ERROR;
                break;
            }
            if (moved <= tolerance) {
                status = Status.CONVERGED;
                break;
            }
        }
        double[] f = new double[n];
        double[] g = new double[m];
        for (int i = 0; i < n; i++) {
            f[i] = epsilon * alpha[0][i];
        }
        for (int j = 0; j < m; j++) {
            g[j] = epsilon * beta[0][j];
        }
        double[] p = new double[n * m];
        double[] rows = new double[n];
        double[] cols = new double[m];
        double linear = 0;
        double entropy = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < m; j++) {
                double cij = c[i * m + j];
                double logRatio = (f[i] + g[j] - cij) / epsilon; // log(P / reference)
                double v = Math.exp(logRatio + (shiftA[i] + shiftB[j]) / epsilon);
                p[i * m + j] = v;
                rows[i] += v;
                cols[j] += v;
                linear += v * cij;
                entropy += (v == 0 ? 0 : v * (logRatio - 1)) + (productReference ? a.get(i) * b.get(j) : 0);
            }
        }
        double objective = linear + epsilon * entropy + (Double.isInfinite(tauA) ? 0 : tauA * kl(rows, a))
                + (Double.isInfinite(tauB) ? 0 : tauB * kl(cols, b));
        if (!Double.isFinite(linear) || !Double.isFinite(objective)) {
            status = Status.NUMERICAL_ERROR;
        }
        return new UnbalancedResult(linear, objective, status, it, status == Status.NUMERICAL_ERROR ? null
                : DensePlan.ofRowMajor(n, m, p), rows, cols, f, g);
    }

    /** The generalised KL divergence {@code sum p log(p / q) - p + q}. */
    private static double kl(double[] p, Marginals q) {
        double s = 0;
        for (int i = 0; i < p.length; i++) {
            double qi = q.get(i);
            s += (p[i] > 0 ? p[i] * Math.log(p[i] / qi) : 0) - p[i] + qi;
        }
        return s;
    }

    /** Builder for {@link UnbalancedSinkhorn}. */
    public static final class Builder {
        private double epsilon = Double.NaN;
        private double tauA = Double.NaN;
        private double tauB = Double.NaN;
        private double tolerance = 1e-9;
        private int maxIterations = 100_000;
        private boolean productReference;
        private int threads = Runtime.getRuntime().availableProcessors();

        private Builder() {
        }

        /**
         * Entropy relative to {@code a b^T} instead of the counting measure (default false): the term becomes
         * {@code eps KL(P | a b^T) = eps sum P (log(P_ij / (a_i b_j)) - 1) + eps sum a_i b_j}, as in OTT-JAX and
         * GeomLoss. The plans differ from POT's when the masses are relaxed; with both taus infinite they coincide.
         */
        public Builder productReference(boolean product) {
            this.productReference = product;
            return this;
        }

        /** The entropic regularisation, absolute in the cost's units, {@code > 0}. */
        public Builder epsilon(double epsilon) {
            this.epsilon = Arguments.positive(epsilon, "epsilon");
            return this;
        }

        /** The same KL weight on both marginals ({@code > 0}; infinite: a hard constraint). */
        public Builder tau(double tau) {
            return tau(tau, tau);
        }

        /** The KL weights on the source and target marginals ({@code > 0}; infinite: a hard constraint). */
        public Builder tau(double tauA, double tauB) {
            if (!(tauA > 0) || !(tauB > 0)) {
                throw new IllegalArgumentException("tau must be positive (or infinite), got " + tauA + ", " + tauB);
            }
            this.tauA = tauA;
            this.tauB = tauB;
            return this;
        }

        /** Stop when no potential moves by more than {@code tolerance * eps} in a sweep (default 1e-9). */
        public Builder tolerance(double tolerance) {
            this.tolerance = Arguments.positive(tolerance, "tolerance");
            return this;
        }

        /** Most sweeps (default 100 000). */
        public Builder maxIterations(int maxIterations) {
            this.maxIterations = Arguments.atLeastOne(maxIterations, "maxIterations");
            return this;
        }

        /** Worker threads for the kernel products and reductions (default: the available processors). */
        public Builder threads(int threads) {
            this.threads = Arguments.atLeastOne(threads, "threads");
            return this;
        }

        /** @throws IllegalArgumentException if epsilon or tau was not set */
        public UnbalancedSinkhorn build() {
            if (Double.isNaN(epsilon) || Double.isNaN(tauA)) {
                throw new IllegalArgumentException("epsilon and tau are required");
            }
            return new UnbalancedSinkhorn(this);
        }
    }
}
