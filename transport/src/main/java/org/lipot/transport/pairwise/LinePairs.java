package org.lipot.transport.pairwise;

import java.io.Serializable;

import org.lipot.transport.Status;
import org.lipot.transport.exact.MonotoneRearrangement;
import org.lipot.transport.internal.Sorting;

/**
 * Exact {@code W_p^p} between clouds on the line ({@code d = 1}) with the cost {@code |x - y|^p}; preparation sorts
 * each cloud once, so a pair costs one merge, {@code O(n + m)}.
 */
final class LinePairs implements PairwiseMethod<LinePairs.Sorted> {

    private static final long serialVersionUID = 1L;

    private final double exponent;

    /** A cloud's points ascending, with their weights in the same order (null when uniform). */
    record Sorted(double[] values, double[] weights) implements Serializable {
        private static final long serialVersionUID = 1L;
    }

    LinePairs(double exponent) {
        if (!(exponent >= 1) || Double.isInfinite(exponent)) {
            throw new IllegalArgumentException("exponent must be finite and >= 1, got " + exponent);
        }
        this.exponent = exponent;
    }

    @Override
    public String name() {
        return "1d";
    }

    @Override
    public Sorted prepare(Cloud cloud) {
        if (cloud.dimension() != 1) {
            throw new IllegalArgumentException("1-D OT needs clouds of dimension 1, got " + cloud.dimension());
        }
        double[] x = cloud.coordinates();
        int[] order = Sorting.argsort(x);
        double[] values = new double[x.length];
        double[] w = cloud.uniform() ? null : cloud.weights();
        double[] weights = w == null ? null : new double[x.length];
        for (int i = 0; i < x.length; i++) {
            values[i] = x[order[i]];
            if (w != null) {
                weights[i] = w[order[i]];
            }
        }
        return new Sorted(values, weights);
    }

    @Override
    public PairValue pair(Sorted x, Sorted y) {
        double v = MonotoneRearrangement.builder().exponent(exponent).build()
                .valueOfSorted(x.values(), x.weights(), y.values(), y.weights());
        return new PairValue(v, Double.isFinite(v) ? Status.OPTIMAL : Status.NUMERICAL_ERROR, 0);
    }

    @Override
    public double pairCost(int n, int m) {
        return n + m;
    }
}
