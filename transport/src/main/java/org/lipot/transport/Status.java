package org.lipot.transport;

/** How a solver ended. Only {@link #OPTIMAL} and {@link #CONVERGED} mean the result can be trusted as is. */
public enum Status {
    /** An exact solver proved optimality (primal and dual feasible, complementary slackness). */
    OPTIMAL,
    /** An iterative solver met its stopping tolerance. */
    CONVERGED,
    /** The iteration cap was reached first; the returned plan is feasible but may not be optimal. */
    MAX_ITERATIONS,
    /** The computation produced a non-finite number; the result must not be used. */
    NUMERICAL_ERROR;

    /** True for {@link #OPTIMAL} and {@link #CONVERGED}. */
    public boolean isSuccess() {
        return this == OPTIMAL || this == CONVERGED;
    }
}
