package org.lipot.transport.entropic;

import org.lipot.transport.geometry.PointCloud;
import org.lipot.transport.internal.RowBlocks;

import java.util.Arrays;

/**
 * Sinkhorn by matrix scaling on a stored, stabilised kernel (Schmitzer 2019, "Stabilized sparse scaling
 * algorithms for entropy regularized transport problems", section 3.2), with memory {@code n m} doubles of costs and
 * {@code n m} doubles or floats of kernel ({@link KernelStore}: in float32 only the stored kernel entries are rounded,
 * to {@code 2^-24} relative; scalings, potentials and every sum stay double).
 *
 * <p>The plan is {@code P_ij = a_i u_i K_ij v_j b_j} with the stabilised kernel
 * {@code K_ij = exp((f~_i + g~_j - C_ij) / eps)}; the potentials are {@code f = f~ + eps log u},
 * {@code g = g~ + eps log v}. The updates {@code u_i = 1 / sum_j K_ij b_j v_j} and
 * {@code v_j = 1 / sum_i K_ij a_i u_i} cost one multiply-add per entry, and both are done in one pass over the
 * kernel: row {@code i} gives {@code u_i} and is at once accumulated into {@code K^T (a u)}.
 *
 * <p><b>Why it never overflows.</b>
 * <ul>
 *   <li><i>Absorption.</i> When some {@code u_i} or {@code v_j} leaves {@code [1e-50, 1e50]} ({@code [1e-10, 1e10]}
 *       for a float32 kernel, see {@link KernelStore#absorbBound()}), the scalings are
 *       absorbed into {@code f~, g~} and the kernel is rebuilt, row by row, by an exact log-domain row update, so
 *       every rebuilt row has {@code sum_j K_ij b_j = 1} and the entries stay below {@code 1 / b_j}.</li>
 *   <li><i>Log-sum-exp fallback.</i> A row or column whose kernel sum leaves {@code [1e-250, 1e250]} (in
 *       particular one that underflowed to 0, which would make {@code u_i = 1 / 0}) is updated in the log domain
 *       from the costs instead, and its kernel entries are recomputed.</li>
 *   <li>Exponents are capped at 700 (below the double range), which can only bind for columns of zero weight,
 *       whose potentials the next update corrects; a float32 entry is capped at {@link Float#MAX_VALUE} in the same
 *       way.</li>
 * </ul>
 *
 * <p><b>Point clouds.</b> For a squared Euclidean cloud ({@link #forCloud}) the kernel is a {@link CloudKernel}, in
 * the k-d order of both sides, written row by row within the first sweep after each (re)build rather than in a pass
 * of its own; results are mapped back to the points' order. In {@code d <= 3}, when the run ends on a row update
 * that was a {@link #check}, the transport cost comes from the row sums {@code S_i = sum_j K_ij w_j} and the column
 * sums {@code c_j = w_j sum_i a_i u_i K_ij} of that update, and the first moments
 * {@code N_j = sum_i a_i u_i K_ij x_i}, which a check accumulates next to the column sums while each row is still in
 * cache (no pass of its own over the kernel, and no cost per entry):
 * <pre>
 *   &lt;P, C&gt; = sum_i r_i |x_i|^2 + sum_j c_j |y_j|^2 - 2 sum_j w_j y_j.N_j,   r_i = a_i u_i S_i,
 * </pre>
 * in coordinates centred on the sources' mean.
 */
final class KernelIteration extends Iteration {

    private static final double TINY = 1e-250;
    private static final double HUGE = 1e250;
    private static final double MAX_EXPONENT = 700;
    /** The most axes of a cloud whose transport cost comes from moments. */
    private static final int MOMENT_AXES = 3;

    private final CostAccess costs;
    private final CloudKernel dense;
    private final KernelStore kernel;
    private final double absorbBound;
    private final double[] column;
    private final double[] a;
    private final double[] b;
    private final double[] ft;
    private final double[] gt;
    private final double[] u;
    private final double[] v;
    private final double[] w;
    private final double[] logW;
    private final double[] acc;
    private final double[][] blockAcc;
    private final double[][] rowBuffers;
    /**
     * Per worker and axis, its rows' share of the moments {@code N_j}, filled by each check; {@code null} unless the
     * kernel is a cloud's in at most {@value #MOMENT_AXES} axes.
     */
    private final double[][][] momentAcc;
    /** Whether the last row update accumulated {@link #momentAcc}. */
    private boolean momentsTaken;
    /**
     * Whether the last update was of the rows: then {@link #acc} holds the plan's column sums over {@code w}, and
     * {@link #totals} its rows' kernel sums.
     */
    private boolean rowsLast;
    /** Per row, {@code sum_j K_ij w_j} at the last row update (1 for a row it rebuilt). */
    private final double[] totals;
    private double eps;
    private boolean rebuild = true;

    /** The iteration on a stored cost matrix: the kernel is built row by row from {@code costs} in the log domain. */
    static KernelIteration forCosts(int n, int m, CostAccess costs, double[] a, double[] b, double[] f0, double[] g0,
                                    double eps, Sinkhorn.Precision precision, RowBlocks blocks) {
        return new KernelIteration(n, m, costs, null, a, b, f0, g0, eps, precision, blocks);
    }

    /**
     * The iteration on a squared Euclidean cloud, with a {@link CloudKernel} (arguments in the points' order; the
     * cloud's k-d orders as {@link CloudKernel} takes them, or {@code null}).
     */
    static KernelIteration forCloud(PointCloud cloud, double[] a, double[] b, double[] f0, double[] g0, double eps,
                                    Sinkhorn.Precision precision, RowBlocks blocks, int[][] orders) {
        CloudKernel dense = new CloudKernel(cloud, blocks.maxBlocks(), orders);
        return new KernelIteration(a.length, b.length, dense.costs(), dense, dense.rows.permute(a),
                dense.columns.permute(b), dense.rows.permute(f0), dense.columns.permute(g0), eps, precision, blocks);
    }

    private KernelIteration(int n, int m, CostAccess costs, CloudKernel dense, double[] a, double[] b, double[] f0,
                            double[] g0, double eps, Sinkhorn.Precision precision, RowBlocks blocks) {
        super(n, m, blocks);
        this.costs = costs;
        this.dense = dense;
        this.kernel = KernelStore.of(precision, n, m);
        this.absorbBound = kernel.absorbBound();
        this.column = new double[n];
        this.a = a;
        this.b = b;
        this.ft = f0.clone();
        this.gt = g0.clone();
        this.u = new double[n];
        this.v = new double[m];
        this.w = b.clone();
        this.logW = new double[m];
        this.acc = new double[m];
        this.eps = eps;
        this.blockAcc = new double[blocks.maxBlocks()][m];
        this.rowBuffers = new double[blocks.maxBlocks()][m];
        this.momentAcc = dense != null && dense.rows.dim <= MOMENT_AXES
                ? new double[blocks.maxBlocks()][dense.rows.dim][m] : null;
        this.totals = new double[n];
        Arrays.fill(u, 1);
        Arrays.fill(v, 1);
    }

    @Override
    void setEpsilon(double epsilon) {
        rowsLast = false;
        absorbColumns();
        this.eps = epsilon;
        this.rebuild = true;
    }

    /** {@code f~ += eps log u}, {@code u = 1}. */
    private void absorbRows() {
        for (int i = 0; i < n; i++) {
            ft[i] += eps * Math.log(u[i]);
            u[i] = 1;
        }
    }

    /** {@code g~ += eps log v}, {@code v = 1}. */
    private void absorbColumns() {
        for (int j = 0; j < m; j++) {
            gt[j] += eps * Math.log(v[j]);
            v[j] = 1;
            w[j] = b[j];
        }
    }

    @Override
    double updateRows() {
        if (rebuild) {
            absorbColumns();
        }
        LogDomainIteration.logs(w, logW);
        // a cloud's kernel is written at the current potentials within this sweep, four rows just before their update;
        // a row the fast build got out of range is rebuilt exactly by the update
        boolean fill = rebuild && dense != null;
        if (fill) {
            absorbRows();
            dense.begin(gt, eps);
        }
        boolean full = rebuild && dense == null;
        rebuild = false;
        boolean moments = check && momentAcc != null;
        blocks.run(n, (blk, from, to) -> {
            double[] s = blockAcc[blk];
            Arrays.fill(s, 0);
            double[][] mk = moments ? momentAcc[blk] : null;
            if (mk != null) {
                for (double[] row : mk) {
                    Arrays.fill(row, 0);
                }
            }
            double[] buffer = rowBuffers[blk];
            double[] sums = new double[4];
            for (int i = from; i < to; i += 4) {
                int last = Math.min(i + 3, to - 1);
                if (fill) {
                    for (int r = i; r <= last; r++) {
                        dense.fillRow(blk, r, ft[r], kernel);
                    }
                }
                scaleRows(i, last, full, s, sums, buffer, mk);
            }
        });
        rowsLast = true;
        momentsTaken = moments;
        return columnViolation(blockAcc, acc, w, b);
    }

    /**
     * The row update of rows {@code i..last} (at most four), adding their plan rows into the accumulator {@code s}:
     * the four row sums share the loads of {@code w}, and the four rows are accumulated in one pass over {@code s}
     * (a row past {@code last} repeats the last row with weight 0), and, given {@code moments}, their shares of the
     * moments {@code N_j} in one more pass each over the four rows, still in cache. A method of its own, called for
     * every four rows, so that the JIT compiles it fully within the first solve of a process.
     */
    private void scaleRows(int i, int last, boolean full, double[] s, double[] sums, double[] buffer,
                           double[][] moments) {
        int r1 = Math.min(i + 1, last);
        int r2 = Math.min(i + 2, last);
        if (!full) {
            kernel.rowSums(i, r1, r2, last, w, m, sums);
        }
        double t0 = scaleRow(i, full, sums[0], buffer);
        double t1 = i + 1 <= last ? scaleRow(i + 1, full, sums[1], buffer) : 0;
        double t2 = i + 2 <= last ? scaleRow(i + 2, full, sums[2], buffer) : 0;
        double t3 = i + 3 <= last ? scaleRow(i + 3, full, sums[3], buffer) : 0;
        kernel.accumulate(s, t0, i, t1, r1, t2, r2, t3, last, m);
        if (moments != null) {
            for (int k = 0; k < moments.length; k++) {
                double[] x = dense.rows.coords[k];
                kernel.accumulate(moments[k], t0 * x[i], i, t1 * x[r1], r1, t2 * x[r2], r2, t3 * x[last], last, m);
            }
        }
    }

    /**
     * Sums the workers' accumulators {@code blockAcc} into {@code acc} ({@code acc_j = sum_i a_i u_i K_ij}) and
     * returns the column violation {@code sum_j |w_j acc_j - b_j|}.
     */
    private static double columnViolation(double[][] blockAcc, double[] acc, double[] w, double[] b) {
        Arrays.fill(acc, 0);
        for (double[] s : blockAcc) {
            for (int j = 0; j < acc.length; j++) {
                acc[j] += s[j];
            }
        }
        double err = 0;
        for (int j = 0; j < acc.length; j++) {
            err += Math.abs(w[j] * acc[j] - b[j]);
        }
        return err;
    }

    /**
     * Sets {@code u_i} so that row {@code i} of the plan sums to {@code a_i}, from the kernel row sum
     * {@code rowSum = sum_j K_ij w_j}, or in the log domain when that is out of range or {@code full} asks for every
     * row; returns {@code a_i u_i}.
     */
    private double scaleRow(int i, boolean full, double rowSum, double[] buffer) {
        if (full || !(rowSum >= TINY && rowSum <= HUGE)) {
            normaliseRow(i, buffer);
            u[i] = 1;
            totals[i] = 1;
        } else {
            u[i] = relaxed(u[i], rowSum);
            totals[i] = rowSum;
        }
        return a[i] * u[i];
    }

    /**
     * The exact row update in the log domain: sets {@code f~_i} so that {@code sum_j K_ij w_j = 1} with
     * {@code w = b v}, and recomputes row {@code i} of the kernel from the costs.
     */
    private void normaliseRow(int i, double[] y) {
        double inv = 1.0 / eps;
        double max = Double.NEGATIVE_INFINITY;
        costs.row(i, y);
        for (int j = 0; j < m; j++) {
            y[j] = (gt[j] - y[j]) * inv;
            max = Math.max(max, y[j] + logW[j]);
        }
        double s = 0;
        for (int j = 0; j < m; j++) {
            double e = Math.exp(Math.min(y[j] - max, MAX_EXPONENT));
            y[j] = e;
            s += w[j] * e;
        }
        kernel.setRow(i, 0, y, 1 / s, m);
        ft[i] = -eps * (max + Math.log(s));
    }

    /** The column analogue of {@link #normaliseRow}, with weights {@code a u}; sets {@code v_j = 1}. */
    private void normaliseColumn(int j) {
        double inv = 1.0 / eps;
        double max = Double.NEGATIVE_INFINITY;
        costs.column(j, column);
        for (int i = 0; i < n; i++) {
            double t = a[i] * u[i];
            if (t > 0) {
                max = Math.max(max, (ft[i] - column[i]) * inv + Math.log(t));
            }
        }
        double s = 0;
        for (int i = 0; i < n; i++) {
            double e = Math.exp(Math.min((ft[i] - column[i]) * inv - max, MAX_EXPONENT));
            column[i] = e;
            s += a[i] * u[i] * e;
        }
        for (int i = 0; i < n; i++) {
            kernel.set(i, j, column[i] / s);
        }
        gt[j] = -eps * (max + Math.log(s));
        v[j] = 1;
    }

    @Override
    void updateColumns() {
        rowsLast = false;
        for (int j = 0; j < m; j++) {
            double s = acc[j];
            if (s >= TINY && s <= HUGE) {
                v[j] = relaxed(v[j], s);
            } else {
                normaliseColumn(j);
            }
            w[j] = b[j] * v[j];
        }
        rebuild = !within(v, absorbBound) || !within(u, absorbBound);
    }

    /** Whether every scaling lies in {@code [1 / bound, bound]}. */
    private static boolean within(double[] scalings, double bound) {
        for (double x : scalings) {
            if (!(x >= 1 / bound && x <= bound)) {
                return false;
            }
        }
        return true;
    }

    /**
     * The scaling that makes a kernel sum {@code sum} one, {@code 1 / sum}, over-relaxed from {@code current}:
     * {@code current^(1 - omega) sum^(-omega)}.
     */
    private double relaxed(double current, double sum) {
        return omega == 1 ? 1 / sum : Math.exp((1 - omega) * Math.log(current) - omega * Math.log(sum));
    }

    /** The potentials, in the points' order. */
    @Override
    double[][] potentials() {
        double[] f = new double[n];
        double[] g = new double[m];
        for (int i = 0; i < n; i++) {
            f[i] = ft[i] + eps * Math.log(u[i]);
        }
        for (int j = 0; j < m; j++) {
            g[j] = gt[j] + eps * Math.log(v[j]);
        }
        return dense == null ? new double[][] {f, g} : new double[][] {dense.rows.unpermute(f),
                dense.columns.unpermute(g)};
    }

    /**
     * The outcome, in the points' order: by the moments of the last row update if it took them (see the class), else
     * by a pass over the plan with its costs; the kernel is then released for the next solve, so this iteration must
     * not be used again.
     */
    @Override
    Outcome finish() {
        Outcome out = rowsLast && momentsTaken ? finishByMoments() : finishByRows(this::planRow);
        kernel.release();
        return dense == null ? out : new Outcome(out.f(), out.g(), dense.rows.unpermute(out.rowSums()),
                dense.columns.unpermute(out.columnSums()), out.value(), out.droppedMass());
    }

    /**
     * The outcome of the last row update from its row sums ({@link #totals}), column sums ({@link #acc}) and
     * moments ({@link #momentAcc}).
     */
    private Outcome finishByMoments() {
        double[] rowSums = new double[n];
        double[] columnSums = new double[m];
        double value = 0;
        for (int i = 0; i < n; i++) {
            rowSums[i] = a[i] * u[i] * totals[i];
            value += rowSums[i] * dense.rows.sq[i];
        }
        for (int j = 0; j < m; j++) {
            columnSums[j] = w[j] * acc[j];
            double cross = 0;
            for (int k = 0; k < momentAcc[0].length; k++) {
                double moment = 0;
                for (double[][] worker : momentAcc) {
                    moment += worker[k][j];
                }
                cross += dense.columns.coords[k][j] * moment;
            }
            value += columnSums[j] * dense.columns.sq[j] - 2 * w[j] * cross;
        }
        double[][] fg = potentials();
        return new Outcome(fg[0], fg[1], rowSums, columnSums, value, 0);
    }

    private void planRow(int i, double[] p, double[] c) {
        double t = a[i] * u[i];
        costs.row(i, c);
        for (int j = 0; j < m; j++) {
            p[j] = t * kernel.get(i, j) * w[j];
        }
    }
}
