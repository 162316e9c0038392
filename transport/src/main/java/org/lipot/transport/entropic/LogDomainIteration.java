package org.lipot.transport.entropic;

import org.lipot.transport.internal.RowBlocks;

/**
 * Sinkhorn in the log domain: every update is a soft-min over a row or a column of the costs,
 * <pre>
 *   f_i = -eps log sum_j b_j exp((g_j - C_ij) / eps),     g_j = -eps log sum_i a_i exp((f_i - C_ij) / eps),
 * </pre>
 * computed with the largest exponent factored out, so nothing overflows or underflows at any epsilon. One
 * {@code exp} per entry and half-sweep; rows and columns are processed in parallel blocks, each with its own
 * buffer, so memory is {@code O(n + m)} besides the costs (which may be computed on the fly).
 *
 * <p>The column update is computed together with the row update's violation: the column sums of the plan after
 * the row update are {@code b_j exp((g_j - g'_j) / eps)}, with {@code g'} the next column potential.
 */
final class LogDomainIteration extends Iteration {

    private final CostAccess costs;
    private final double[] logA;
    private final double[] logB;
    private final double[] b;
    private final double[] f;
    private double[] g;
    private double[] nextG;
    private final double[][] buffers;
    private final double[][] shifted;
    private final double[] blockSums;
    private double eps;

    LogDomainIteration(CostAccess costs, double[] a, double[] b, double[] f0, double[] g0, double eps, RowBlocks blocks) {
        super(a.length, b.length, blocks);
        this.costs = costs;
        this.logA = logs(a);
        this.logB = logs(b);
        this.b = b;
        this.f = f0.clone();
        this.g = g0.clone();
        this.nextG = new double[m];
        this.eps = eps;
        int k = blocks.maxBlocks();
        int len = Math.max(n, m);
        this.buffers = new double[k][len];
        this.shifted = new double[k][len];
        this.blockSums = new double[k];
    }

    /** {@code log w} entrywise ({@code -Infinity} for a zero weight, which then drops out of every sum). */
    static double[] logs(double[] w) {
        return logs(w, new double[w.length]);
    }

    /** {@code out_k = log w_k}, into {@code out}; returns {@code out}. */
    static double[] logs(double[] w, double[] out) {
        for (int k = 0; k < w.length; k++) {
            out[k] = Math.log(w[k]);
        }
        return out;
    }

    /**
     * {@code -eps log sum_k exp(logW_k + (pot_k - c_k) / eps)} over {@code k < len}, with the largest exponent
     * factored out. {@code z} is scratch.
     */
    static double softMin(double[] c, double[] pot, double[] logW, double eps, int len, double[] z) {
        double inv = 1.0 / eps;
        double max = Double.NEGATIVE_INFINITY;
        for (int k = 0; k < len; k++) {
            double v = logW[k] + (pot[k] - c[k]) * inv;
            z[k] = v;
            max = Math.max(max, v);
        }
        double s = 0;
        for (int k = 0; k < len; k++) {
            s += Math.exp(z[k] - max);
        }
        return -eps * (max + Math.log(s));
    }

    @Override
    void setEpsilon(double epsilon) {
        this.eps = epsilon;
    }

    @Override
    double updateRows() {
        blocks.run(n, (blk, from, to) -> {
            double[] c = buffers[blk];
            double[] z = shifted[blk];
            for (int i = from; i < to; i++) {
                costs.row(i, c);
                f[i] = relaxed(f[i], softMin(c, g, logB, eps, m, z), omega);
            }
        });
        return softTransform(costs::column, m, f, logA, eps, g, b, nextG, buffers, shifted, blockSums, blocks);
    }

    /** Writes line {@code k} of the costs (a row or a column) into {@code out}. */
    @FunctionalInterface
    interface CostLine {
        void read(int k, double[] out);
    }

    /**
     * The soft c-transform over {@code count} cost lines, in parallel blocks: {@code out_k = -eps log sum_l
     * exp(logW_l + (pot_l - C(k, l)) / eps)} with line {@code k} read by {@code line}; returns the L1 violation
     * {@code sum_k w_k |exp((prev_k - out_k) / eps) - 1|} of the marginal {@code w} for the plan whose potential on
     * this side is {@code prev} (zero weights skipped). {@code buffers}, {@code shifted} ({@code blocks x len}) and
     * {@code blockSums} are scratch.
     */
    static double softTransform(CostLine line, int count, double[] pot, double[] logW, double eps, double[] prev,
                                double[] w, double[] out, double[][] buffers, double[][] shifted, double[] blockSums,
                                RowBlocks blocks) {
        java.util.Arrays.fill(blockSums, 0);
        blocks.run(count, (blk, from, to) -> {
            double[] c = buffers[blk];
            double[] z = shifted[blk];
            double err = 0;
            for (int k = from; k < to; k++) {
                line.read(k, c);
                double next = softMin(c, pot, logW, eps, pot.length, z);
                out[k] = next;
                if (w[k] > 0) {
                    err += w[k] * Math.abs(Math.exp((prev[k] - next) / eps) - 1);
                }
            }
            blockSums[blk] = err;
        });
        double err = 0;
        for (double e : blockSums) {
            err += e;
        }
        return err;
    }

    @Override
    void updateColumns() {
        for (int j = 0; j < m; j++) {
            nextG[j] = relaxed(g[j], nextG[j], omega);
        }
        double[] t = g;
        g = nextG;
        nextG = t;
    }

    /** {@code (1 - omega) current + omega exact}, exactly {@code exact} when {@code omega = 1}. */
    static double relaxed(double current, double exact, double omega) {
        return omega == 1 ? exact : current + omega * (exact - current);
    }

    @Override
    double[][] potentials() {
        return new double[][] {f.clone(), g.clone()};
    }

    @Override
    Outcome finish() {
        return finishByRows(this::planRow);
    }

    private void planRow(int i, double[] p, double[] c) {
        costs.row(i, c);
        gibbsRow(logA[i] + f[i] / eps, c, g, logB, eps, p);
    }

    /** {@code p_j = exp(base + logW_j + (pot_j - c_j) / eps)} for {@code j < p.length}: a row of the Gibbs plan. */
    static void gibbsRow(double base, double[] c, double[] pot, double[] logW, double eps, double[] p) {
        double inv = 1.0 / eps;
        for (int j = 0; j < p.length; j++) {
            p[j] = Math.exp(base + logW[j] + (pot[j] - c[j]) * inv);
        }
    }
}
