package org.lipot.transport.entropic;

/**
 * One way of running the Sinkhorn updates (stabilised kernel scaling, or log-sum-exp on stored or computed costs).
 * Every implementation performs the same iteration in exact arithmetic, so they differ only in speed, memory and
 * rounding. Mutable, single use.
 *
 * <p>A sweep is {@link #updateRows()} followed, unless the solver stops, by {@link #updateColumns()}: the row
 * update makes the plan's row sums exact, and returns the L1 violation of its column sums, which the column update
 * then makes exact.
 */
abstract class Iteration {

    /** The plan and potentials at the end of a run. */
    record Outcome(double[] f, double[] g, double[] rowSums, double[] columnSums, double value) {
    }

    /** Switches to a new epsilon (epsilon scaling), keeping the current potentials. */
    abstract void setEpsilon(double epsilon);

    /**
     * Updates the source potential so that the plan's row sums equal {@code a}, and returns
     * {@code sum_j |sum_i P_ij - b_j|} for the plan after that update (NaN if something was not finite).
     */
    abstract double updateRows();

    /** Updates the target potential so that the plan's column sums equal {@code b}. */
    abstract void updateColumns();

    /** The potentials {@code f, g} of the current plan, its row and column sums, and {@code <P, C>}. */
    abstract Outcome finish();
}
