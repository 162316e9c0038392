package org.lipot.lipschitz.kr;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Validation and conversion of point clouds and weights, with messages that name the argument. */
final class PointClouds {

    private PointClouds() {
    }

    /**
     * The dimension of a non-empty, rectangular cloud of finite points.
     *
     * @throws IllegalArgumentException naming {@code name} otherwise
     */
    static int dimension(String name, double[][] points) {
        if (points == null || points.length == 0) {
            throw new IllegalArgumentException(name + " must hold at least one point");
        }
        if (points[0] == null || points[0].length == 0) {
            throw new IllegalArgumentException(name + "[0] must have at least one coordinate");
        }
        int d = points[0].length;
        for (int i = 0; i < points.length; i++) {
            if (points[i] == null || points[i].length != d) {
                throw new IllegalArgumentException(name + "[" + i + "] has "
                        + (points[i] == null ? "no" : String.valueOf(points[i].length)) + " coordinates but "
                        + name + "[0] has " + d);
            }
            for (int k = 0; k < d; k++) {
                if (!Double.isFinite(points[i][k])) {
                    throw new IllegalArgumentException(name + "[" + i + "][" + k + "] is " + points[i][k]);
                }
            }
        }
        return d;
    }

    /**
     * The cloud as a float64 (n, d) matrix after {@link #dimension} validation and a dimension check.
     *
     * @throws IllegalArgumentException naming {@code name} if invalid or not of dimension {@code d}
     */
    static INDArray matrix(String name, double[][] points, int d) {
        int dim = dimension(name, points);
        if (dim != d) {
            throw new IllegalArgumentException(name + " has dimension " + dim + " but " + d + " was expected");
        }
        double[] flat = new double[points.length * d];
        for (int i = 0; i < points.length; i++) {
            System.arraycopy(points[i], 0, flat, i * d, d);
        }
        return Nd4j.create(flat, new long[] {points.length, d}, DataType.DOUBLE);
    }

    /**
     * Weights normalised to sum 1 ({@code null} = uniform over {@code n} points).
     *
     * @throws IllegalArgumentException naming {@code name} if the length differs from {@code n}, an entry is
     *                                  negative or not finite, or the total is not positive
     */
    static double[] normalisedWeights(String name, double[] w, int n, String pointsName) {
        double[] out = new double[n];
        if (w == null) {
            java.util.Arrays.fill(out, 1.0 / n);
            return out;
        }
        if (w.length != n) {
            throw new IllegalArgumentException(name + " has length " + w.length + " but " + pointsName + " has " + n
                    + " points");
        }
        double total = 0;
        for (int i = 0; i < n; i++) {
            if (!(w[i] >= 0) || Double.isInfinite(w[i])) {
                throw new IllegalArgumentException(name + "[" + i + "] must be finite and >= 0, got " + w[i]);
            }
            total += w[i];
        }
        if (!(total > 0) || Double.isInfinite(total)) {
            throw new IllegalArgumentException(name + " must have a positive finite total, got " + total);
        }
        for (int i = 0; i < n; i++) {
            out[i] = w[i] / total;
        }
        return out;
    }
}
