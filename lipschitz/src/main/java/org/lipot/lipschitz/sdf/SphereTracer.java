package org.lipot.lipschitz.sdf;

/**
 * Sphere tracing with a guarantee (Hart 1996): a ray {@code o + t v} ({@code |v| = 1}) advances by
 * {@code |f(x)| / L}, with {@code L} the field's <b>sound</b> Lipschitz bound, until {@code |f| <= tolerance} (a hit)
 * or {@code t > maxDistance} (a miss). Since {@code |f(x)| <= L dist(x, {f = 0})}, a step never crosses the zero
 * level set: the first hit is the first crossing along the ray. An <i>overshoot</i> (the field's sign flips between
 * two consecutive points of a ray) is counted; with a sound bound there is none, and a count above zero means the
 * bound was wrong. All active rays advance together, one batched field evaluation per step.
 */
public final class SphereTracer {

    private final double tolerance;
    private final double maxDistance;
    private final int maxSteps;

    /**
     * @param tolerance   a hit when {@code |f| <= tolerance}, in the field's units (&gt; 0)
     * @param maxDistance a miss beyond this ray length (&gt; 0)
     * @param maxSteps    a miss after this many steps (&gt;= 1)
     * @throws IllegalArgumentException if an argument is out of range
     */
    public SphereTracer(double tolerance, double maxDistance, int maxSteps) {
        if (!(tolerance > 0) || !(maxDistance > 0) || Double.isInfinite(maxDistance) || maxSteps < 1) {
            throw new IllegalArgumentException("tolerance and maxDistance must be > 0 and finite and maxSteps >= 1, got "
                    + tolerance + ", " + maxDistance + ", " + maxSteps);
        }
        this.tolerance = tolerance;
        this.maxDistance = maxDistance;
        this.maxSteps = maxSteps;
    }

    /**
     * What the rays found.
     *
     * @param distance   the ray parameter {@code t} of each hit, or NaN for a miss
     * @param steps      the steps each ray took
     * @param overshoots rays whose field sign flipped between two consecutive points (0 with a sound bound)
     */
    public record Hits(double[] distance, int[] steps, int overshoots) {

        /** The number of rays that hit. */
        public int hitCount() {
            int n = 0;
            for (double t : distance) {
                n += Double.isNaN(t) ? 0 : 1;
            }
            return n;
        }
    }

    /**
     * Traces rays from {@code origins} along unit {@code directions} (both {@code N x d}, {@code d} the field's
     * dimension).
     *
     * @throws IllegalArgumentException if the shapes differ, a direction is not of unit length (to 1e-9), or the
     *                                  field's bound is not positive and finite
     */
    public Hits trace(NeuralSdf field, double[][] origins, double[][] directions) {
        int d = field.dimension();
        WindingNumbers.checkPoints(origins, d);
        WindingNumbers.checkPoints(directions, d);
        if (origins.length != directions.length) {
            throw new IllegalArgumentException("origins has " + origins.length + " rows but directions has "
                    + directions.length);
        }
        for (int r = 0; r < directions.length; r++) {
            double n = 0;
            for (double c : directions[r]) {
                n += c * c;
            }
            if (Math.abs(Math.sqrt(n) - 1) > 1e-9) {
                throw new IllegalArgumentException("directions: row " + r + " has length " + Math.sqrt(n)
                        + ", not 1");
            }
        }
        double bound = field.lipschitzBound();
        if (!(bound > 0) || Double.isInfinite(bound)) {
            throw new IllegalArgumentException("the field's Lipschitz bound is " + bound);
        }
        int n = origins.length;
        double[] t = new double[n];
        double[] last = new double[n];
        int[] steps = new int[n];
        double[] hit = new double[n];
        java.util.Arrays.fill(hit, Double.NaN);
        java.util.Arrays.fill(last, Double.NaN);
        int overshoots = 0;
        int[] active = new int[n];
        for (int r = 0; r < n; r++) {
            active[r] = r;
        }
        int count = n;
        for (int step = 0; step <= maxSteps && count > 0; step++) {
            double[][] x = new double[count][d];
            for (int i = 0; i < count; i++) {
                int r = active[i];
                for (int k = 0; k < d; k++) {
                    x[i][k] = origins[r][k] + t[r] * directions[r][k];
                }
            }
            double[] f = field.distances(x);
            int kept = 0;
            for (int i = 0; i < count; i++) {
                int r = active[i];
                if (!Double.isNaN(last[r]) && Math.signum(f[i]) != Math.signum(last[r]) && f[i] != 0) {
                    overshoots++;
                    continue;
                }
                if (Math.abs(f[i]) <= tolerance) {
                    hit[r] = t[r];
                    continue;
                }
                if (step == maxSteps || t[r] > maxDistance) {
                    continue;
                }
                last[r] = f[i];
                t[r] += Math.abs(f[i]) / bound;
                steps[r]++;
                active[kept++] = r;
            }
            count = kept;
        }
        return new Hits(hit, steps, overshoots);
    }
}
