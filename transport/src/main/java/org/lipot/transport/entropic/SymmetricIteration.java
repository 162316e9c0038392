package org.lipot.transport.entropic;

import org.lipot.transport.internal.RowBlocks;

/**
 * The symmetric Sinkhorn iteration for the self-transport problem {@code OT_eps(a, a)} on a symmetric cost
 * {@code C_ij = c(x_i, x_j) = C_ji} (Feydy et al. 2019, "Interpolating between optimal transport and MMD using
 * Sinkhorn divergences", section 3.1). Its solution has one potential, {@code g = f}, the fixed point of the soft
 * c-transform against itself
 * <pre>
 *   T_eps(f)_i = -eps log sum_j a_j exp((f_j - C_ij) / eps),
 * </pre>
 * and the averaged update {@code f <- (f + T_eps(f)) / 2} reaches it in a few tens of sweeps, where the plain
 * alternating iteration on the same problem can oscillate for thousands of sweeps. The plan
 * {@code P_ij = a_i a_j exp((f_i + f_j - C_ij) / eps)} is symmetric; its row sums are
 * {@code a_i exp((f_i - T_eps(f)_i) / eps)}.
 *
 * <p>A sweep is {@link #updateRows()}, which computes {@code T_eps(f)} in log-sum-exp form over row blocks and returns
 * the L1 marginal violation {@code sum_i a_i |exp((f_i - T_eps(f)_i) / eps) - 1|} of the current plan (its rows and,
 * by symmetry, its columns), then {@link #updateColumns()}, the averaging. Memory is {@code O(n)} besides the costs.
 */
final class SymmetricIteration extends Iteration {

    private final CostAccess costs;
    private final double[] a;
    private final double[] logA;
    private final double[] f;
    private final double[] transform;
    private final double[][] buffers;
    private final double[][] shifted;
    private final double[] blockSums;
    private double eps;

    /** Starts from {@code f = 0}; {@code costs} must be symmetric ({@code n x n}). */
    SymmetricIteration(CostAccess costs, double[] a, double eps, RowBlocks blocks) {
        super(a.length, a.length, blocks);
        this.costs = costs;
        this.a = a;
        this.logA = LogDomainIteration.logs(a);
        this.f = new double[n];
        this.transform = new double[n];
        this.eps = eps;
        int k = blocks.maxBlocks();
        this.buffers = new double[k][n];
        this.shifted = new double[k][n];
        this.blockSums = new double[k];
    }

    @Override
    void setEpsilon(double epsilon) {
        this.eps = epsilon;
    }

    @Override
    double updateRows() {
        return LogDomainIteration.softTransform(costs::row, n, f, logA, eps, f, a, transform, buffers, shifted,
                blockSums, blocks);
    }

    @Override
    void updateColumns() {
        for (int i = 0; i < n; i++) {
            f[i] = 0.5 * (f[i] + transform[i]);
        }
    }

    @Override
    double[][] potentials() {
        return new double[][] {f.clone(), f.clone()};
    }

    @Override
    Outcome finish() {
        return finishByRows(this::planRow);
    }

    private void planRow(int i, double[] p, double[] c) {
        costs.row(i, c);
        LogDomainIteration.gibbsRow(logA[i] + f[i] / eps, c, f, logA, eps, p);
    }
}
