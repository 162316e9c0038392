package org.lipot.transport;

/**
 * A {@link TransportResult} with a coupling {@code P} and, where the solver provides them, dual potentials.
 *
 * <p>{@link #value()} is the linear cost {@code <P, C> = sum_ij P_ij C_ij} of the returned plan under the problem's
 * cost: {@code W_2^2} for the squared Euclidean cost, {@code W_1} for the Euclidean cost, {@code W_p^p} for
 * {@code |x - y|^p}.
 */
public interface PlanResult extends TransportResult {

    /** The coupling {@code P} (sparse, dense or computed on demand, as the solver documents). */
    TransportPlan plan();

    /** A copy of the source potential {@code f} (length {@code n}), or {@code null} if the solver has none. */
    double[] sourcePotential();

    /** A copy of the target potential {@code g} (length {@code m}), or {@code null} if the solver has none. */
    double[] targetPotential();

    /** L1 norm of the plan's row- and column-marginal violations, {@code |P 1 - a|_1 + |P^T 1 - b|_1}, in mass units. */
    double marginalError();

    /**
     * {@code value^(1/p)}: the distance {@code W_p} when the cost is {@code |x - y|^p} (p = 2 for the squared
     * Euclidean cost, p = 1 for the Euclidean cost).
     *
     * @throws IllegalArgumentException if {@code p < 1}
     */
    default double distance(double p) {
        if (!(p >= 1)) {
            throw new IllegalArgumentException("p must be >= 1, got " + p);
        }
        return Math.pow(Math.max(value(), 0.0), 1.0 / p);
    }
}
