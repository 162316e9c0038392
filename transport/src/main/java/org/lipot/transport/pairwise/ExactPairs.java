package org.lipot.transport.pairwise;

import org.lipot.transport.Marginals;
import org.lipot.transport.Solution;
import org.lipot.transport.TransportProblem;
import org.lipot.transport.exact.NetworkSimplex;
import org.lipot.transport.geometry.Cost;
import org.lipot.transport.geometry.PointCloud;

/** Exact {@code W_p^p} per pair by the network simplex; preparation keeps the cloud as it is. */
final class ExactPairs implements PairwiseMethod<Cloud> {

    private static final long serialVersionUID = 1L;

    /** The cost's name ({@link Cost#named}): built-in costs are not serializable objects. */
    private final String cost;

    ExactPairs(Cost cost) {
        if (!(cost instanceof Cost.Named)) {
            throw new IllegalArgumentException("cost must be a built-in cost (sqeuclidean, euclidean, lp:P), got "
                    + cost);
        }
        this.cost = cost.toString();
    }

    @Override
    public String name() {
        return "exact";
    }

    @Override
    public Cloud prepare(Cloud cloud) {
        return cloud;
    }

    @Override
    public PairValue pair(Cloud x, Cloud y) {
        Solution s = NetworkSimplex.builder().build().solve(TransportProblem.of(
                PointCloud.of(x.points(), y.points(), Cost.named(cost)), Marginals.of(x.weights()), Marginals.of(y.weights())));
        return new PairValue(s.value(), s.status(), s.iterations());
    }

    @Override
    public double pairCost(int n, int m) {
        return (double) n * m * Math.log(n + m + 1.0);
    }
}
