package org.lipot.transport.barycenter;

import org.lipot.transport.geometry.Geometry;
import org.lipot.transport.internal.RowBlocks;

/**
 * {@link BarycenterKernel} on a stored {@code n x m} cost matrix; the kernel {@code exp(-C / eps)} itself is built
 * on first use, so that a log-domain solve stores the costs only. Products and reductions over rows run on
 * {@link RowBlocks} over rows, those over columns on blocks of columns (each worker sweeps every row for its
 * columns, so no reduction across workers is needed).
 */
final class DenseKernel implements BarycenterKernel {

    private final int n;
    private final int m;
    private final double inverse;
    private final double[] cost;
    private final boolean symmetric;
    private final RowBlocks blocks;
    private double[] kernel;

    DenseKernel(Geometry geometry, double epsilon, RowBlocks blocks) {
        this.n = geometry.sourceCount();
        this.m = geometry.targetCount();
        this.inverse = 1 / epsilon;
        this.blocks = blocks;
        this.cost = new double[n * m];
        geometry.fillRowMajor(cost);
        boolean sym = n == m;
        for (int i = 0; i < n && sym; i++) {
            for (int j = 0; j < i && sym; j++) {
                sym = cost[i * m + j] == cost[j * m + i];
            }
        }
        this.symmetric = sym;
    }

    @Override
    public int rows() {
        return n;
    }

    @Override
    public int columns() {
        return m;
    }

    @Override
    public boolean symmetric() {
        return symmetric;
    }

    private double[] kernel() {
        if (kernel == null) {
            double[] k = new double[n * m];
            blocks.run(n, (block, from, to) -> {
                for (int p = from * m; p < to * m; p++) {
                    k[p] = Math.exp(-cost[p] * inverse);
                }
            });
            kernel = k;
        }
        return kernel;
    }

    @Override
    public void apply(double[][] v, double[][] out) {
        double[] k = kernel();
        blocks.run(n, (block, from, to) -> {
            for (int i = from; i < to; i++) {
                int row = i * m;
                for (int h = 0; h < v.length; h++) {
                    double[] vh = v[h];
                    double s = 0;
                    for (int j = 0; j < m; j++) {
                        s += k[row + j] * vh[j];
                    }
                    out[h][i] = s;
                }
            }
        });
    }

    @Override
    public void applyTransposed(double[][] u, double[][] out) {
        double[] k = kernel();
        blocks.run(m, (block, from, to) -> {
            for (double[] o : out) {
                java.util.Arrays.fill(o, from, to, 0);
            }
            for (int i = 0; i < n; i++) {
                int row = i * m;
                for (int h = 0; h < u.length; h++) {
                    double ui = u[h][i];
                    double[] oh = out[h];
                    for (int j = from; j < to; j++) {
                        oh[j] += k[row + j] * ui;
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
