package org.lipot.transport.entropic;

import java.lang.System.Logger.Level;
import java.util.Arrays;

import org.lipot.transport.geometry.PointCloud;
import org.lipot.transport.internal.RowBlocks;

/**
 * Log-domain Sinkhorn on squared Euclidean point clouds with block-sparse kernel truncation (Schmitzer 2019,
 * "Stabilized sparse scaling algorithms for entropy regularized transport problems", section 3.3; the block form
 * of GeomLoss's multiscale scheme), memory {@code O((n + m) d)} plus the block lists.
 *
 * <p>Points are reordered along a balanced k-d tree ({@link KdOrder}) and grouped into blocks of at most
 * {@value #BLOCK} consecutive points. A pair of blocks {@code (I, J)} is <i>kept</i> when its plan mass may matter:
 * with {@code phi_i = |x_i|^2 - f_i}, {@code psi_j = |y_j|^2 - g_j} the reduced cost is
 * {@code C_ij - f_i - g_j = phi_i + psi_j - 2 x_i.y_j}, and for any vectors {@code T_I}, {@code S_J}
 * <pre>
 *   C_ij - f_i - g_j = e_i + e'_j + 2 S_J.T_I - 2 (x_i - S_J).(y_j - T_I),
 *   e_i = phi_i - 2 T_I.x_i,   e'_j = psi_j - 2 S_J.y_j,
 * </pre>
 * so, with the blocks' bounding boxes {@code B_I}, {@code B_J},
 * <pre>
 *   sum_{i in I, j in J} P_ij  <=  M_IJ = (sum_I a_i e^{-e_i/eps}) (sum_J b_j e^{-e'_j/eps})
 *        exp(-(2 S_J.T_I - 2 max_{x in B_I, y in B_J} (x - S_J).(y - T_I)) / eps),
 * </pre>
 * where the maximum of the bilinear form over a product of boxes is the sum over axes of its largest value at the
 * four corners.
 * {@code T_I} and {@code S_J} are least-squares fits of {@code grad phi / 2} and {@code grad psi / 2} over the
 * block (the transport map's value there), which makes the bound tight near the transport and any choice makes
 * it valid. The blocks with the smallest bounds are dropped as long as their bounds sum to at most the budget,
 * and every block keeps at least its largest-bound partner. So the plan {@code P(f, g)} differs from the
 * truncated plan that the sweeps compute by at most the dropped mass {@code D}, which is recomputed from the
 * current potentials after every row update; the violation this iteration reports is the truncated plan's plus
 * {@code D}, a rigorous bound on the full plan's.
 *
 * <p>Each kernel entry costs one {@code exp}: sums are shifted by the current potential, so that an entry is
 * {@code P_ij / a_i} (rows) or {@code P_ij / b_j} (columns) of the current plan, and a row or column whose sum
 * leaves {@code [1e-250, 1e250]} is recomputed with its largest exponent factored out.
 */
final class MultiscaleIteration extends Iteration {

    /** Most points per block of the truncation. */
    static final int BLOCK = 128;

    private static final System.Logger LOG = System.getLogger(MultiscaleIteration.class.getName());
    private static final double TINY = 1e-250;
    private static final double HUGE = 1e250;
    /** Below this bound on the cross term, {@code exp} of it cannot overflow. */
    private static final double MAX_EXPONENT = 700;

    private final Side src;
    private final Side tgt;
    private final double budget;
    private double[] f;
    private double[] g;
    private double[] nextG;
    /** The exact row update, when it is over-relaxed. */
    private final double[] exactF;
    private double eps;
    /** Per source block, the kept target blocks; per target block, the kept source blocks. */
    private int[][] rowKept;
    private int[][] colKept;
    private double dropped;
    private final Scratch[] scratch;

    /**
     * Starts from potentials {@code f0}, {@code g0} (original order) on a squared Euclidean cloud.
     *
     * @param budget the largest total plan mass that truncation may drop, in mass units
     */
    MultiscaleIteration(PointCloud cloud, double[] a, double[] b, double[] f0, double[] g0, double eps,
                        double budget, RowBlocks blocks) {
        super(a.length, b.length, blocks);
        double[][] x = points(cloud, true);
        double[] origin = mean(x);
        this.src = new Side(x, origin, a);
        this.tgt = new Side(points(cloud, false), origin, b);
        this.f = src.permute(f0);
        this.g = tgt.permute(g0);
        this.nextG = new double[m];
        this.exactF = new double[n];
        this.eps = eps;
        this.budget = budget;
        this.scratch = scratch(blocks);
        computeBounds();
    }

    private static Scratch[] scratch(RowBlocks blocks) {
        Scratch[] out = new Scratch[blocks.maxBlocks()];
        for (int w = 0; w < out.length; w++) {
            out[w] = new Scratch(BLOCK);
        }
        return out;
    }

    /**
     * The soft c-transform {@code out_p = -eps log sum_q w_q exp((pot_q - |x_p - y_q|^2) / eps)} at the points
     * {@code x} of the potential {@code pot} on the points {@code y} with weights {@code w}, over all pairs, by the
     * block kernel of the sweeps; {@code guess} (an estimate of {@code out}, for example the coarse potential of
     * each point's cluster) shifts each sum, and a sum out of range is recomputed exactly.
     */
    static double[] softTransform(double[][] x, double[] guess, double[][] y, double[] w, double[] pot, double eps,
                                  RowBlocks blocks) {
        double[] origin = mean(x);
        Side self = new Side(x, origin, new double[x.length]);
        Side other = new Side(y, origin, w);
        int[] all = new int[other.blockCount()];
        for (int bj = 0; bj < all.length; bj++) {
            all[bj] = bj;
        }
        int[][] kept = new int[self.blockCount()][];
        Arrays.fill(kept, all);
        double[] out = new double[x.length];
        transform(self, self.permute(guess), other, other.permute(pot), kept, out, eps, blocks, scratch(blocks));
        return self.unpermute(out);
    }

    /** The mean of {@code points}: the origin the coordinates are centred on (the cost is translation invariant). */
    static double[] mean(double[][] points) {
        double[] origin = new double[points[0].length];
        for (double[] p : points) {
            for (int k = 0; k < origin.length; k++) {
                origin[k] += p[k] / points.length;
            }
        }
        return origin;
    }

    /** Copies of the source ({@code source}) or target points of {@code cloud}. */
    static double[][] points(PointCloud cloud, boolean source) {
        int count = source ? cloud.sourceCount() : cloud.targetCount();
        double[][] p = new double[count][];
        for (int i = 0; i < count; i++) {
            p[i] = source ? cloud.source(i) : cloud.target(i);
        }
        return p;
    }

    /** One side (sources or targets): points in k-d order, centred, by axis; weights; blocks and their balls. */
    static final class Side {
        final int size;
        final int dim;
        final int[] order;
        final double[][] coords;
        final double[] sq;
        final double[] w;
        final double[] logW;
        final int[] starts;
        final double[][] centre;
        final double[] radius;
        /** The bounding box of each block, {@code low[block][axis]}, {@code high[block][axis]}. */
        final double[][] low;
        final double[][] high;
        /** {@code delta[axis][p]}: point {@code p} minus its block's centre. */
        final double[][] delta;

        Side(double[][] points, double[] origin, double[] weights) {
            this(points, origin, weights, null);
        }

        /** @param given a k-d order of the points with leaves of {@value Sinkhorn#COARSENING}, or {@code null} */
        Side(double[][] points, double[] origin, double[] weights, int[] given) {
            size = points.length;
            dim = origin.length;
            double[][] byAxis = new double[dim][size];
            for (int k = 0; k < dim; k++) {
                centred(points, k, origin[k], byAxis[k]);
            }
            order = given != null ? given : KdOrder.order(byAxis, Sinkhorn.COARSENING);
            coords = new double[dim][size];
            sq = new double[size];
            for (int k = 0; k < dim; k++) {
                gather(byAxis[k], order, coords[k]);
                addSquares(coords[k], sq);
            }
            w = new double[size];
            gather(weights, order, w);
            logW = new double[size];
            for (int p = 0; p < size; p++) {
                logW[p] = Math.log(w[p]);
            }
            starts = KdOrder.boundaries(size, BLOCK);
            int count = starts.length - 1;
            centre = new double[count][];
            radius = new double[count];
            low = new double[count][];
            high = new double[count][];
            delta = new double[dim][size];
            for (int c = 0; c < count; c++) {
                describe(c);
            }
        }

        /** {@code out[i] = points[i][k] - shift}: one axis of the points, centred. */
        private static void centred(double[][] points, int k, double shift, double[] out) {
            for (int i = 0; i < out.length; i++) {
                out[i] = points[i][k] - shift;
            }
        }

        /** {@code out[p] = v[order[p]]}. */
        private static void gather(double[] v, int[] order, double[] out) {
            for (int p = 0; p < out.length; p++) {
                out[p] = v[order[p]];
            }
        }

        private static void addSquares(double[] v, double[] sq) {
            for (int p = 0; p < v.length; p++) {
                sq[p] += v[p] * v[p];
            }
        }

        /**
         * Block {@code c}'s centre (the mean of its points), radius (the largest distance to the centre), bounding
         * box, and each of its points' offsets from the centre. One method per block, so that the JIT compiles it
         * within the first solve of a process rather than a constructor that runs a few times per solve.
         */
        private void describe(int c) {
            int from = starts[c];
            int to = starts[c + 1];
            double[] mid = new double[dim];
            double[] lo = new double[dim];
            double[] hi = new double[dim];
            for (int k = 0; k < dim; k++) {
                double[] x = coords[k];
                double sum = 0;
                double min = Double.POSITIVE_INFINITY;
                double max = Double.NEGATIVE_INFINITY;
                for (int p = from; p < to; p++) {
                    sum += x[p] / (to - from);
                    min = Math.min(min, x[p]);
                    max = Math.max(max, x[p]);
                }
                mid[k] = sum;
                lo[k] = min;
                hi[k] = max;
            }
            double r2 = 0;
            for (int p = from; p < to; p++) {
                double s = 0;
                for (int k = 0; k < dim; k++) {
                    double t = coords[k][p] - mid[k];
                    delta[k][p] = t;
                    s += t * t;
                }
                r2 = Math.max(r2, s);
            }
            centre[c] = mid;
            radius[c] = Math.sqrt(r2);
            low[c] = lo;
            high[c] = hi;
        }

        int blockCount() {
            return starts.length - 1;
        }

        /** {@code v} (original order) in k-d order. */
        double[] permute(double[] v) {
            double[] out = new double[size];
            for (int p = 0; p < size; p++) {
                out[p] = v[order[p]];
            }
            return out;
        }

        /** {@code v} (k-d order) in original order. */
        double[] unpermute(double[] v) {
            double[] out = new double[size];
            for (int p = 0; p < size; p++) {
                out[order[p]] = v[p];
            }
            return out;
        }

        /**
         * Per block: the fitted vector {@code T} (in {@code fit[c]}) of {@code phi_p = sq_p - pot_p ~ alpha + 2 T.x_p}
         * by least squares, and returns per block {@code log sum_p w_p exp(-e_p / eps)} with
         * {@code e_p = phi_p - 2 T.x_p} (weights below the smallest normal double count as that, so that the bound
         * stays finite and the order of blocks is defined for zero-weight blocks).
         */
        double[] fit(double[] pot, double eps, double[][] fit) {
            int count = blockCount();
            double[] out = new double[count];
            for (int c = 0; c < count; c++) {
                int from = starts[c];
                int to = starts[c + 1];
                double[] t = fitGradient(from, to, pot, c);
                fit[c] = t;
                double min = Double.POSITIVE_INFINITY;
                for (int p = from; p < to; p++) {
                    min = Math.min(min, reduced(p, pot, t));
                }
                double s = 0;
                for (int p = from; p < to; p++) {
                    s += Math.max(w[p], Double.MIN_NORMAL) * Math.exp(-(reduced(p, pot, t) - min) / eps);
                }
                out[c] = -min / eps + Math.log(s);
            }
            return out;
        }

        private double reduced(int p, double[] pot, double[] t) {
            double e = sq[p] - pot[p];
            for (int k = 0; k < dim; k++) {
                e -= 2 * t[k] * coords[k][p];
            }
            return e;
        }

        /** Least-squares {@code T}: {@code (U^T U + ridge) T = U^T phi / 2} with {@code U} the centred points. */
        private double[] fitGradient(int from, int to, double[] pot, int c) {
            double[] mid = centre[c];
            double[][] gram = new double[dim][dim + 1];
            for (int p = from; p < to; p++) {
                double phi = sq[p] - pot[p];
                for (int k = 0; k < dim; k++) {
                    double uk = coords[k][p] - mid[k];
                    for (int l = 0; l <= k; l++) {
                        gram[k][l] += uk * (coords[l][p] - mid[l]);
                    }
                    gram[k][dim] += uk * phi / 2;
                }
            }
            double trace = 0;
            for (int k = 0; k < dim; k++) {
                trace += gram[k][k];
            }
            for (int k = 0; k < dim; k++) {
                gram[k][k] += 1e-12 * trace + Double.MIN_NORMAL;
                for (int l = k + 1; l < dim; l++) {
                    gram[k][l] = gram[l][k];
                }
            }
            return solveSymmetric(gram, dim);
        }
    }

    /** Solves the positive definite system {@code A t = r} given as {@code [A | r]} (Cholesky, in place). */
    static double[] solveSymmetric(double[][] ar, int d) {
        for (int k = 0; k < d; k++) {
            double diag = ar[k][k];
            for (int l = 0; l < k; l++) {
                diag -= ar[k][l] * ar[k][l];
            }
            double s = Math.sqrt(Math.max(diag, Double.MIN_NORMAL));
            ar[k][k] = s;
            for (int i = k + 1; i < d; i++) {
                double v = ar[i][k];
                for (int l = 0; l < k; l++) {
                    v -= ar[i][l] * ar[k][l];
                }
                ar[i][k] = v / s;
            }
        }
        double[] t = new double[d];
        for (int k = 0; k < d; k++) {
            double v = ar[k][d];
            for (int l = 0; l < k; l++) {
                v -= ar[k][l] * t[l];
            }
            t[k] = v / ar[k][k];
        }
        for (int k = d - 1; k >= 0; k--) {
            double v = t[k];
            for (int l = k + 1; l < d; l++) {
                v -= ar[l][k] * t[l];
            }
            t[k] = v / ar[k][k];
        }
        return t;
    }

    /**
     * Recomputes the block bounds {@code log M_IJ} at the current {@code (f, g)}, drops the smallest within the
     * budget, and stores the kept runs and the dropped total {@link #dropped}.
     */
    private void computeBounds() {
        int nb = src.blockCount();
        int mb = tgt.blockCount();
        double[][] t = new double[nb][];
        double[][] s = new double[mb][];
        double[] la = src.fit(f, eps, t);
        double[] lb = tgt.fit(g, eps, s);
        double[] bound = new double[nb * mb];
        int d = src.dim;
        blocks.run(nb, (blk, from, to) -> {
            for (int bi = from; bi < to; bi++) {
                double[] ti = t[bi];
                double[] lo = src.low[bi];
                double[] hi = src.high[bi];
                for (int bj = 0; bj < mb; bj++) {
                    double[] sj = s[bj];
                    double st = 0;
                    double maxDot = 0;
                    for (int k = 0; k < d; k++) {
                        st += sj[k] * ti[k];
                        double x0 = lo[k] - sj[k];
                        double x1 = hi[k] - sj[k];
                        double y0 = tgt.low[bj][k] - ti[k];
                        double y1 = tgt.high[bj][k] - ti[k];
                        maxDot += Math.max(Math.max(x0 * y0, x0 * y1), Math.max(x1 * y0, x1 * y1));
                    }
                    bound[bi * mb + bj] = la[bi] + lb[bj] - (2 * st - 2 * maxDot) / eps;
                }
            }
        });
        double cutoff = cutoff(bound);
        boolean[] keep = new boolean[nb * mb];
        for (int k = 0; k < keep.length; k++) {
            keep[k] = !(bound[k] < cutoff);
        }
        for (int bi = 0; bi < nb; bi++) {
            int best = 0;
            for (int bj = 1; bj < mb; bj++) {
                best = bound[bi * mb + bj] > bound[bi * mb + best] ? bj : best;
            }
            keep[bi * mb + best] = true;
        }
        for (int bj = 0; bj < mb; bj++) {
            int best = 0;
            for (int bi = 1; bi < nb; bi++) {
                best = bound[bi * mb + bj] > bound[best * mb + bj] ? bi : best;
            }
            keep[best * mb + bj] = true;
        }
        double total = 0;
        for (int k = 0; k < keep.length; k++) {
            if (!keep[k]) {
                total += Math.exp(bound[k]);
            }
        }
        dropped = total;
        rowKept = new int[nb][];
        colKept = new int[mb][];
        for (int bi = 0; bi < nb; bi++) {
            int base = bi * mb;
            rowKept[bi] = kept(mb, bj -> keep[base + bj]);
        }
        for (int bj = 0; bj < mb; bj++) {
            int col = bj;
            colKept[bj] = kept(nb, bi -> keep[bi * mb + col]);
        }
        if (LOG.isLoggable(Level.DEBUG)) {
            LOG.log(Level.DEBUG, "multiscale {0} x {1}: {2} of the point pairs kept, dropped mass <= {3}", n, m,
                    keptFraction(), Double.toString(total));
        }
    }

    /** The share of the {@code n m} point pairs in kept blocks. */
    double keptFraction() {
        long pairs = 0;
        for (int bi = 0; bi < rowKept.length; bi++) {
            for (int bj : rowKept[bi]) {
                pairs += (long) (src.starts[bi + 1] - src.starts[bi]) * (tgt.starts[bj + 1] - tgt.starts[bj]);
            }
        }
        return pairs / ((double) n * m);
    }

    /** The largest cutoff such that the bounds below it sum to at most the budget ({@code -inf} if any is NaN). */
    private double cutoff(double[] bound) {
        double[] sorted = bound.clone();
        Arrays.sort(sorted);
        if (Double.isNaN(sorted[sorted.length - 1])) {
            return Double.NEGATIVE_INFINITY;
        }
        double sum = 0;
        for (double v : sorted) {
            double e = Math.exp(v);
            if (sum + e > budget) {
                return v;
            }
            sum += e;
        }
        return Double.POSITIVE_INFINITY;
    }

    private static int[] kept(int count, java.util.function.IntPredicate keep) {
        int[] out = new int[count];
        int len = 0;
        for (int c = 0; c < count; c++) {
            if (keep.test(c)) {
                out[len++] = c;
            }
        }
        return Arrays.copyOf(out, len);
    }

    @Override
    void setEpsilon(double epsilon) {
        this.eps = epsilon;
    }

    @Override
    double updateRows() {
        double[] exact = omega == 1 ? f : exactF;
        transform(src, f, tgt, g, rowKept, exact, eps, blocks, scratch);
        for (int i = 0; i < n && exact != f; i++) {
            f[i] = LogDomainIteration.relaxed(f[i], exact[i], omega);
        }
        computeBounds();
        transform(tgt, g, src, f, colKept, nextG, eps, blocks, scratch);
        double err = dropped;
        for (int j = 0; j < m; j++) {
            if (tgt.w[j] > 0) {
                err += tgt.w[j] * Math.abs(Math.exp((g[j] - nextG[j]) / eps) - 1);
            }
        }
        return err;
    }

    @Override
    void updateColumns() {
        for (int j = 0; j < m; j++) {
            nextG[j] = LogDomainIteration.relaxed(g[j], nextG[j], omega);
        }
        double[] t = g;
        g = nextG;
        nextG = t;
    }

    @Override
    double[][] potentials() {
        return new double[][] {src.unpermute(f), tgt.unpermute(g)};
    }

    /** Per point of {@code side}: {@code log w_p + (pot_p - |p|^2) / eps}, the part of an exponent it contributes. */
    static double[] shifted(Side side, double[] pot, double eps) {
        double[] h = new double[side.size];
        for (int p = 0; p < side.size; p++) {
            h[p] = side.logW[p] + (pot[p] - side.sq[p]) / eps;
        }
        return h;
    }

    /**
     * The soft c-transform over the kept blocks, {@code out_p = -eps log sum_q w_q exp((otherPot_q - |x_p - y_q|^2)
     * / eps)} for every point {@code p} of {@code self} ({@code out} may be {@code pot}): in one pass as
     * {@code pot_p - eps log sum_q exp(z_pq)} with {@code z_pq = log w_q + (pot_p + otherPot_q - C_pq) / eps}, or,
     * where that sum leaves {@code [TINY, HUGE]}, with the largest exponent factored out.
     */
    private static void transform(Side self, double[] pot, Side other, double[] otherPot, int[][] kept, double[] out,
                                  double eps, RowBlocks blocks, Scratch[] scratch) {
        double[] h = shifted(other, otherPot, eps);
        blocks.each(self.blockCount(), (worker, bi) -> {
            Scratch sc = scratch[worker];
            int from = self.starts[bi];
            int to = self.starts[bi + 1];
            double[] sums = sc.sums;
            java.util.Arrays.fill(sums, 0, to - from, 0);
            for (int bj : kept[bi]) {
                double top = sc.prepare(self, bi, other, bj, h, eps);
                for (int p = from; p < to; p++) {
                    double scale = sc.pointFactor(self, p, other, bj, (pot[p] - self.sq[p]) / eps + top, eps);
                    if (scale > 0) {
                        sums[p - from] += scale * sc.dot(other.starts[bj + 1] - other.starts[bj]);
                    }
                }
            }
            for (int p = from; p < to; p++) {
                double sum = sums[p - from];
                out[p] = sum >= TINY && sum <= HUGE ? pot[p] - eps * Math.log(sum)
                        : exactTransform(self, p, pot[p], other, h, kept[bi], sc.exponents, eps);
            }
        });
    }

    /**
     * The c-transform at one point with exact exponentials and its largest exponent factored out; {@code current}
     * if every kept weight is 0.
     */
    private static double exactTransform(Side self, int p, double current, Side other, double[] h, int[] kept,
                                         double[] z, double eps) {
        double max = Double.NEGATIVE_INFINITY;
        for (int bj : kept) {
            int len = exponents(self, p, other, h, bj, z, eps);
            for (int q = 0; q < len; q++) {
                max = Math.max(max, z[q]);
            }
        }
        if (max == Double.NEGATIVE_INFINITY) {
            return current;
        }
        double s = 0;
        for (int bj : kept) {
            int len = exponents(self, p, other, h, bj, z, eps);
            for (int q = 0; q < len; q++) {
                s += Math.exp(z[q] - max);
            }
        }
        return self.sq[p] - eps * (max + Math.log(s));
    }

    /** {@code z[q] = h_q + 2 x_p.y_q / eps} over block {@code bj} of {@code other}; returns its length. */
    static int exponents(Side self, int p, Side other, double[] h, int bj, double[] z, double eps) {
        int from = other.starts[bj];
        int len = other.starts[bj + 1] - from;
        System.arraycopy(h, from, z, 0, len);
        for (int k = 0; k < self.dim; k++) {
            scaled(z, 0, 2 * self.coords[k][p] / eps, other.coords[k], from, len, true);
        }
        return len;
    }

    /**
     * Fills {@code out[at + q] = exp(alpha_q - top)} with {@code alpha_q = h_q + 2 c_I.y_q / eps} over block
     * {@code bj} of {@code other} (see {@link Scratch}), and returns {@code top = max alpha} (0 for an empty maximum).
     */
    static double blockFactors(Side self, int bi, Side other, int bj, double[] h, double eps, double[] out, int at) {
        int from = other.starts[bj];
        int len = other.starts[bj + 1] - from;
        System.arraycopy(h, from, out, at, len);
        double[] c = self.centre[bi];
        for (int k = 0; k < self.dim; k++) {
            scaled(out, at, 2 * c[k] / eps, other.coords[k], from, len, true);
        }
        double top = max(out, at, len);
        expShifted(out, at, len, top);
        return top == Double.NEGATIVE_INFINITY ? 0 : top;
    }

    /** The largest of {@code v[at..at + len)} ({@code -Infinity} if none). */
    private static double max(double[] v, int at, int len) {
        double top = Double.NEGATIVE_INFINITY;
        for (int q = 0; q < len; q++) {
            top = Math.max(top, v[at + q]);
        }
        return top;
    }

    /** {@code v[at + q] = exp(v[at + q] - shift)}. */
    private static void expShifted(double[] v, int at, int len, double shift) {
        for (int q = 0; q < len; q++) {
            v[at + q] = Math.exp(v[at + q] - shift);
        }
    }

    /** The bound {@code 2 rho_I rho_J / eps} on the cross term {@code |t_pq|} of block pair {@code (bi, bj)}. */
    static double crossBound(Side self, int bi, Side other, int bj, double eps) {
        return 2 * self.radius[bi] * other.radius[bj] / eps;
    }

    /**
     * Per-worker buffers for one block pair {@code (I, J)}. With {@code x_p = c_I + delta_p} and
     * {@code y_q = d_J + eta_q}, an exponent {@code h_q + s_p + 2 x_p.y_q / eps} splits into
     * {@code alpha_q = h_q + 2 c_I.y_q / eps}, {@code beta_p = s_p + 2 delta_p.d_J / eps} and the small
     * {@code t_pq = 2 delta_p.eta_q / eps}, bounded by {@code 2 rho_I rho_J / eps}: so {@code exp} is taken once per
     * point of each block, and {@code exp(t_pq)} is a polynomial that the JIT vectorises.
     */
    private static final class Scratch {
        final double[] sums;
        final double[] b;
        final double[] t;
        final double[] exponents;
        final double[] costs;
        double bound;

        Scratch(int length) {
            sums = new double[BLOCK];
            b = new double[BLOCK];
            t = new double[BLOCK];
            exponents = new double[Math.max(BLOCK, length)];
            costs = new double[BLOCK];
        }

        /** Fills {@code b_q = exp(alpha_q - top)} for block {@code bj} and returns {@code top = max alpha}. */
        double prepare(Side self, int bi, Side other, int bj, double[] h, double eps) {
            bound = crossBound(self, bi, other, bj, eps);
            return blockFactors(self, bi, other, bj, h, eps, b, 0);
        }

        /**
         * Fills {@code t_q = exp(2 delta_p.eta_q / eps)} over block {@code bj} and returns
         * {@code exp(base + 2 delta_p.d_J / eps)}.
         */
        double pointFactor(Side self, int p, Side other, int bj, double base, double eps) {
            int from = other.starts[bj];
            int len = other.starts[bj + 1] - from;
            double beta = base;
            double[] d = other.centre[bj];
            for (int k = 0; k < self.dim; k++) {
                double dk = 2 * self.delta[k][p] / eps;
                beta += dk * d[k];
                scaled(t, 0, dk, other.delta[k], from, len, k > 0);
            }
            expSmall(t, len, bound);
            return Math.exp(beta);
        }

        /** {@code sum_q b_q t_q} over the first {@code len} entries. */
        double dot(int len) {
            double s0 = 0;
            double s1 = 0;
            double s2 = 0;
            double s3 = 0;
            int q = 0;
            for (; q + 3 < len; q += 4) {
                s0 += b[q] * t[q];
                s1 += b[q + 1] * t[q + 1];
                s2 += b[q + 2] * t[q + 2];
                s3 += b[q + 3] * t[q + 3];
            }
            for (; q < len; q++) {
                s0 += b[q] * t[q];
            }
            return (s0 + s1) + (s2 + s3);
        }
    }

    /** Above this bound on {@code |t|}, {@link #expSmall} calls {@code Math.exp}. */
    static final double SMALL_LIMIT = 32;

    /**
     * {@code t[q] = exp(t[q])} for {@code |t[q]| <= bound}: the degree-11 Taylor polynomial at {@code t / 2^s} with
     * {@code |t / 2^s| <= 1/2} (relative error below 1e-12), squared {@code s} times; {@code Math.exp} above
     * {@link #SMALL_LIMIT}.
     */
    static void expSmall(double[] t, int len, double bound) {
        if (!(bound <= SMALL_LIMIT)) {
            exact(t, len);
            return;
        }
        int squarings = 0;
        double scale = 1;
        while (bound * scale > 0.5) {
            scale *= 0.5;
            squarings++;
        }
        taylor(t, len, scale);
        for (int r = 0; r < squarings; r++) {
            square(t, len);
        }
    }

    // One loop per method below: a method whose loop runs long is compiled on the stack (OSR) before it is compiled
    // whole, and a caller holding several such loops was compiled three times (2026-12-04, the n = 2000 bench case:
    // 110 ms of the C2 compiler's time, while the command's timed solves ran).

    /** {@code t[q] = exp(t[q])}. */
    private static void exact(double[] t, int len) {
        for (int q = 0; q < len; q++) {
            t[q] = Math.exp(t[q]);
        }
    }

    /** {@code t[q] = taylor(t[q] scale)}. */
    private static void taylor(double[] t, int len, double scale) {
        for (int q = 0; q < len; q++) {
            t[q] = taylor(t[q] * scale);
        }
    }

    /** {@code t[q] = t[q]^2}. */
    private static void square(double[] t, int len) {
        for (int q = 0; q < len; q++) {
            t[q] *= t[q];
        }
    }

    /** {@code t[at + q] = c y[from + q]} ({@code add}: {@code +=}) for {@code q < len}. */
    static void scaled(double[] t, int at, double c, double[] y, int from, int len, boolean add) {
        if (add) {
            for (int q = 0; q < len; q++) {
                t[at + q] += c * y[from + q];
            }
        } else {
            for (int q = 0; q < len; q++) {
                t[at + q] = c * y[from + q];
            }
        }
    }

    /** The degree-11 Taylor polynomial of {@code exp} at {@code u} ({@code |u| <= 1/2}: relative error below 1e-12). */
    private static double taylor(double u) {
        return 1 + u * (1 + u * (1 / 2.0 + u * (1 / 6.0 + u * (1 / 24.0 + u * (1 / 120.0 + u * (1 / 720.0
                + u * (1 / 5040.0 + u * (1 / 40320.0 + u * (1 / 362880.0 + u * (1 / 3628800.0
                + u * (1 / 39916800.0)))))))))));
    }

    /**
     * The truncated plan at the current potentials (bounds recomputed for them): its row and column sums and
     * {@code <P, C>} over the kept blocks, and the dropped mass bound.
     */
    @Override
    Outcome finish() {
        computeBounds();
        int k = blocks.maxBlocks();
        double[] rowSums = new double[n];
        double[][] colSums = new double[k][m];
        double[] values = new double[k];
        double[] h = shifted(tgt, g, eps);
        blocks.each(src.blockCount(), (worker, bi) -> {
            Scratch sc = scratch[worker];
            double[] cs = colSums[worker];
            double value = 0;
            for (int bj : rowKept[bi]) {
                double top = sc.prepare(src, bi, tgt, bj, h, eps);
                int from = tgt.starts[bj];
                int len = tgt.starts[bj + 1] - from;
                for (int i = src.starts[bi]; i < src.starts[bi + 1]; i++) {
                    double shift = src.logW[i] + (f[i] - src.sq[i]) / eps;
                    double scale = sc.pointFactor(src, i, tgt, bj, shift + top, eps);
                    double[] pv = sc.exponents;
                    double[] cv = sc.costs;
                    if (scale < Double.POSITIVE_INFINITY && sc.bound < MAX_EXPONENT) {
                        for (int q = 0; q < len; q++) {
                            pv[q] = scale * sc.b[q] * sc.t[q];
                        }
                    } else {
                        // the factors of an entry may over- and underflow (far from convergence): exact entries
                        exponents(src, i, tgt, h, bj, pv, eps);
                        for (int q = 0; q < len; q++) {
                            pv[q] = Math.exp(pv[q] + shift);
                        }
                    }
                    java.util.Arrays.fill(cv, 0, len, 0);
                    for (int ax = 0; ax < src.dim; ax++) {
                        double xi = src.coords[ax][i];
                        double[] y = tgt.coords[ax];
                        for (int q = 0; q < len; q++) {
                            double diff = xi - y[from + q];
                            cv[q] += diff * diff;
                        }
                    }
                    double r = 0;
                    for (int q = 0; q < len; q++) {
                        cs[from + q] += pv[q];
                        r += pv[q];
                        value += pv[q] * cv[q];
                    }
                    rowSums[i] += r;
                }
            }
            values[worker] += value;
        });
        double value = reduce(colSums, values);
        return new Outcome(src.unpermute(f), tgt.unpermute(g), src.unpermute(rowSums), tgt.unpermute(colSums[0]),
                value, dropped);
    }
}
