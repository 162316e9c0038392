package org.lipot.transport.entropic;

import java.util.Arrays;

import org.lipot.transport.entropic.MultiscaleIteration.Side;
import org.lipot.transport.geometry.PointCloud;

/**
 * The dense stabilised kernel {@code K_pq = exp((f_p + g_q - |x_p - y_q|^2) / eps)} of a squared Euclidean point
 * cloud, with both sides in k-d order ({@link Side}): row {@code p} is the {@code p}-th source point of that order and
 * column {@code q} the {@code q}-th target point, so that the points of a block are consecutive on both sides.
 * {@link KernelIteration} runs in this order and maps its results back.
 *
 * <p>A row is written by the cheap entries of {@link MultiscaleIteration}'s blocks: with {@code x_p = c_I + delta_p}
 * and {@code y_q = d_J + eta_q} (block centres and offsets), {@code K_pq = exp(beta_pJ) b_q exp(t_pq)}, where
 * {@code b_q = exp(h_q + 2 c_I.y_q / eps - top_J)} is computed once per source block,
 * {@code beta_pJ = (f_p - |x_p|^2) / eps + top_J + 2 delta_p.d_J / eps} once per point and target block, and the
 * small cross term {@code t_pq = 2 delta_p.eta_q / eps} by a polynomial ({@link MultiscaleIteration#expSmall}) that
 * the JIT vectorises over the whole row: about 1 ns an entry against 5-6 for {@code Math.exp}. An entry is exact to
 * about 1e-11 relative; it may come out as 0 below {@code e^-681} times the largest entry of its row in its block
 * pair (block pairs whose cross term may exceed {@value MultiscaleIteration#SMALL_LIMIT} take one {@code exp} per
 * entry instead), and as infinity or NaN where the potentials are far from balanced, which {@link KernelIteration}
 * detects in the row sums and recomputes exactly.
 */
final class CloudKernel {

    /** The sources in k-d order: the kernel's rows. */
    final Side rows;
    /** The targets in k-d order: the kernel's columns. */
    final Side columns;
    private final CostAccess costs;
    private final Worker[] workers;
    private double[] h;
    private double eps;

    /**
     * The kernel of {@code cloud}, written by up to {@code workers} threads at once.
     *
     * @param orders k-d orders of the sources and targets with leaves of {@value Sinkhorn#COARSENING} (a coarse
     *               start's), or {@code null} to compute them
     */
    CloudKernel(PointCloud cloud, int workers, int[][] orders) {
        double[][] x = MultiscaleIteration.points(cloud, true);
        double[][] y = MultiscaleIteration.points(cloud, false);
        double[] origin = MultiscaleIteration.mean(x);
        this.rows = new Side(x, origin, ones(x.length), orders == null ? null : orders[0]);
        this.columns = new Side(y, origin, ones(y.length), orders == null ? null : orders[1]);
        this.costs = CostAccess.squaredEuclidean(rows.coords, columns.coords, cloud);
        this.workers = new Worker[workers];
        for (int w = 0; w < workers; w++) {
            this.workers[w] = new Worker(columns.size, columns.blockCount());
        }
    }

    private static double[] ones(int length) {
        double[] w = new double[length];
        Arrays.fill(w, 1);
        return w;
    }

    /** The costs in this kernel's order, from the centred coordinates. */
    CostAccess costs() {
        return costs;
    }

    /** Starts writing rows for the target potential {@code g} (k-d order) at {@code eps}. */
    void begin(double[] g, double eps) {
        this.h = MultiscaleIteration.shifted(columns, g, eps);
        this.eps = eps;
        for (Worker w : workers) {
            w.first = 0;
            w.end = 0;
        }
    }

    /**
     * Writes row {@code p} of {@code kernel} for the source potential {@code fp} and the target potential of
     * {@link #begin}; distinct workers may write distinct rows at once. A method per row, so that the JIT compiles
     * it within the first solve of a process.
     */
    void fillRow(int worker, int p, double fp, KernelStore kernel) {
        Worker w = workers[worker];
        if (p < w.first || p >= w.end) {
            prepare(w, block(p));
        }
        int m = columns.size;
        double[] t = w.t;
        for (int k = 0; k < rows.dim; k++) {
            MultiscaleIteration.scaled(t, 0, 2 * rows.delta[k][p] / eps, columns.delta[k], 0, m, k > 0);
        }
        if (w.smallBound >= 0) {
            MultiscaleIteration.expSmall(t, m, w.smallBound);
        }
        double base = (fp - rows.sq[p]) / eps;
        for (int bj = 0; bj < w.tops.length; bj++) {
            storeBlock(w, p, bj, base, kernel);
        }
    }

    /**
     * Row {@code p}'s entries in target block {@code bj}, from the row's cross terms, {@code base = (f_p - |x_p|^2)
     * / eps}.
     */
    private void storeBlock(Worker w, int p, int bj, double base, KernelStore kernel) {
        if (!(w.bounds[bj] <= MultiscaleIteration.SMALL_LIMIT)) {
            exactEntries(p, bj, base, w.exponents, kernel);
            return;
        }
        int from = columns.starts[bj];
        double beta = base + w.tops[bj];
        double[] d = columns.centre[bj];
        for (int k = 0; k < rows.dim; k++) {
            beta += 2 * rows.delta[k][p] / eps * d[k];
        }
        kernel.setProducts(p, w.t, w.factors, from, Math.exp(beta),
                columns.starts[bj + 1] - from);
    }

    /** Row {@code p}'s entries in target block {@code bj} by one {@code exp} each: a cross term too wide to factor. */
    private void exactEntries(int p, int bj, double base, double[] z, KernelStore kernel) {
        int len = MultiscaleIteration.exponents(rows, p, columns, h, bj, z, eps);
        for (int q = 0; q < len; q++) {
            z[q] = Math.exp(z[q] + base);
        }
        kernel.setRow(p, columns.starts[bj], z, 1, len);
    }

    /** The source block holding row {@code p}. */
    private int block(int p) {
        int at = Arrays.binarySearch(rows.starts, p);
        return at >= 0 ? at : -at - 2;
    }

    /** Source block {@code bi}'s factors {@code b_q}, tops and cross-term bounds against every target block. */
    private void prepare(Worker w, int bi) {
        w.first = rows.starts[bi];
        w.end = rows.starts[bi + 1];
        w.smallBound = -1;
        for (int bj = 0; bj < w.tops.length; bj++) {
            w.tops[bj] = MultiscaleIteration.blockFactors(rows, bi, columns, bj, h, eps, w.factors,
                    columns.starts[bj]);
            w.bounds[bj] = MultiscaleIteration.crossBound(rows, bi, columns, bj, eps);
            if (w.bounds[bj] <= MultiscaleIteration.SMALL_LIMIT) {
                w.smallBound = Math.max(w.smallBound, w.bounds[bj]);
            }
        }
    }

    /** One writer's buffers: the factors and bounds of its current source block, and one row's cross terms. */
    private static final class Worker {
        final double[] factors;
        final double[] t;
        final double[] tops;
        final double[] bounds;
        final double[] exponents;
        /** The largest bound at most {@link MultiscaleIteration#SMALL_LIMIT} of the block, or -1 if none is. */
        double smallBound;
        /**
         * The rows {@code first..end-1} of the current source block, an empty range after {@link CloudKernel#begin}:
         * the test for a new block is then taken once per block, never once per solve only (a branch the JIT would
         * compile away, and deoptimise on in the next solve).
         */
        int first;
        int end;

        Worker(int m, int count) {
            factors = new double[m];
            t = new double[m];
            tops = new double[count];
            bounds = new double[count];
            exponents = new double[MultiscaleIteration.BLOCK];
        }
    }
}
