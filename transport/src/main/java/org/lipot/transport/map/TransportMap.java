package org.lipot.transport.map;

import java.util.stream.IntStream;

/**
 * A map {@code T: R^d -> R^d} estimated from a transport problem between point clouds, that applies to any point,
 * also ones outside the clouds it was estimated from. Implementations are immutable and thread-safe.
 */
public interface TransportMap {

    /** The dimension {@code d} of the points the map takes and returns. */
    int dimension();

    /**
     * The image {@code T(x)}.
     *
     * @param x a point of dimension {@link #dimension()} (not modified)
     * @return a new array
     * @throws IllegalArgumentException if {@code x} is null, has another dimension or holds NaN or infinite values
     */
    double[] apply(double[] x);

    /**
     * The image of each point, {@code T(x_k)} for every row, computed in parallel on the common fork-join pool.
     *
     * @throws IllegalArgumentException as {@link #apply(double[])}, naming the row
     */
    default double[][] apply(double[][] points) {
        if (points == null) {
            throw new IllegalArgumentException("points must not be null");
        }
        double[][] out = new double[points.length][];
        IntStream.range(0, points.length).parallel().forEach(k -> {
            try {
                out[k] = apply(points[k]);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("point " + k + ": " + e.getMessage(), e);
            }
        });
        return out;
    }

    /** Checks a query point against the map's dimension. */
    static void checkPoint(double[] x, int dimension) {
        if (x == null) {
            throw new IllegalArgumentException("the point must not be null");
        }
        if (x.length != dimension) {
            throw new IllegalArgumentException("the point has dimension " + x.length + " but the map takes "
                    + dimension);
        }
        for (int k = 0; k < x.length; k++) {
            if (!Double.isFinite(x[k])) {
                throw new IllegalArgumentException("coordinate " + k + " of the point is " + x[k]);
            }
        }
    }
}
