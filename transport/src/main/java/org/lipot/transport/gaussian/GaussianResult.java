package org.lipot.transport.gaussian;

import org.lipot.transport.Status;
import org.lipot.transport.TransportResult;

/**
 * The Bures-Wasserstein comparison of two Gaussians ({@link BuresWasserstein}).
 *
 * @param value       {@code W_2^2 = |m1 - m2|^2 + tr(S1 + S2 - 2 (S1^1/2 S2 S1^1/2)^1/2)}, the squared 2-Wasserstein
 *                    distance in squared units (the square of the distance, like every plan-based value under the
 *                    squared Euclidean cost)
 * @param status      {@link Status#OPTIMAL}: a closed form
 * @param source      the source Gaussian (fitted, for a problem between point clouds)
 * @param target      the target Gaussian
 * @param map         the Monge map {@code T(x) = A x + b}, {@code A = S1^-1/2 (S1^1/2 S2 S1^1/2)^1/2 S1^-1/2},
 *                    {@code b = m2 - A m1}, which pushes the source Gaussian onto the target one; with a singular
 *                    {@code S1} the inverse roots are pseudo-inverses and the map is not exact
 * @param mapResidual {@code |A S1 A - S2|_F / max(|S2|_F, tiny)}: about 1e-15 when the map is exact, large when
 *                    {@code S1} is singular and no affine map pushes it onto {@code S2}
 */
public record GaussianResult(double value, Status status, Gaussian source, Gaussian target, LinearMap map,
                             double mapResidual) implements TransportResult {

    /** The distance {@code W_2}, in the points' units. */
    public double distance() {
        return Math.sqrt(value);
    }

    /** 0: a closed form. */
    @Override
    public long iterations() {
        return 0;
    }
}
