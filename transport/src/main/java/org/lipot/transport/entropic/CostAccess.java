package org.lipot.transport.entropic;

import org.lipot.transport.geometry.Cost;
import org.lipot.transport.geometry.Geometry;
import org.lipot.transport.geometry.PointCloud;
import org.lipot.transport.internal.RowBlocks;

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
        double[][] x = direct ? byAxis((PointCloud) geometry, true) : null;
        double[][] y = direct ? byAxis((PointCloud) geometry, false) : null;
        if (!direct) {
            geometry.fillRowMajor(out);
        }
        blocks.run(n, (blk, from, to) -> {
            for (int i = from; i < to; i++) {
                int off = i * m;
                if (direct) {
                    distances(x, i, y, out, off);
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

    /** The source ({@code source}) or target points of {@code cloud} by axis, {@code [axis][point]}. */
    static double[][] byAxis(PointCloud cloud, boolean source) {
        int count = source ? cloud.sourceCount() : cloud.targetCount();
        double[][] out = new double[cloud.dimension()][count];
        for (int j = 0; j < count; j++) {
            double[] p = source ? cloud.source(j) : cloud.target(j);
            for (int k = 0; k < p.length; k++) {
                out[k][j] = p[k];
            }
        }
        return out;
    }

    /** A stored row-major matrix; columns are read with stride {@code m} (for rare column reads). */
    static CostAccess rowMajor(int n, int m, double[] c) {
        return new CostAccess() {
            @Override
            public void row(int i, double[] out) {
                System.arraycopy(c, i * m, out, 0, m);
            }

            @Override
            public void column(int j, double[] out) {
                for (int i = 0; i < n; i++) {
                    out[i] = c[i * m + j];
                }
            }
        };
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
        if (cloud.costFunction() == Cost.SQUARED_EUCLIDEAN) {
            return squaredEuclidean(cloud);
        }
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

    /**
     * {@code |x_i - y_j|^2} from coordinates stored by axis, in loops the JIT vectorises.
     *
     * @throws IllegalArgumentException if a cost could overflow (the squared diameter of the points is not finite)
     */
    private static CostAccess squaredEuclidean(PointCloud cloud) {
        return squaredEuclidean(byAxis(cloud, true), byAxis(cloud, false), cloud);
    }

    /**
     * {@code |x_i - y_j|^2} from the points {@code x}, {@code y} by axis ({@code [axis][point]}), as for a cloud.
     *
     * @param cloud the geometry the points come from, named in the exception
     * @throws IllegalArgumentException if a cost could overflow
     */
    static CostAccess squaredEuclidean(double[][] x, double[][] y, PointCloud cloud) {
        double diameter = 0;
        for (int k = 0; k < x.length; k++) {
            double lo = Double.POSITIVE_INFINITY;
            double hi = Double.NEGATIVE_INFINITY;
            for (double[] side : new double[][] {x[k], y[k]}) {
                for (double t : side) {
                    lo = Math.min(lo, t);
                    hi = Math.max(hi, t);
                }
            }
            diameter += (hi - lo) * (hi - lo);
        }
        if (!Double.isFinite(diameter)) {
            throw new IllegalArgumentException("squared Euclidean costs of " + cloud + " overflow: the points span "
                    + "more than a double's range allows; rescale them");
        }
        return new CostAccess() {
            @Override
            public void row(int i, double[] out) {
                distances(x, i, y, out, 0);
            }

            @Override
            public void column(int j, double[] out) {
                distances(y, j, x, out, 0);
            }
        };
    }

    /**
     * {@code out[offset + q] = |p_i - q|^2} for every point {@code q} of {@code others}, both by axis: a loop the JIT
     * vectorises.
     */
    private static void distances(double[][] points, int i, double[][] others, double[] out, int offset) {
        int len = others[0].length;
        java.util.Arrays.fill(out, offset, offset + len, 0);
        for (int k = 0; k < points.length; k++) {
            double pk = points[k][i];
            double[] ok = others[k];
            for (int q = 0; q < len; q++) {
                double t = pk - ok[q];
                out[offset + q] += t * t;
            }
        }
    }
}
