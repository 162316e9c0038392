package org.lipot.transport;

import java.util.Arrays;

import org.lipot.transport.internal.CompensatedSum;

/**
 * Validated non-negative weights of a discrete measure {@code sum_i w_i delta_{x_i}}: finite, non-negative,
 * with a positive total. Immutable: the factories copy.
 *
 * <p>Zero weights are allowed (the point carries no mass). Weights need not sum to 1; a
 * {@link TransportProblem} requires the source and target totals to agree.
 */
public final class Marginals {

    private final double[] w;
    private final double total;

    private Marginals(double[] w, double total) {
        this.w = w;
        this.total = total;
    }

    /** Uniform weights {@code 1/n}. */
    public static Marginals uniform(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("weights: size must be at least 1, got " + n);
        }
        double[] w = new double[n];
        Arrays.fill(w, 1.0 / n);
        return new Marginals(w, CompensatedSum.of(w));
    }

    /** Weights named "weights" in error messages; see {@link #of(String, double[])}. */
    public static Marginals of(double... weights) {
        return of("weights", weights);
    }

    /**
     * Validated weights.
     *
     * @param name    how error messages name the argument (for example "source weights")
     * @param weights the weights; copied
     * @throws IllegalArgumentException if empty, or an entry is NaN, infinite or negative, or the total is zero
     */
    public static Marginals of(String name, double[] weights) {
        if (weights == null || weights.length == 0) {
            throw new IllegalArgumentException(name + " must not be empty");
        }
        for (int i = 0; i < weights.length; i++) {
            double v = weights[i];
            if (!Double.isFinite(v)) {
                throw new IllegalArgumentException(name + ": entry " + i + " is " + v);
            }
            if (v < 0) {
                throw new IllegalArgumentException(name + ": entry " + i + " is negative (" + v + ")");
            }
        }
        double[] w = weights.clone();
        double total = CompensatedSum.of(w);
        if (!(total > 0) || !Double.isFinite(total)) {
            throw new IllegalArgumentException(name + " must have a positive finite total, got " + total);
        }
        return new Marginals(w, total);
    }

    /** Number of points. */
    public int size() {
        return w.length;
    }

    /** Weight of point {@code i}. */
    public double get(int i) {
        return w[i];
    }

    /** Sum of the weights (compensated). */
    public double total() {
        return total;
    }

    /** True if every weight equals the first. */
    public boolean isUniform() {
        for (double v : w) {
            if (v != w[0]) {
                return false;
            }
        }
        return true;
    }

    /** The same weights scaled to total 1. */
    public Marginals normalized() {
        double[] s = w.clone();
        for (int i = 0; i < s.length; i++) {
            s[i] /= total;
        }
        return new Marginals(s, CompensatedSum.of(s));
    }

    /** A copy of the weights. */
    public double[] toArray() {
        return w.clone();
    }

    @Override
    public String toString() {
        return "Marginals[n=" + w.length + ", total=" + total + "]";
    }
}
