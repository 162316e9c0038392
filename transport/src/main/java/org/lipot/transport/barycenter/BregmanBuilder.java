package org.lipot.transport.barycenter;

import org.lipot.transport.internal.Arguments;

import org.lipot.transport.entropic.SinkhornProgress;

/**
 * The settings that {@link BregmanBarycenter} and {@link ConvolutionalBarycenter} share, with their builder methods.
 *
 * @param <B> the concrete builder, returned by every setter
 */
abstract class BregmanBuilder<B extends BregmanBuilder<B>> {

    /** The configured values. */
    record Settings(double epsilon, double tolerance, int maxIterations, boolean debiased, boolean logDomain,
                    int threads, SinkhornProgress progress) {
    }

    private double epsilon = Double.NaN;
    private double tolerance = 1e-9;
    private int maxIterations = 100_000;
    private boolean debiased;
    private boolean logDomain;
    private int threads = Runtime.getRuntime().availableProcessors();
    private SinkhornProgress progress;

    abstract B self();

    /** The entropic regularisation, {@code > 0}, in the units the solver documents. */
    public B epsilon(double epsilon) {
        this.epsilon = Arguments.positive(epsilon, "epsilon");
        return self();
    }

    /** Stop when {@code max_k |P_k^T 1 - h_k|_1 <= tolerance}, in mass units (default 1e-9). */
    public B tolerance(double tolerance) {
        this.tolerance = Arguments.positive(tolerance, "tolerance");
        return self();
    }

    /** Most sweeps (default 100 000); the result says {@code MAX_ITERATIONS} when they run out. */
    public B maxIterations(int maxIterations) {
        this.maxIterations = Arguments.atLeastOne(maxIterations, "maxIterations");
        return self();
    }

    /** Minimise the Sinkhorn divergences instead of {@code OT_eps}, which removes the entropic blur (default false). */
    public B debiased(boolean debiased) {
        this.debiased = debiased;
        return self();
    }

    /** Log-sum-exp sweeps from the start instead of kernel products with a fallback (default false). */
    public B logDomain(boolean logDomain) {
        this.logDomain = logDomain;
        return self();
    }

    /** Worker threads (default: the available processors). */
    public B threads(int threads) {
        this.threads = Arguments.atLeastOne(threads, "threads");
        return self();
    }

    /**
     * A listener told every 10 sweeps (and at the last) of the stopping rule's figure {@code max_k |P_k^T 1 - h_k|_1}
     * against the tolerance, as a one-stage {@link SinkhornProgress.Check}; {@code null} (default) for none.
     */
    public B progress(SinkhornProgress progress) {
        this.progress = progress;
        return self();
    }

    /** @throws IllegalArgumentException if epsilon was not set */
    Settings settings() {
        if (Double.isNaN(epsilon)) {
            throw new IllegalArgumentException("epsilon is required");
        }
        return new Settings(epsilon, tolerance, maxIterations, debiased, logDomain, threads, progress);
    }
}
