package org.lipot.transport.pairwise;

import java.io.Serializable;

import org.lipot.transport.Status;
import org.lipot.transport.exact.MonotoneRearrangement;
import org.lipot.transport.geometry.Cost;
import org.lipot.transport.internal.Arguments;
import org.lipot.transport.internal.Sorting;
import org.lipot.transport.sliced.SlicedWasserstein;

/**
 * Sliced {@code SW_p^p} per pair over directions fixed by the seed; preparation projects each cloud on every
 * direction and sorts it once, so a pair costs one merge per direction, {@code O(K (n + m))}.
 */
final class SlicedPairs implements PairwiseMethod<SlicedPairs.Sorted> {

    private static final long serialVersionUID = 1L;

    private final int projections;
    private final long seed;
    private final double exponent;

    /** A cloud's sorted projections: {@code values[k]} ascending, {@code weights[k]} in the same order or null. */
    record Sorted(int dimension, double[][] values, double[][] weights) implements Serializable {
        private static final long serialVersionUID = 1L;
    }

    SlicedPairs(Cost cost, int projections, long seed) {
        if (cost != Cost.SQUARED_EUCLIDEAN && cost != Cost.EUCLIDEAN) {
            throw new IllegalArgumentException("sliced distances need the sqeuclidean or euclidean cost, got " + cost);
        }
        this.projections = Arguments.atLeastOne(projections, "projections");
        this.seed = seed;
        this.exponent = cost == Cost.EUCLIDEAN ? 1 : 2;
    }

    @Override
    public String name() {
        return "sliced";
    }

    @Override
    public Sorted prepare(Cloud cloud) {
        int d = cloud.dimension();
        int n = cloud.size();
        double[][] directions = SlicedWasserstein.randomDirections(projections, d, seed);
        double[] x = cloud.coordinates();
        double[] w = cloud.uniform() ? null : cloud.weights();
        double[][] values = new double[projections][];
        double[][] weights = new double[projections][];
        for (int k = 0; k < projections; k++) {
            double[] theta = directions[k];
            double[] proj = new double[n];
            for (int i = 0; i < n; i++) {
                double s = 0;
                for (int c = 0; c < d; c++) {
                    s += x[i * d + c] * theta[c];
                }
                proj[i] = s;
            }
            int[] order = Sorting.argsort(proj);
            double[] sorted = new double[n];
            double[] sortedWeights = w == null ? null : new double[n];
            for (int i = 0; i < n; i++) {
                sorted[i] = proj[order[i]];
                if (w != null) {
                    sortedWeights[i] = w[order[i]];
                }
            }
            values[k] = sorted;
            weights[k] = sortedWeights;
        }
        return new Sorted(d, values, weights);
    }

    @Override
    public PairValue pair(Sorted x, Sorted y) {
        if (x.dimension() != y.dimension()) {
            throw new IllegalArgumentException("clouds of dimensions " + x.dimension() + " and " + y.dimension());
        }
        MonotoneRearrangement line = MonotoneRearrangement.builder().exponent(exponent).build();
        double sum = 0;
        for (int k = 0; k < projections; k++) {
            sum += line.valueOfSorted(x.values()[k], x.weights()[k], y.values()[k], y.weights()[k]);
        }
        double value = sum / projections;
        return new PairValue(value, Double.isFinite(value) ? Status.OPTIMAL : Status.NUMERICAL_ERROR, projections);
    }

    @Override
    public double pairCost(int n, int m) {
        return (double) projections * (n + m);
    }
}
