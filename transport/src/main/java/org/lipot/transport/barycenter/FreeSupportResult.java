package org.lipot.transport.barycenter;

import org.lipot.transport.Status;
import org.lipot.transport.TransportResult;

/**
 * A free-support barycenter ({@link FreeSupportBarycenter}).
 *
 * @param points       the barycenter's points {@code Y}, {@code N x d}
 * @param weights      their weights {@code a} (as given; fixed during the solve)
 * @param value        {@code sum_k w_k <P_k, C_k>} for plans solved at {@code points}: with the exact solver the
 *                     weighted sum of {@code W_2^2} to the inputs, in squared units of the points
 * @param status       {@link Status#CONVERGED} when the last round moved the points by at most the tolerance,
 *                     {@link Status#MAX_ITERATIONS}, or the status of a transport that did not succeed
 * @param iterations   rounds that moved the points
 * @param displacement {@code sum_i a_i |y_i - y_i_previous|^2} of the last round ({@code Infinity} before any)
 */
public record FreeSupportResult(double[][] points, double[] weights, double value, Status status, long iterations,
                                double displacement) implements TransportResult {

    public FreeSupportResult {
        points = copy(points);
        weights = weights.clone();
    }

    /** A copy of the points. */
    @Override
    public double[][] points() {
        return copy(points);
    }

    /** A copy of the weights. */
    @Override
    public double[] weights() {
        return weights.clone();
    }

    private static double[][] copy(double[][] p) {
        double[][] c = new double[p.length][];
        for (int i = 0; i < p.length; i++) {
            c[i] = p[i].clone();
        }
        return c;
    }
}
