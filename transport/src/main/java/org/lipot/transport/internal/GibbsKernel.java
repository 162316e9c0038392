package org.lipot.transport.internal;

/**
 * A Gibbs kernel {@code K_ij = exp(-C_ij / eps)} between {@code n} row points (index {@code i}) and {@code m} column
 * points (index {@code j}), applied to {@code k} vectors at once, either as products (fast, but exponentials may
 * underflow) or as log-sum-exp reductions (stable at any epsilon). {@link ScalingSweeps} chooses between the two.
 */
public interface GibbsKernel {

    /** Row points {@code n}. */
    int rows();

    /** Column points {@code m}. */
    int columns();

    /** {@code out[k][i] = sum_j K_ij v[k][j]}. */
    void apply(double[][] v, double[][] out);

    /** {@code out[k][j] = sum_i K_ij u[k][i]}. */
    void applyTransposed(double[][] u, double[][] out);

    /** {@code out[k][i] = log sum_j exp(log K_ij + b[k][j])}; {@code -Infinity} when every term is 0. */
    void logApply(double[][] b, double[][] out);

    /** {@code out[k][j] = log sum_i exp(log K_ij + a[k][i])}. */
    void logApplyTransposed(double[][] a, double[][] out);

    /** {@code <P, C>} for the plan {@code P_ij = exp(a_i + log K_ij + b_j)}, in the cost's units. */
    double linearCost(double[] a, double[] b);

    /** Whether {@code rows() == columns()} and {@code K} is symmetric (one support), as the debiased update needs. */
    boolean symmetric();

    /**
     * A bound on what underflow can drop from one entry of a product with an input vector of sum {@code inputSum}:
     * kernel entries below {@code Double.MIN_NORMAL} (dropped or subnormal) times their inputs, plus products of
     * normal numbers that fall below {@code MIN_NORMAL}, at most {@code MIN_NORMAL} each.
     */
    double underflowBound(double inputSum);
}
