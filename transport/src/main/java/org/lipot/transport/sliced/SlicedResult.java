package org.lipot.transport.sliced;

import org.lipot.transport.Status;
import org.lipot.transport.TransportResult;

/**
 * The sliced Wasserstein comparison of two point clouds ({@link SlicedWasserstein}).
 *
 * @param value         {@code SW_p^p}: the mean over the directions of the 1-D {@code W_p^p} between the projected
 *                      clouds, in the cost's units ({@code SW_2^2} under the squared Euclidean cost)
 * @param status        {@link Status#OPTIMAL}: every 1-D problem is solved exactly
 * @param perDirection  the 1-D {@code W_p^p} of each direction, in the order of {@link #directions}
 * @param directions    the unit directions, {@code K x d}
 * @param standardError the standard error of the mean over directions, {@code sd(perDirection) / sqrt(K)}: the Monte
 *                      Carlo error of {@link #value} as an estimate of the integral over the sphere when the
 *                      directions are random (0 for a single direction)
 */
public record SlicedResult(double value, Status status, double[] perDirection, double[][] directions,
                           double standardError) implements TransportResult {

    /** The number of directions. */
    @Override
    public long iterations() {
        return perDirection.length;
    }

    @Override
    public double[] perDirection() {
        return perDirection.clone();
    }

    @Override
    public double[][] directions() {
        double[][] out = new double[directions.length][];
        for (int k = 0; k < out.length; k++) {
            out[k] = directions[k].clone();
        }
        return out;
    }
}
