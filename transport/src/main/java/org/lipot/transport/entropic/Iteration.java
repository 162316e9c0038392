package org.lipot.transport.entropic;

import org.lipot.transport.internal.RowBlocks;

/**
 * One way of running the Sinkhorn updates (stabilised kernel scaling, or log-sum-exp on stored or computed costs).
 * Every implementation performs the same iteration in exact arithmetic, so they differ only in speed, memory and
 * rounding. Mutable, single use.
 *
 * <p>A sweep is {@link #updateRows()} followed, unless the solver stops, by {@link #updateColumns()}: the row
 * update makes the plan's row sums exact, and returns the L1 violation of its column sums, which the column update
 * then makes exact.
 *
 * <p><b>Over-relaxation.</b> With {@link #omega} {@code != 1} an update moves a potential by {@code omega} times the
 * step to its exact value, {@code f <- (1 - omega) f + omega T(f)} (in kernel form {@code u <- u^(1-omega)
 * (1 / K w)^omega}); the row and column sums are then no longer exact, but the returned violation is still that of
 * the plan after the update. {@code omega = 1} is the plain update.
 */
abstract class Iteration {

    /** The plan and potentials at the end of a run. */
    record Outcome(double[] f, double[] g, double[] rowSums, double[] columnSums, double value, double droppedMass) {
    }

    /** Writes row {@code i} of the plan into {@code p} and of the costs into {@code c} (both length {@code m}). */
    @FunctionalInterface
    interface PlanRows {
        void row(int i, double[] p, double[] c);
    }

    /** Sources {@code n}. */
    final int n;
    /** Targets {@code m}. */
    final int m;
    /** The worker blocks. */
    final RowBlocks blocks;
    /** The relaxation of the next update, in {@code (0, 2)}; set by the solver, 1 unless it accelerates. */
    double omega = 1;
    /**
     * Whether the next {@link #updateRows()} is a check, after which the run may end: an implementation may gather
     * there what {@link #finish()} needs. Set by the solver.
     */
    boolean check;

    Iteration(int n, int m, RowBlocks blocks) {
        this.n = n;
        this.m = m;
        this.blocks = blocks;
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

    /** The potentials {@code f}, {@code g} of the current plan. */
    abstract double[][] potentials();

    /**
     * The potentials of the current plan, its row and column sums, {@code <P, C>}, and a bound on the plan mass
     * that these sums leave out (0 unless the kernel is truncated).
     */
    abstract Outcome finish();

    /** {@link #finish()} by one pass over all rows of the plan, given by {@code rows} (called concurrently). */
    final Outcome finishByRows(PlanRows rows) {
        int k = blocks.maxBlocks();
        double[] rowSums = new double[n];
        double[][] colSums = new double[k][m];
        double[] values = new double[k];
        blocks.run(n, (blk, from, to) -> {
            double[] p = new double[m];
            double[] c = new double[m];
            double[] cs = colSums[blk];
            double value = 0;
            for (int i = from; i < to; i++) {
                rows.row(i, p, c);
                value += addRow(p, c, cs, rowSums, i);
            }
            values[blk] = value;
        });
        double value = reduce(colSums, values);
        double[][] fg = potentials();
        return new Outcome(fg[0], fg[1], rowSums, colSums[0], value, 0);
    }

    /**
     * Adds plan row {@code p} into the column sums {@code cs}, stores its sum in {@code rowSums[i]} and returns
     * {@code <p, c>}. A method per row, so that the JIT compiles it within the first solve of a process.
     */
    private static double addRow(double[] p, double[] c, double[] cs, double[] rowSums, int i) {
        double r = 0;
        double value = 0;
        for (int j = 0; j < p.length; j++) {
            r += p[j];
            cs[j] += p[j];
            value += p[j] * c[j];
        }
        rowSums[i] = r;
        return value;
    }

    /** Adds every worker's column sums into {@code colSums[0]} and returns the sum of {@code values}. */
    static double reduce(double[][] colSums, double[] values) {
        for (int b = 1; b < colSums.length; b++) {
            for (int j = 0; j < colSums[0].length; j++) {
                colSums[0][j] += colSums[b][j];
            }
        }
        double value = 0;
        for (double v : values) {
            value += v;
        }
        return value;
    }
}
