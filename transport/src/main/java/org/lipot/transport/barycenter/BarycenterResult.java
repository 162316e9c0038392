package org.lipot.transport.barycenter;

import org.lipot.transport.Status;
import org.lipot.transport.TransportResult;

/**
 * An entropic barycenter of histograms on a fixed support ({@link BregmanBarycenter}, {@link ConvolutionalBarycenter}).
 *
 * @param barycenter    the barycenter {@code q} on the barycenter's support; its mass is 1 up to the marginal error
 * @param value         {@code sum_k w_k <P_k, C>}: the weighted linear transport costs of the returned plans, in the
 *                      cost's units (W_2^2 for the squared Euclidean cost); the entropy term is not included
 * @param status        {@link Status#CONVERGED}, {@link Status#MAX_ITERATIONS} or {@link Status#NUMERICAL_ERROR}
 * @param iterations    sweeps (one update of every input's two scalings each)
 * @param marginalError {@code max_k |P_k^T 1 - h_k|_1}, in mass units: how far the plans' input-side marginals are from
 *                      the inputs (their barycenter-side marginals are all exactly {@code q})
 * @param logDomain     whether the solve used log-sum-exp sweeps, from the start or after kernel products left the
 *                      floating-point range
 */
public record BarycenterResult(double[] barycenter, double value, Status status, long iterations,
                               double marginalError, boolean logDomain) implements TransportResult {

    public BarycenterResult {
        barycenter = barycenter.clone();
    }

    /** A copy of the barycenter. */
    @Override
    public double[] barycenter() {
        return barycenter.clone();
    }
}
