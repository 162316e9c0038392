package org.lipot.transport.pairwise;

import org.lipot.transport.Marginals;
import org.lipot.transport.TransportProblem;
import org.lipot.transport.entropic.DivergenceResult;
import org.lipot.transport.entropic.EntropicSolution;
import org.lipot.transport.entropic.Sinkhorn;
import org.lipot.transport.entropic.SinkhornDivergence;
import org.lipot.transport.geometry.Cost;
import org.lipot.transport.geometry.PointCloud;

/**
 * Entropic OT per pair: the linear cost {@code <P, C>} of the Sinkhorn plan, or the debiased divergence {@code S_eps},
 * whose self terms preparation solves once per cloud. Each solve runs on one thread (the pairs run in parallel).
 */
final class SinkhornPairs implements PairwiseMethod<SinkhornPairs.Prepared> {

    private static final long serialVersionUID = 1L;

    /** The cost's name ({@link Cost#named}): built-in costs are not serializable objects. */
    private final String cost;
    private final double epsilon;
    private final double tolerance;
    private final long maxIterations;
    private final boolean divergence;

    /** A cloud with, for the divergence, its self term. */
    record Prepared(Cloud cloud, double[][] points, EntropicSolution self) {
    }

    SinkhornPairs(Cost cost, double epsilon, double tolerance, long maxIterations, boolean divergence) {
        if (!(cost instanceof Cost.Named)) {
            throw new IllegalArgumentException("cost must be a built-in cost (sqeuclidean, euclidean, lp:P), got "
                    + cost);
        }
        this.cost = cost.toString();
        this.epsilon = epsilon;
        this.tolerance = tolerance;
        this.maxIterations = maxIterations;
        this.divergence = divergence;
        sinkhorn(); // checks the parameters now
    }

    private Sinkhorn sinkhorn() {
        return Sinkhorn.builder().epsilon(epsilon).tolerance(tolerance).maxIterations(maxIterations).threads(1).build();
    }

    @Override
    public String name() {
        return divergence ? "sinkhorn-divergence" : "sinkhorn";
    }

    /** Prepares the points, and for the divergence the self term. */
    @Override
    public Prepared prepare(Cloud cloud) {
        double[][] points = cloud.points();
        return new Prepared(cloud, points, divergence ? self(cloud, points) : null);
    }

    private EntropicSolution self(Cloud cloud, double[][] points) {
        return SinkhornDivergence.of(sinkhorn()).self(points, Cost.named(cost), Marginals.of(cloud.weights()));
    }

    @Override
    public PairValue pair(Prepared x, Prepared y) {
        TransportProblem problem = TransportProblem.of(PointCloud.of(x.points(), y.points(), Cost.named(cost)),
                Marginals.of(x.cloud().weights()), Marginals.of(y.cloud().weights()));
        if (divergence) {
            DivergenceResult r = SinkhornDivergence.of(sinkhorn()).solve(problem, x.self(), y.self());
            return new PairValue(r.value(), r.status(), r.iterations());
        }
        // a cloud with itself: the symmetric self update, which converges in tens of sweeps where plain Sinkhorn on a
        // self-transport problem can stall (see SinkhornDivergence)
        EntropicSolution s = x == y ? self(x.cloud(), x.points()) : sinkhorn().solve(problem);
        return new PairValue(s.value(), s.status(), s.iterations());
    }

    @Override
    public double pairCost(int n, int m) {
        return (double) n * m;
    }

    @Override
    public boolean zeroOnDiagonal() {
        return divergence;
    }
}
