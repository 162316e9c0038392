package org.lipot.transport.internal;

import org.lipot.transport.geometry.Geometry;

/**
 * {@link GibbsKernel} on a stored {@code n x m} cost matrix; the kernel {@code exp(-C / eps)} itself is built
 * on first use, so that a log-domain solve stores the costs only. Products and reductions over rows run on
 * {@link RowBlocks} over rows, those over columns on blocks of columns (each worker sweeps every row for its
 * columns, so no reduction across workers is needed).
 */
public final class DenseGibbsKernel implements GibbsKernel {

    private final int n;
    private final int m;
    private final double inverse;
    private final double[] cost;
    private final boolean symmetric;
    private final RowBlocks blocks;
    private double[] kernel;
    private double[] transposed;

    /** The kernel of {@code geometry}'s costs at {@code epsilon}; the costs are read once, here. */
    public DenseGibbsKernel(Geometry geometry, double epsilon, RowBlocks blocks) {
        this(geometry.sourceCount(), geometry.targetCount(), rowMajor(geometry), epsilon, blocks);
    }

    /**
     * The kernel of the row-major {@code n x m} costs {@code cost} at {@code epsilon}, for a caller that holds the
     * costs already: the array is used as it is, not copied, and must not change while the kernel is in use.
     */
    public DenseGibbsKernel(int n, int m, double[] cost, double epsilon, RowBlocks blocks) {
        this.n = n;
        this.m = m;
        this.inverse = 1 / epsilon;
        this.blocks = blocks;
        this.cost = cost;
        boolean sym = n == m;
        for (int i = 0; i < n && sym; i++) {
            for (int j = 0; j < i && sym; j++) {
                sym = cost[i * m + j] == cost[j * m + i];
            }
        }
        this.symmetric = sym;
    }

    private static double[] rowMajor(Geometry geometry) {
        double[] c = new double[geometry.sourceCount() * geometry.targetCount()];
        geometry.fillRowMajor(c);
        return c;
    }

    @Override
    public int rows() {
        return n;
    }

    @Override
    public int columns() {
        return m;
    }

    /** {@code MIN_NORMAL (inputSum + max(n, m))}: each entry below {@code MIN_NORMAL} meets one input. */
    @Override
    public double underflowBound(double inputSum) {
        return Double.MIN_NORMAL * (inputSum + Math.max(n, m));
    }

    @Override
    public boolean symmetric() {
        return symmetric;
    }

    /** {@code exp(-C / eps)}, row-major {@code n x m}, built on first use. */
    private double[] kernel() {
        if (kernel == null) {
            kernel = exp(cost, n, m);
        }
        return kernel;
    }

    /** {@code exp(-C^T / eps)}, row-major {@code m x n}: the kernel itself when it is symmetric. */
    private double[] transposedKernel() {
        if (symmetric) {
            return kernel();
        }
        if (transposed == null) {
            double[] t = new double[m * n];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < m; j++) {
                    t[j * n + i] = cost[i * m + j];
                }
            }
            transposed = exp(t, m, n);
        }
        return transposed;
    }

    /** {@code exp(-c / eps)} in place, over {@code rows} rows of {@code columns}. */
    private double[] exp(double[] c, int rows, int columns) {
        double[] k = c == cost ? new double[c.length] : c;
        blocks.run(rows, (block, from, to) -> {
            for (int p = from * columns; p < to * columns; p++) {
                k[p] = Math.exp(-c[p] * inverse);
            }
        });
        return k;
    }

    @Override
    public void apply(double[][] v, double[][] out) {
        axpy(transposedKernel(), m, n, v, out);
    }

    @Override
    public void applyTransposed(double[][] u, double[][] out) {
        axpy(kernel(), n, m, u, out);
    }

    /**
     * {@code out[h] = k^T x[h]} for a row-major {@code rows x columns} matrix {@code k}, as sums of scaled rows (a
     * vectorisable multiply-add per entry), each worker taking a block of output columns and reading every row's
     * block once for all vectors.
     */
    private void axpy(double[] k, int rows, int columns, double[][] x, double[][] out) {
        blocks.run(columns, (block, from, to) -> {
            for (double[] o : out) {
                java.util.Arrays.fill(o, from, to, 0);
            }
            int i = 0;
            for (; i + 4 <= rows; i += 4) { // four rows per pass: one load and store of the output per four products
                int r0 = i * columns;
                int r1 = r0 + columns;
                int r2 = r1 + columns;
                int r3 = r2 + columns;
                for (int h = 0; h < x.length; h++) {
                    double[] xh = x[h];
                    double x0 = xh[i];
                    double x1 = xh[i + 1];
                    double x2 = xh[i + 2];
                    double x3 = xh[i + 3];
                    double[] oh = out[h];
                    for (int j = from; j < to; j++) {
                        oh[j] += k[r0 + j] * x0 + k[r1 + j] * x1 + k[r2 + j] * x2 + k[r3 + j] * x3;
                    }
                }
            }
            for (; i < rows; i++) {
                int row = i * columns;
                for (int h = 0; h < x.length; h++) {
                    double xi = x[h][i];
                    double[] oh = out[h];
                    for (int j = from; j < to; j++) {
                        oh[j] += k[row + j] * xi;
                    }
                }
            }
        });
    }

    @Override
    public void logApply(double[][] b, double[][] out) {
        blocks.run(n, (block, from, to) -> {
            for (int i = from; i < to; i++) {
                int row = i * m;
                for (int h = 0; h < b.length; h++) {
                    double[] bh = b[h];
                    double max = Double.NEGATIVE_INFINITY;
                    for (int j = 0; j < m; j++) {
                        max = Math.max(max, bh[j] - cost[row + j] * inverse);
                    }
                    if (max == Double.NEGATIVE_INFINITY) {
                        out[h][i] = max;
                        continue;
                    }
                    double s = 0;
                    for (int j = 0; j < m; j++) {
                        s += Math.exp(bh[j] - cost[row + j] * inverse - max);
                    }
                    out[h][i] = max + Math.log(s);
                }
            }
        });
    }

    @Override
    public void logApplyTransposed(double[][] a, double[][] out) {
        blocks.run(m, (block, from, to) -> {
            for (int h = 0; h < a.length; h++) {
                double[] ah = a[h];
                double[] oh = out[h];
                java.util.Arrays.fill(oh, from, to, Double.NEGATIVE_INFINITY);
                for (int i = 0; i < n; i++) {
                    int row = i * m;
                    for (int j = from; j < to; j++) {
                        oh[j] = Math.max(oh[j], ah[i] - cost[row + j] * inverse);
                    }
                }
                double[] s = new double[to - from];
                for (int i = 0; i < n; i++) {
                    int row = i * m;
                    for (int j = from; j < to; j++) {
                        if (oh[j] != Double.NEGATIVE_INFINITY) {
                            s[j - from] += Math.exp(ah[i] - cost[row + j] * inverse - oh[j]);
                        }
                    }
                }
                for (int j = from; j < to; j++) {
                    if (oh[j] != Double.NEGATIVE_INFINITY) {
                        oh[j] += Math.log(s[j - from]);
                    }
                }
            }
        });
    }

    @Override
    public double linearCost(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < n; i++) {
            if (a[i] == Double.NEGATIVE_INFINITY) {
                continue;
            }
            int row = i * m;
            for (int j = 0; j < m; j++) {
                double c = cost[row + j];
                if (c != 0 && b[j] != Double.NEGATIVE_INFINITY) {
                    s += Math.exp(a[i] - c * inverse + b[j]) * c;
                }
            }
        }
        return s;
    }
}
