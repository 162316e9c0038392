package org.lipot.transport.barycenter;

import org.lipot.transport.geometry.Geometry;
import org.lipot.transport.internal.DenseGibbsKernel;
import org.lipot.transport.internal.RowBlocks;

/**
 * The entropic Wasserstein barycenter of histograms on a fixed support:
 * <pre>
 *   q = argmin_q  sum_k w_k OT_eps(q, h_k),
 *   OT_eps(q, h) = min_{P 1 = q, P^T 1 = h}  <P, C> + eps sum_ij P_ij (log P_ij - 1),
 * </pre>
 * where the geometry's sources are the barycenter's support ({@code n} points), its targets the inputs' common
 * support ({@code m} points), {@code C} its cost and {@code eps} is absolute in the cost's units. This is POT's
 * {@code ot.bregman.barycenter} (method {@code sinkhorn_log}, whose results it reproduces to 1e-12). Solved by
 * iterative Bregman projections (Benamou et al., 2015): kernel products while they stay in floating-point range, then
 * log-sum-exp sweeps, so no epsilon gives NaN. Non-uniform weights are handled correctly (POT 0.8.2's default
 * {@code method='sinkhorn'} is not; see the docs).
 *
 * <p><b>Debiased.</b> Entropy blurs: even the barycenter of identical inputs is wider than the input. With
 * {@link Builder#debiased}, {@code OT_eps} is replaced by the Sinkhorn divergence
 * {@code S_eps(q, h) = OT_eps(q, h) - (OT_eps(q, q) + OT_eps(h, h)) / 2} (Janati, Cuturi and Gramfort, 2020), which
 * is 0 only at {@code q = h}; it needs one support ({@code n = m}, a symmetric cost). POT's
 * {@code barycenter_debiased}.
 *
 * <p>Costs: {@code n m} doubles of storage (twice that once kernel products are used), and per sweep a few passes
 * over them for every input at once, split over the configured threads. Immutable and thread-safe.
 */
public final class BregmanBarycenter {

    private final double epsilon;
    private final double tolerance;
    private final int maxIterations;
    private final boolean debiased;
    private final boolean logDomain;
    private final int threads;

    private BregmanBarycenter(Builder b) {
        this.epsilon = b.epsilon;
        this.tolerance = b.tolerance;
        this.maxIterations = b.maxIterations;
        this.debiased = b.debiased;
        this.logDomain = b.logDomain;
        this.threads = b.threads;
    }

    /** A builder; {@link Builder#epsilon} is required. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The barycenter of {@code histograms} (each of length {@code m}, summing to 1) with {@code weights}.
     *
     * @param geometry   barycenter support (sources) x input support (targets), with its cost
     * @param histograms the inputs {@code h_k}, {@code k >= 1}
     * @param weights    {@code w_k >= 0} summing to 1, or {@code null} for {@code 1 / k} each
     * @throws IllegalArgumentException for a null or mis-sized argument, a histogram that is negative or does not sum
     *                                  to 1, bad weights, or a debiased solve on two supports
     */
    public BarycenterResult solve(Geometry geometry, double[][] histograms, double[] weights) {
        if (geometry == null) {
            throw new IllegalArgumentException("geometry is required");
        }
        double[][] h = Inputs.histograms(histograms, geometry.targetCount(), "the geometry's target points");
        double[] w = Inputs.weights(weights, h.length);
        try (RowBlocks blocks = new RowBlocks(threads)) {
            DenseGibbsKernel kernel = new DenseGibbsKernel(geometry, epsilon, blocks);
            if (debiased && !kernel.symmetric()) {
                throw new IllegalArgumentException("debiased: the barycenter and the inputs need one support (a"
                        + " square geometry with a symmetric cost), got " + geometry.sourceCount() + " x "
                        + geometry.targetCount());
            }
            return BregmanIteration.run(kernel, h, w, debiased, logDomain, tolerance, maxIterations);
        }
    }

    /** Builder for {@link BregmanBarycenter}. */
    public static final class Builder {
        private double epsilon = Double.NaN;
        private double tolerance = 1e-9;
        private int maxIterations = 100_000;
        private boolean debiased;
        private boolean logDomain;
        private int threads = Runtime.getRuntime().availableProcessors();

        private Builder() {
        }

        /** The entropic regularisation, absolute in the cost's units, {@code > 0}. */
        public Builder epsilon(double epsilon) {
            this.epsilon = Inputs.positive(epsilon, "epsilon");
            return this;
        }

        /** Stop when {@code max_k |P_k^T 1 - h_k|_1 <= tolerance}, in mass units (default 1e-9). */
        public Builder tolerance(double tolerance) {
            this.tolerance = Inputs.positive(tolerance, "tolerance");
            return this;
        }

        /** Most sweeps (default 100 000); the result says {@code MAX_ITERATIONS} when they run out. */
        public Builder maxIterations(int maxIterations) {
            this.maxIterations = Inputs.atLeastOne(maxIterations, "maxIterations");
            return this;
        }

        /** Minimise the Sinkhorn divergences instead of {@code OT_eps} (default false). */
        public Builder debiased(boolean debiased) {
            this.debiased = debiased;
            return this;
        }

        /** Log-sum-exp sweeps from the start instead of kernel products with a fallback (default false). */
        public Builder logDomain(boolean logDomain) {
            this.logDomain = logDomain;
            return this;
        }

        /** Worker threads (default: the available processors). */
        public Builder threads(int threads) {
            this.threads = Inputs.atLeastOne(threads, "threads");
            return this;
        }

        /** @throws IllegalArgumentException if epsilon was not set */
        public BregmanBarycenter build() {
            if (Double.isNaN(epsilon)) {
                throw new IllegalArgumentException("epsilon is required");
            }
            return new BregmanBarycenter(this);
        }
    }
}
