package org.lipot.transport.entropic;

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
