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

    private final BregmanBuilder.Settings settings;

    private BregmanBarycenter(BregmanBuilder.Settings settings) {
        this.settings = settings;
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
        RowBlocks blocks = new RowBlocks(settings.threads());
        DenseGibbsKernel kernel = new DenseGibbsKernel(geometry, settings.epsilon(), blocks);
        if (settings.debiased() && !kernel.symmetric()) {
            throw new IllegalArgumentException("debiased: the barycenter and the inputs need one support (a"
                    + " square geometry with a symmetric cost), got " + geometry.sourceCount() + " x "
                    + geometry.targetCount());
        }
        return BregmanIteration.run(kernel, h, w, settings);
    }

    /** Builder for {@link BregmanBarycenter}: {@code epsilon} is required. */
    public static final class Builder extends BregmanBuilder<Builder> {

        private Builder() {
        }

        @Override
        Builder self() {
            return this;
        }

        /** @throws IllegalArgumentException if epsilon was not set */
        public BregmanBarycenter build() {
            return new BregmanBarycenter(settings());
        }
    }
}
