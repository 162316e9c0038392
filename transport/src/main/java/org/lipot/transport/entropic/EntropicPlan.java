package org.lipot.transport.entropic;

import org.lipot.transport.TransportPlan;
import org.lipot.transport.geometry.Geometry;

/**
 * The entropic plan {@code P_ij = a_i b_j exp((f_i + g_j - C_ij) / eps)}, computed entry by entry from the
 * potentials on demand: memory {@code O(n + m)}, whatever the size of the problem. Immutable.
 *
 * <p>Every entry is stored in the sense of {@link TransportPlan} ({@link #nonZeroCount()} is {@code n m}, which must
 * fit an {@code int} for that method and for {@link #toDense()}). {@link #rowSums()} and {@link #columnSums()} are
 * the sums the solver measured on its last pass, not recomputed.
 */
public final class EntropicPlan implements TransportPlan {

    private final Geometry geometry;
    private final double[] logA;
    private final double[] logB;
    private final double[] f;
    private final double[] g;
    private final double eps;
    private final double[] rowSums;
    private final double[] columnSums;

    EntropicPlan(Geometry geometry, double[] a, double[] b, double[] f, double[] g, double eps,
                 double[] rowSums, double[] columnSums) {
        this.geometry = geometry;
        this.logA = LogDomainIteration.logs(a);
        this.logB = LogDomainIteration.logs(b);
        this.f = f;
        this.g = g;
        this.eps = eps;
        this.rowSums = rowSums;
        this.columnSums = columnSums;
    }

    @Override
    public int rows() {
        return f.length;
    }

    @Override
    public int cols() {
        return g.length;
    }

    @Override
    public double get(int i, int j) {
        return entry(i, j, geometry.cost(i, j));
    }

    /** {@code P_ij} for the cost {@code C_ij = cost} (a caller that has the costs at hand). */
    double entry(int i, int j, double cost) {
        return Math.exp(logA[i] + logB[j] + (f[i] + g[j] - cost) / eps);
    }

    /**
     * {@code n m}.
     *
     * @throws ArithmeticException if {@code n m} does not fit an {@code int}
     */
    @Override
    public int nonZeroCount() {
        return Math.multiplyExact(rows(), cols());
    }

    @Override
    public void forEachNonZero(EntryVisitor visitor) {
        for (int i = 0; i < rows(); i++) {
            for (int j = 0; j < cols(); j++) {
                visitor.visit(i, j, get(i, j));
            }
        }
    }

    @Override
    public double[] rowSums() {
        return rowSums.clone();
    }

    @Override
    public double[] columnSums() {
        return columnSums.clone();
    }

    @Override
    public double[][] toDense() {
        nonZeroCount();
        return TransportPlan.super.toDense();
    }

    @Override
    public String toString() {
        return "EntropicPlan[" + rows() + " x " + cols() + ", eps=" + eps + "]";
    }
}
