package org.lipot.transport;

/**
 * What every transport solver returns: a value, how the solver ended, and how many iterations it took.
 *
 * <p>Results with a coupling implement {@link PlanResult}; results of methods without one (sliced, Gaussian) implement
 * this interface alone and add their own diagnostics. Every implementation is immutable.
 *
 * <p><b>Units.</b> {@link #value()} is documented by each result type; for plan-based results it is the linear
 * transport cost {@code <P, C>} under the problem's cost (W_p^p for a cost {@code |x - y|^p}), never its root.
 */
public interface TransportResult {

    /** The transport value, in the units its result type documents. */
    double value();

    /** How the solver ended; only {@link Status#OPTIMAL} and {@link Status#CONVERGED} mean the value can be trusted. */
    Status status();

    /** Solver iterations (network simplex pivots, Sinkhorn sweeps; 0 where meaningless). */
    long iterations();

    /** True if the status is {@link Status#OPTIMAL} or {@link Status#CONVERGED}. */
    default boolean converged() {
        return status().isSuccess();
    }
}
