package org.lipot.transport.barycenter;

/** Checks of the barycenter solvers' inputs, each failing with an {@link IllegalArgumentException} naming the argument. */
final class Inputs {

    /** Allowed deviation of a total mass or weight sum from 1. */
    static final double MASS_TOLERANCE = 1e-6;

    private Inputs() {
    }

    /**
     * Copies of the histograms: at least one, each of length {@code size}, finite, non-negative, summing to 1 within
     * {@link #MASS_TOLERANCE}.
     */
    static double[][] histograms(double[][] histograms, int size, String support) {
        if (histograms == null || histograms.length == 0) {
            throw new IllegalArgumentException("histograms: at least one input is required");
        }
        double[][] copy = new double[histograms.length][];
        for (int k = 0; k < histograms.length; k++) {
            copy[k] = probability(histograms[k], size, "histograms[" + k + "]", support);
        }
        return copy;
    }

    /**
     * A copy of {@code p} if it has {@code size} finite, non-negative entries summing to 1 within
     * {@link #MASS_TOLERANCE}; {@code name} and {@code sizeNote} go into the message otherwise.
     */
    static double[] probability(double[] p, int size, String name, String sizeNote) {
        if (p == null || p.length != size) {
            throw new IllegalArgumentException(name + " must have " + size + " entries (" + sizeNote + "), got "
                    + (p == null ? "null" : p.length));
        }
        double total = 0;
        for (int j = 0; j < size; j++) {
            if (!(p[j] >= 0) || p[j] == Double.POSITIVE_INFINITY) {
                throw new IllegalArgumentException(name + "[" + j + "] must be finite and >= 0, got " + p[j]);
            }
            total += p[j];
        }
        if (Math.abs(total - 1) > MASS_TOLERANCE) {
            throw new IllegalArgumentException(name + " must sum to 1 (a probability vector), got " + total);
        }
        return p.clone();
    }

    /** A copy of the weights, or uniform ones for {@code null}: {@code count} finite entries {@code >= 0} summing to 1. */
    static double[] weights(double[] weights, int count) {
        if (weights == null) {
            double[] w = new double[count];
            java.util.Arrays.fill(w, 1.0 / count);
            return w;
        }
        if (weights.length != count) {
            throw new IllegalArgumentException("weights must have one entry per input (" + count + "), got "
                    + weights.length);
        }
        double total = 0;
        for (int k = 0; k < count; k++) {
            if (!(weights[k] >= 0) || weights[k] == Double.POSITIVE_INFINITY) {
                throw new IllegalArgumentException("weights[" + k + "] must be finite and >= 0, got " + weights[k]);
            }
            total += weights[k];
        }
        if (Math.abs(total - 1) > MASS_TOLERANCE) {
            throw new IllegalArgumentException("weights must sum to 1, got " + total);
        }
        return weights.clone();
    }
}
