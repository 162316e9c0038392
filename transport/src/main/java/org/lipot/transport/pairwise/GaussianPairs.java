package org.lipot.transport.pairwise;

import org.lipot.transport.gaussian.BuresWasserstein;
import org.lipot.transport.gaussian.Gaussian;
import org.lipot.transport.gaussian.GaussianResult;

/** {@code W_2^2} between fitted Gaussians per pair; preparation fits each cloud's mean and covariance once. */
final class GaussianPairs implements PairwiseMethod<Gaussian> {

    private static final long serialVersionUID = 1L;

    private final double ridge;

    GaussianPairs(double ridge) {
        if (!(ridge >= 0) || Double.isInfinite(ridge)) {
            throw new IllegalArgumentException("ridge must be finite and >= 0, got " + ridge);
        }
        this.ridge = ridge;
    }

    @Override
    public String name() {
        return "gaussian";
    }

    @Override
    public Gaussian prepare(Cloud cloud) {
        return Gaussian.fit(cloud.points(), cloud.weights(), ridge);
    }

    @Override
    public PairValue pair(Gaussian x, Gaussian y) {
        GaussianResult r = BuresWasserstein.between(x, y);
        return new PairValue(r.value(), r.status(), 0);
    }

    @Override
    public double pairCost(int n, int m) {
        return 1;
    }
}
