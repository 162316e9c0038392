package org.lipot.lipschitz.certify;

import java.util.Arrays;

/**
 * A histogram of certified radii (or any values) over equal-width bins, as data for a plot.
 *
 * @param edges  {@code bins + 1} increasing bin edges; bin {@code i} is {@code [edges[i], edges[i+1])}, the last
 *               bin also holds {@code edges[bins]}
 * @param counts {@code bins} counts
 * @param below  number of values below {@code edges[0]}
 * @param above  number of values above {@code edges[bins]}
 */
public record RadiusHistogram(double[] edges, long[] counts, long below, long above) {

    public RadiusHistogram {
        if (edges == null || counts == null || edges.length != counts.length + 1 || counts.length == 0) {
            throw new IllegalArgumentException("edges must have one more entry than counts (at least 1 bin)");
        }
        edges = edges.clone();
        counts = counts.clone();
    }

    /**
     * Counts {@code values} in {@code bins} equal-width bins spanning {@code [lo, hi]}.
     *
     * @throws IllegalArgumentException if {@code bins < 1}, {@code lo >= hi}, a bound is not finite, or a value
     *                                  is NaN
     */
    public static RadiusHistogram of(double[] values, int bins, double lo, double hi) {
        if (bins < 1) {
            throw new IllegalArgumentException("bins must be >= 1, got " + bins);
        }
        if (!(lo < hi) || !Double.isFinite(lo) || !Double.isFinite(hi)) {
            throw new IllegalArgumentException("the range must be finite with lo < hi, got [" + lo + ", " + hi + "]");
        }
        double[] edges = new double[bins + 1];
        for (int i = 0; i <= bins; i++) {
            edges[i] = i == bins ? hi : lo + (hi - lo) * i / bins;
        }
        long[] counts = new long[bins];
        long below = 0;
        long above = 0;
        double width = (hi - lo) / bins;
        for (int i = 0; i < values.length; i++) {
            double v = values[i];
            if (Double.isNaN(v)) {
                throw new IllegalArgumentException("values: entry " + i + " is NaN");
            }
            if (v < lo) {
                below++;
            } else if (v > hi) {
                above++;
            } else {
                int b = (int) Math.min(bins - 1, Math.floor((v - lo) / width));
                // floating division can land one bin off near an edge: settle it against the stored edges
                while (b > 0 && v < edges[b]) {
                    b--;
                }
                while (b < bins - 1 && v >= edges[b + 1]) {
                    b++;
                }
                counts[b]++;
            }
        }
        return new RadiusHistogram(edges, counts, below, above);
    }

    /** A copy of the edges. */
    @Override
    public double[] edges() {
        return edges.clone();
    }

    /** A copy of the counts. */
    @Override
    public long[] counts() {
        return counts.clone();
    }

    /** Number of bins. */
    public int bins() {
        return counts.length;
    }

    /** All values counted, inside and outside the range. */
    public long total() {
        return Arrays.stream(counts).sum() + below + above;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RadiusHistogram h && Arrays.equals(edges, h.edges) && Arrays.equals(counts, h.counts)
                && below == h.below && above == h.above;
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(edges) + Arrays.hashCode(counts);
    }

    @Override
    public String toString() {
        return "RadiusHistogram[edges=" + Arrays.toString(edges) + ", counts=" + Arrays.toString(counts) + ", below="
                + below + ", above=" + above + "]";
    }
}
