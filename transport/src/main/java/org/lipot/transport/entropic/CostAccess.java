package org.lipot.transport.entropic;

import org.lipot.transport.geometry.Cost;
import org.lipot.transport.geometry.Geometry;
import org.lipot.transport.geometry.PointCloud;

/**
 * Rows and columns of a cost matrix, read from a stored array or computed from coordinates. Implementations are
 * safe for concurrent reads into distinct buffers.
 */
interface CostAccess {

    /** Writes {@code C_ij} for all {@code j} into {@code out[0..m)}. */
    void row(int i, double[] out);

    /** Writes {@code C_ij} for all {@code i} into {@code out[0..n)}. */
    void column(int j, double[] out);

    /**
     * Writes all costs of {@code geometry} row-major into {@code out}, rows in parallel blocks (for a squared
     * Euclidean {@link PointCloud} by a loop over coordinates stored by axis, which the JIT vectorises), and checks
     * them.
     *
     * @throws IllegalArgumentException naming the first non-finite cost of a row block
     */
    static void fill(Geometry geometry, double[] out, RowBlocks blocks) {
        int n = geometry.sourceCount();
        int m = geometry.targetCount();
        boolean direct = geometry instanceof PointCloud cloud && cloud.costFunction() == Cost.SQUARED_EUCLIDEAN;
        double[][] y = direct ? byAxis((PointCloud) geometry) : null;
        if (!direct) {
            geometry.fillRowMajor(out);
        }
        blocks.run(n, (blk, from, to) -> {
            for (int i = from; i < to; i++) {
                int off = i * m;
                if (direct) {
                    double[] x = ((PointCloud) geometry).source(i);
                    for (int k = 0; k < x.length; k++) {
                        double xk = x[k];
                        double[] yk = y[k];
                        for (int j = 0; j < m; j++) {
                            double t = xk - yk[j];
                            out[off + j] += t * t;
                        }
                    }
                }
                for (int j = 0; j < m; j++) {
                    if (!Double.isFinite(out[off + j])) {
                        throw new IllegalArgumentException("cost C(" + i + ", " + j + ") is " + out[off + j]
                                + ": the geometry's costs must be finite");
                    }
                }
            }
        });
    }

    /** The target points of {@code cloud} by axis, {@code [axis][point]}. */
    private static double[][] byAxis(PointCloud cloud) {
        double[][] y = new double[cloud.dimension()][cloud.targetCount()];
        for (int j = 0; j < cloud.targetCount(); j++) {
            double[] p = cloud.target(j);
            for (int k = 0; k < p.length; k++) {
                y[k][j] = p[k];
            }
        }
        return y;
    }

    /** A stored row-major matrix and its transpose (both {@code n m} doubles). */
    static CostAccess stored(int n, int m, double[] rowMajor) {
        double[] transposed = new double[rowMajor.length];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < m; j++) {
                transposed[j * n + i] = rowMajor[i * m + j];
            }
        }
        return new CostAccess() {
            @Override
            public void row(int i, double[] out) {
                System.arraycopy(rowMajor, i * m, out, 0, m);
            }

            @Override
            public void column(int j, double[] out) {
                System.arraycopy(transposed, j * n, out, 0, n);
            }
        };
    }

    /**
     * A stored row-major symmetric {@code n x n} matrix, whose column {@code j} is its row {@code j}: one array of
     * {@code n^2} doubles, no transpose.
     */
    static CostAccess symmetric(int n, double[] rowMajor) {
        return new CostAccess() {
            @Override
            public void row(int i, double[] out) {
                System.arraycopy(rowMajor, i * n, out, 0, n);
            }

            @Override
            public void column(int j, double[] out) {
                row(j, out);
            }
        };
    }

    /** Costs recomputed from the points at every access: memory {@code O((n + m) d)}. */
    static CostAccess online(PointCloud cloud) {
        int n = cloud.sourceCount();
        int m = cloud.targetCount();
        double[][] x = new double[n][];
        double[][] y = new double[m][];
        for (int i = 0; i < n; i++) {
            x[i] = cloud.source(i);
        }
        for (int j = 0; j < m; j++) {
            y[j] = cloud.target(j);
        }
        var cost = cloud.costFunction();
        return new CostAccess() {
            @Override
            public void row(int i, double[] out) {
                double[] xi = x[i];
                for (int j = 0; j < m; j++) {
                    out[j] = cost.between(xi, y[j]);
                }
            }

            @Override
            public void column(int j, double[] out) {
                double[] yj = y[j];
                for (int i = 0; i < n; i++) {
                    out[i] = cost.between(x[i], yj);
                }
            }
        };
    }
}
