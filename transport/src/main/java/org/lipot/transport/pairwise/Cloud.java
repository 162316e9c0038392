package org.lipot.transport.pairwise;

import java.io.Serializable;

import org.lipot.transport.internal.CompensatedSum;

/**
 * One weighted point cloud of a pairwise computation: {@code n} points in dimension {@code d}, stored row-major
 * ({@code coordinates[i * d + k]}, the layout of the Spark input rows), with weights normalised to total 1, so that
 * every pairwise value compares two probability measures. Immutable (arrays are copied in and out).
 *
 * @param dimension   {@code d >= 1}
 * @param coordinates {@code n * d} finite values, {@code n >= 1}
 * @param weights     {@code n} non-negative finite weights with a positive total, divided by it here unless it is
 *                    already 1 within 1e-14 (then kept, so that normalising twice changes nothing); {@code null}
 *                    for uniform {@code 1 / n}
 */
public record Cloud(int dimension, double[] coordinates, double[] weights) implements Serializable {

    private static final long serialVersionUID = 1L;

    /** Weights whose (compensated) total is within this of 1 count as normalised and are not divided again. */
    private static final double NORMALISED = 1e-14;

    /**
     * @throws IllegalArgumentException for a dimension below 1, coordinates that are empty, not a multiple of the
     *                                  dimension or not finite, or weights of the wrong length, negative, not finite
     *                                  or of total 0
     */
    public Cloud {
        if (dimension < 1) {
            throw new IllegalArgumentException("dimension must be >= 1, got " + dimension);
        }
        if (coordinates == null || coordinates.length == 0 || coordinates.length % dimension != 0) {
            throw new IllegalArgumentException("coordinates must hold n >= 1 points of dimension " + dimension
                    + ", got " + (coordinates == null ? "null" : coordinates.length + " values"));
        }
        for (int k = 0; k < coordinates.length; k++) {
            if (!Double.isFinite(coordinates[k])) {
                throw new IllegalArgumentException("coordinates: point " + k / dimension + " has " + coordinates[k]);
            }
        }
        coordinates = coordinates.clone();
        int n = coordinates.length / dimension;
        if (weights == null) {
            weights = new double[n];
            java.util.Arrays.fill(weights, 1.0 / n);
        } else {
            if (weights.length != n) {
                throw new IllegalArgumentException("weights must have one entry per point (" + n + "), got "
                        + weights.length);
            }
            for (int i = 0; i < n; i++) {
                if (!(weights[i] >= 0) || weights[i] == Double.POSITIVE_INFINITY) {
                    throw new IllegalArgumentException("weights: entry " + i + " is " + weights[i]);
                }
            }
            double total = CompensatedSum.of(weights);
            if (!(total > 0)) {
                throw new IllegalArgumentException("weights must have a positive total, got " + total);
            }
            // weights that already total 1 are kept as they are, so that a cloud rebuilt from another cloud's
            // weights (a Spark row) has the same bits
            double scale = Math.abs(total - 1) <= NORMALISED ? 1 : 1 / total;
            double[] w = new double[n];
            for (int i = 0; i < n; i++) {
                w[i] = scale == 1 ? weights[i] : weights[i] / total;
            }
            weights = w;
        }
    }

    /** A cloud from points {@code n x d} (rows of equal length) and optional weights. */
    public static Cloud of(double[][] points, double[] weights) {
        if (points == null || points.length == 0 || points[0] == null) {
            throw new IllegalArgumentException("points must not be empty");
        }
        int d = points[0].length;
        double[] c = new double[points.length * d];
        for (int i = 0; i < points.length; i++) {
            if (points[i] == null || points[i].length != d) {
                throw new IllegalArgumentException("points: row " + i + " does not have " + d + " coordinates");
            }
            System.arraycopy(points[i], 0, c, i * d, d);
        }
        return new Cloud(d, c, weights);
    }

    /** The number of points {@code n}. */
    public int size() {
        return coordinates.length / dimension;
    }

    /** A copy of the coordinates, row-major. */
    @Override
    public double[] coordinates() {
        return coordinates.clone();
    }

    /** A copy of the normalised weights. */
    @Override
    public double[] weights() {
        return weights.clone();
    }

    /** The points as {@code n x d} rows (copies). */
    public double[][] points() {
        double[][] p = new double[size()][];
        for (int i = 0; i < p.length; i++) {
            p[i] = java.util.Arrays.copyOfRange(coordinates, i * dimension, (i + 1) * dimension);
        }
        return p;
    }

    /** Whether every weight is {@code 1 / n}. */
    public boolean uniform() {
        double u = 1.0 / size();
        for (double w : weights) {
            if (w != u) {
                return false;
            }
        }
        return true;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Cloud c && c.dimension == dimension && java.util.Arrays.equals(c.coordinates, coordinates)
                && java.util.Arrays.equals(c.weights, weights);
    }

    @Override
    public int hashCode() {
        return 31 * java.util.Arrays.hashCode(coordinates) + java.util.Arrays.hashCode(weights) + dimension;
    }

    @Override
    public String toString() {
        return "Cloud[" + size() + " points in dimension " + dimension + "]";
    }
}
