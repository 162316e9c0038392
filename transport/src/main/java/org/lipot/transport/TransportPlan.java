package org.lipot.transport;

import org.lipot.transport.geometry.Geometry;

/**
 * A coupling {@code P} ({@code n x m}, non-negative): {@code P_ij} is the mass moved from source {@code i} to
 * target {@code j}. Its row sums are the source weights and its column sums the target weights, up to the
 * solver's marginal error. Implementations are immutable.
 *
 * <p>{@link SparsePlan} stores only the non-zeros (exact solvers give at most {@code n + m - 1});
 * {@link DensePlan} stores all entries (entropic solvers).
 */
public interface TransportPlan {

    /** Visitor of the stored entries. */
    @FunctionalInterface
    interface EntryVisitor {
        void visit(int i, int j, double mass);
    }

    /** {@code n}. */
    int rows();

    /** {@code m}. */
    int cols();

    /** {@code P_ij} (0 for entries that are not stored). */
    double get(int i, int j);

    /** Number of stored entries (every entry for a dense plan). */
    int nonZeroCount();

    /** Calls the visitor for every stored entry, in row-major order. */
    void forEachNonZero(EntryVisitor visitor);

    /** {@code sum_j P_ij} for each {@code i}. */
    default double[] rowSums() {
        double[] s = new double[rows()];
        forEachNonZero((i, j, p) -> s[i] += p);
        return s;
    }

    /** {@code sum_i P_ij} for each {@code j}. */
    default double[] columnSums() {
        double[] s = new double[cols()];
        forEachNonZero((i, j, p) -> s[j] += p);
        return s;
    }

    /** Total mass {@code sum_ij P_ij}. */
    default double total() {
        double[] s = {0};
        forEachNonZero((i, j, p) -> s[0] += p);
        return s[0];
    }

    /** {@code <P, C> = sum_ij P_ij C_ij}, the linear transport cost of this plan under a geometry. */
    default double cost(Geometry geometry) {
        if (geometry.sourceCount() != rows() || geometry.targetCount() != cols()) {
            throw new IllegalArgumentException("plan is " + rows() + " x " + cols() + " but geometry is "
                    + geometry.sourceCount() + " x " + geometry.targetCount());
        }
        double[] s = {0};
        forEachNonZero((i, j, p) -> s[0] += p * geometry.cost(i, j));
        return s[0];
    }

    /** The plan as a dense {@code n x m} array (a copy). */
    default double[][] toDense() {
        double[][] d = new double[rows()][cols()];
        forEachNonZero((i, j, p) -> d[i][j] += p);
        return d;
    }
}
