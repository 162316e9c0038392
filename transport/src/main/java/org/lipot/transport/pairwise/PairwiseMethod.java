package org.lipot.transport.pairwise;

import java.io.Serializable;

import org.lipot.transport.geometry.Cost;

/**
 * A transport value computed for many pairs of clouds: {@link #prepare} runs once per cloud, {@link #pair} once per
 * pair on two prepared clouds. Preparation is where batching saves time: sorted projections for sliced distances
 * (the same directions for every pair), the mean and covariance for Gaussian ones, the self terms for the Sinkhorn
 * divergence. Implementations are immutable, thread-safe and {@link Serializable}, and {@link #pair} is a pure function
 * of its arguments with a fixed summation order, so that a pair computed twice (a retried task) gives the same bits.
 * Non-convergence is reported in the {@link PairValue}, never thrown.
 *
 * @param <P> the prepared form of a cloud
 */
public interface PairwiseMethod<P> extends Serializable {

    /** A short name ({@code exact}, {@code sliced}, ...), as the command line spells it. */
    String name();

    /** The prepared form of {@code cloud}. */
    P prepare(Cloud cloud);

    /** The value between two prepared clouds (of the same dimension). */
    PairValue pair(P x, P y);

    /**
     * A relative estimate of the work of one pair of sizes {@code n} and {@code m}, used only to cut the work into
     * tiles of similar cost (the unit does not matter, only ratios).
     */
    double pairCost(int n, int m);

    /**
     * Whether the value of a cloud with itself is 0 (a distance or divergence), so that the diagonal is not computed.
     * True by default.
     */
    default boolean zeroOnDiagonal() {
        return true;
    }

    /** Exact {@code W_p^p} under {@code cost} by the network simplex ({@code pairCost ~ n m log(n + m)}). */
    static PairwiseMethod<?> exact(Cost cost) {
        return new ExactPairs(cost);
    }

    /**
     * Exact {@code W_p^p} on the line (clouds of dimension 1) for the cost {@code |x - y|^p}, {@code p >= 1}; each cloud
     * is sorted once, so a pair is one merge.
     */
    static PairwiseMethod<?> oneDimensional(double p) {
        return new LinePairs(p);
    }

    /**
     * Sliced {@code SW_2^2} (squared Euclidean) or {@code SW_1} (Euclidean) over {@code projections} random directions
     * drawn from {@code seed}, the same for every pair; each cloud's projections are sorted once.
     */
    static PairwiseMethod<?> sliced(Cost cost, int projections, long seed) {
        return new SlicedPairs(cost, projections, seed);
    }

    /** {@code W_2^2} between the Gaussians fitted to the clouds (Bures-Wasserstein), with {@code ridge} added. */
    static PairwiseMethod<?> gaussian(double ridge) {
        return new GaussianPairs(ridge);
    }

    /**
     * The linear cost {@code <P, C>} of the entropic plan (as {@code lipot ot --method sinkhorn}); the diagonal is
     * computed, since it is not 0.
     */
    static PairwiseMethod<?> sinkhorn(Cost cost, double epsilon, double tolerance, long maxIterations) {
        return new SinkhornPairs(cost, epsilon, tolerance, maxIterations, false);
    }

    /** The debiased Sinkhorn divergence {@code S_eps}, with each cloud's self term solved once. */
    static PairwiseMethod<?> sinkhornDivergence(Cost cost, double epsilon, double tolerance, long maxIterations) {
        return new SinkhornPairs(cost, epsilon, tolerance, maxIterations, true);
    }
}
