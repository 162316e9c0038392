package org.lipot.transport.sliced;

import org.lipot.transport.Status;
import org.lipot.transport.TransportResult;

/**
 * The max-sliced Wasserstein comparison of two point clouds ({@link MaxSlicedWasserstein}).
 *
 * @param value      {@code max_theta W_p^p(theta # mu, theta # nu)} as found: the 1-D cost on {@link #direction}, in
 *                   the cost's units; at least the largest over the random starting directions
 * @param status     {@link Status#OPTIMAL}: the value is the exact 1-D cost on the returned direction (the maximum over
 *                   the sphere is found by local ascent, so it is a lower bound on the true maximum)
 * @param direction  the unit direction found
 * @param iterations 1-D solves spent (starting directions plus ascent trials)
 */
public record MaxSlicedResult(double value, Status status, double[] direction, long iterations)
        implements TransportResult {

    @Override
    public double[] direction() {
        return direction.clone();
    }
}
