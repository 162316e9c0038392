package org.lipot.transport.internal;

/**
 * A running sum with Neumaier's compensation (improved Kahan-Babuska): the rounding error of each addition is
 * accumulated separately and added back at the end, so the result is as accurate as summing in twice the
 * precision and then rounding, independent of the number of terms. Mutable, not thread-safe; two primitive
 * fields, so a local accumulator in a hot loop costs no allocation once the JIT has inlined it.
 * Internal to lipot: not part of the public API.
 */
public final class CompensatedSum {

    private double sum;
    private double compensation;

    /** Adds one term. */
    public void add(double x) {
        double t = sum + x;
        compensation += Math.abs(sum) >= Math.abs(x) ? (sum - t) + x : (x - t) + sum;
        sum = t;
    }

    /** The compensated sum; a sum that overflowed is returned as is (its compensation would be NaN). */
    public double value() {
        return Double.isFinite(sum) ? sum + compensation : sum;
    }

    /** The compensated sum of an array. */
    public static double of(double[] v) {
        CompensatedSum s = new CompensatedSum();
        for (double x : v) {
            s.add(x);
        }
        return s.value();
    }
}
