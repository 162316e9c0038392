package org.lipot.transport.barycenter;

import org.lipot.transport.internal.GibbsKernel;
import org.lipot.transport.internal.RowBlocks;

/**
 * {@link GibbsKernel} on an {@code h x w} pixel grid with the squared Euclidean cost, applied as two 1-D
 * convolutions (Solomon et al., "Convolutional Wasserstein distances", 2015): pixel {@code (r, c)} (index
 * {@code r w + c}) sits at {@code (c s, r s)} with {@code s = 1 / (max(h, w) - 1)}, so that
 * {@code K = K_rows (x) K_columns} with {@code K_1d[p][q] = exp(-s^2 (p - q)^2 / eps)}. A product costs
 * {@code h w (h + w)} operations instead of {@code (h w)^2}, and nothing of size {@code (h w)^2} is stored. The
 * kernel is symmetric: {@link #applyTransposed} is {@link #apply}.
 */
final class GridKernel implements GibbsKernel {

    private final int h;
    private final int w;
    private final RowBlocks blocks;
    private final double[] logRows;
    private final double[] logColumns;
    private final double[] rows;
    private final double[] columns;
    /** {@code log(K_1d * C_1d)}: the 1-D kernels times their costs, for {@link #linearCost}. */
    private final double[] logCostRows;
    private final double[] logCostColumns;

    GridKernel(int height, int width, double epsilon, RowBlocks blocks) {
        this.h = height;
        this.w = width;
        this.blocks = blocks;
        double s = 1.0 / (Math.max(height, width) - 1);
        logRows = logKernel(height, s, epsilon, false);
        logColumns = logKernel(width, s, epsilon, false);
        logCostRows = logKernel(height, s, epsilon, true);
        logCostColumns = logKernel(width, s, epsilon, true);
        rows = exp(logRows);
        columns = exp(logColumns);
    }

    private static double[] logKernel(int size, double s, double epsilon, boolean timesCost) {
        double[] k = new double[size * size];
        for (int p = 0; p < size; p++) {
            for (int q = 0; q < size; q++) {
                double c = s * s * (p - q) * (p - q);
                k[p * size + q] = -c / epsilon + (timesCost ? Math.log(c) : 0);
            }
        }
        return k;
    }

    private static double[] exp(double[] v) {
        double[] e = new double[v.length];
        for (int p = 0; p < v.length; p++) {
            e[p] = Math.exp(v[p]);
        }
        return e;
    }

    @Override
    public int rows() {
        return h * w;
    }

    @Override
    public int columns() {
        return h * w;
    }

    /**
     * Two stages: the row blur drops at most {@code MIN_NORMAL (sum of the row's inputs + w)} from each intermediate
     * value; the column blur (entries at most 1) adds up {@code h} of those and drops at most
     * {@code MIN_NORMAL (sum of the intermediates + h)}, and the intermediates sum to at most {@code inputSum}.
     */
    @Override
    public double underflowBound(double inputSum) {
        return Double.MIN_NORMAL * (2 * inputSum + (double) h * w + h);
    }

    @Override
    public boolean symmetric() {
        return true;
    }

    @Override
    public void applyTransposed(double[][] u, double[][] out) {
        apply(u, out);
    }

    @Override
    public void logApplyTransposed(double[][] a, double[][] out) {
        logApply(a, out);
    }

    @Override
    public void apply(double[][] v, double[][] out) {
        double[][] tmp = new double[v.length][h * w];
        // along each row: tmp[r][c] = sum_c' K_col[c][c'] v[r][c']
        blocks.run(h, (block, from, to) -> {
            for (int k = 0; k < v.length; k++) {
                for (int r = from; r < to; r++) {
                    for (int c = 0; c < w; c++) {
                        double s = 0;
                        for (int q = 0; q < w; q++) {
                            s += columns[c * w + q] * v[k][r * w + q];
                        }
                        tmp[k][r * w + c] = s;
                    }
                }
            }
        });
        // along each column: out[r][c] = sum_r' K_row[r][r'] tmp[r'][c]
        blocks.run(h, (block, from, to) -> {
            for (int k = 0; k < v.length; k++) {
                double[] o = out[k];
                java.util.Arrays.fill(o, from * w, to * w, 0);
                for (int r = from; r < to; r++) {
                    for (int q = 0; q < h; q++) {
                        double kr = rows[r * h + q];
                        for (int c = 0; c < w; c++) {
                            o[r * w + c] += kr * tmp[k][q * w + c];
                        }
                    }
                }
            }
        });
    }

    @Override
    public void logApply(double[][] b, double[][] out) {
        logApply(logRows, logColumns, b, out);
    }

    /** {@code out = log (K_rows' (x) K_columns') exp(b)} for the given 1-D log kernels. */
    private void logApply(double[] logR, double[] logC, double[][] b, double[][] out) {
        double[][] tmp = new double[b.length][h * w];
        blocks.run(h, (block, from, to) -> {
            for (int k = 0; k < b.length; k++) {
                for (int r = from; r < to; r++) {
                    for (int c = 0; c < w; c++) {
                        tmp[k][r * w + c] = logSumExp(logC, c * w, b[k], r * w, 1, w);
                    }
                }
            }
        });
        blocks.run(h, (block, from, to) -> {
            for (int k = 0; k < b.length; k++) {
                for (int r = from; r < to; r++) {
                    for (int c = 0; c < w; c++) {
                        out[k][r * w + c] = logSumExp(logR, r * h, tmp[k], c, w, h);
                    }
                }
            }
        });
    }

    /** {@code log sum_q exp(k[kOff + q] + v[vOff + q vStride])} over {@code q < count}. */
    private static double logSumExp(double[] k, int kOff, double[] v, int vOff, int vStride, int count) {
        double max = Double.NEGATIVE_INFINITY;
        for (int q = 0; q < count; q++) {
            max = Math.max(max, k[kOff + q] + v[vOff + q * vStride]);
        }
        if (max == Double.NEGATIVE_INFINITY) {
            return max;
        }
        double s = 0;
        for (int q = 0; q < count; q++) {
            s += Math.exp(k[kOff + q] + v[vOff + q * vStride] - max);
        }
        return max + Math.log(s);
    }

    @Override
    public double linearCost(double[] a, double[] b) {
        // C = C_rows (x) 1 + 1 (x) C_columns, so K o C = (K_rows o C_rows) (x) K_columns + K_rows (x) (K_columns o C_columns)
        double[][] vertical = new double[1][h * w];
        double[][] horizontal = new double[1][h * w];
        logApply(logCostRows, logColumns, new double[][] {b}, vertical);
        logApply(logRows, logCostColumns, new double[][] {b}, horizontal);
        double s = 0;
        for (int p = 0; p < h * w; p++) {
            if (a[p] != Double.NEGATIVE_INFINITY) {
                s += Math.exp(a[p] + vertical[0][p]) + Math.exp(a[p] + horizontal[0][p]);
            }
        }
        return s;
    }
}
