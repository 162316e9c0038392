package org.lipot.transport;

/** How a solver ended. Only {@link #OPTIMAL} and {@link #CONVERGED} mean the result can be trusted as is. */
public enum Status {
    /**
     * An exact solver proved optimality: the plan is feasible, and the returned dual potentials are feasible to the
     * solver's tolerance (checked on every pair by the network simplex, by construction in 1-D) with complementary
     * slackness on the plan's support ({@link Solution#duality()}).
     */
    OPTIMAL,
    /** An iterative solver met its stopping tolerance. */
    CONVERGED,
    /**
     * The iteration cap was reached first; the returned plan is feasible but may not be optimal, and the dual
     * potentials, if any, are not a certificate ({@code duality().feasible()} is false).
     */
    MAX_ITERATIONS,
    /**
     * The computation produced a non-finite number (for example potentials that overflow with costs near the
     * double range), or rounding left the dual potentials violating the requested tolerance so that optimality
     * could not be proved; the result must not be trusted.
     */
    NUMERICAL_ERROR;

    /** True for {@link #OPTIMAL} and {@link #CONVERGED}. */
    public boolean isSuccess() {
        return this == OPTIMAL || this == CONVERGED;
    }
}
