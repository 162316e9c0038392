package org.lipot.transport.entropic;

/**
 * Watches a {@link Sinkhorn} solve: called at every check of the stopping rule (every
 * {@link Sinkhorn.Builder#checkPeriod} sweeps of an epsilon-scaling stage, at the sweep cap, and at a NaN), on the
 * solving thread, between two sweeps. It only observes: the iterates and the result are the same with or without it.
 * It should return quickly; an exception it throws ends the solve and reaches the caller. A solver shared between
 * threads calls it from each of them. {@link SinkhornDivergence} calls it for each of its three solves.
 */
@FunctionalInterface
public interface SinkhornProgress {

    /**
     * One check.
     *
     * @param stage     the epsilon-scaling stage, from 0; {@code stages - 1} is the target epsilon
     * @param stages    the number of stages (1 without epsilon scaling)
     * @param epsilon   the stage's epsilon, absolute, in the cost's units
     * @param sweeps    sweeps so far in this solve, over all stages
     * @param violation the L1 column-marginal violation {@code sum_j |sum_i P_ij - b_j|} at this check, in mass
     *                  units (the entry appended to {@link EntropicSolution#errorHistory()})
     * @param threshold the violation below which this stage ends: the tolerance at the last stage, a looser one
     *                  before
     */
    record Check(int stage, int stages, double epsilon, long sweeps, double violation, double threshold) {
    }

    /** Called at each check. */
    void onCheck(Check check);
}
