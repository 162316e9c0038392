package org.lipot.transport.geometry;

/**
 * Two point clouds in {@code R^d} and a {@link Cost}: {@code C_ij = cost(x_i, y_j)}, computed on demand.
 *
 * <p>The {@code n x m} matrix is never stored unless asked for ({@link #toCostMatrix()}); memory is
 * {@code O((n + m) d)}. Immutable: the constructor copies the points.
 */
public final class PointCloud implements Geometry {

    private final double[][] x;
    private final double[][] y;
    private final Cost cost;

    private PointCloud(double[][] x, double[][] y, Cost cost) {
        this.x = x;
        this.y = y;
        this.cost = cost;
    }

    /**
     * Source points {@code x} ({@code n x d}) and target points {@code y} ({@code m x d}) under a cost.
     *
     * @throws IllegalArgumentException if a cloud is empty, ragged, of a different dimension than the other,
     *                                  or holds a NaN or infinite coordinate
     */
    public static PointCloud of(double[][] x, double[][] y, Cost cost) {
        if (cost == null) {
            throw new IllegalArgumentException("cost must not be null");
        }
        double[][] xs = copyPoints("source points", x, -1);
        double[][] ys = copyPoints("target points", y, xs[0].length);
        return new PointCloud(xs, ys, cost);
    }

    /** Squared Euclidean point clouds: {@code C_ij = |x_i - y_j|^2}. */
    public static PointCloud squaredEuclidean(double[][] x, double[][] y) {
        return of(x, y, Cost.SQUARED_EUCLIDEAN);
    }

    static double[][] copyPoints(String name, double[][] p, int dim) {
        if (p == null || p.length == 0) {
            throw new IllegalArgumentException(name + " must not be empty");
        }
        int d = p[0] == null ? 0 : p[0].length;
        if (d == 0) {
            throw new IllegalArgumentException(name + " must have at least one coordinate");
        }
        if (dim >= 0 && d != dim) {
            throw new IllegalArgumentException(name + " have dimension " + d + " but source points have dimension " + dim);
        }
        double[][] copy = new double[p.length][];
        for (int i = 0; i < p.length; i++) {
            if (p[i] == null || p[i].length != d) {
                throw new IllegalArgumentException(name + " are ragged: point 0 has " + d + " coordinates but point " + i
                        + " has " + (p[i] == null ? "none" : p[i].length));
            }
            for (int k = 0; k < d; k++) {
                if (!Double.isFinite(p[i][k])) {
                    throw new IllegalArgumentException(name + ": coordinate " + k + " of point " + i + " is " + p[i][k]);
                }
            }
            copy[i] = p[i].clone();
        }
        return copy;
    }

    @Override
    public int sourceCount() {
        return x.length;
    }

    @Override
    public int targetCount() {
        return y.length;
    }

    /** The dimension {@code d} of the points. */
    public int dimension() {
        return x[0].length;
    }

    /** The cost function. */
    public Cost costFunction() {
        return cost;
    }

    @Override
    public double cost(int i, int j) {
        return cost.between(x[i], y[j]);
    }

    /** A copy of source point {@code i}. */
    public double[] source(int i) {
        return x[i].clone();
    }

    /** A copy of the source points, {@code n x d}. */
    public double[][] sourcePoints() {
        return copy(x);
    }

    /** A copy of the target points, {@code m x d}. */
    public double[][] targetPoints() {
        return copy(y);
    }

    private static double[][] copy(double[][] points) {
        double[][] out = new double[points.length][];
        for (int i = 0; i < out.length; i++) {
            out[i] = points[i].clone();
        }
        return out;
    }

    /** A copy of target point {@code j}. */
    public double[] target(int j) {
        return y[j].clone();
    }

    @Override
    public String toString() {
        return "PointCloud[" + x.length + " x " + y.length + " points in R^" + dimension() + ", " + cost + "]";
    }
}
