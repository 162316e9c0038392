package org.lipot.transport.internal;

/**
 * Applies a {@link GibbsKernel} to scalings given by their logarithms: by kernel products on {@code exp(x)} while the
 * scalings are finite and the products positive and finite, and by log-sum-exp reductions from the first call where
 * they are not (for the rest of the solve). The products are one multiply-add per entry; the reductions one
 * {@code exp} per entry, about ten times slower, but exact where the kernel underflows. A product is used only where
 * underflow can have changed it by at most a relative {@value #RELATIVE}: a plan entry that matters but whose kernel
 * entry {@code exp(-C_ij / eps)} underflows (far pairs at small epsilon, carried by large scalings) sends the solve to
 * the log domain instead of being dropped.
 */
public final class ScalingSweeps {

    /** The largest relative error that underflow in the kernel may cause in a product before the log domain takes over. */
    static final double RELATIVE = 1e-15;

    private final GibbsKernel kernel;
    private boolean log;

    /** Sweeps on {@code kernel}, in the log domain from the start if {@code log}. */
    public ScalingSweeps(GibbsKernel kernel, boolean log) {
        this.kernel = kernel;
        this.log = log;
    }

    /** {@code out[k] = log K exp(x[k])}. */
    public void logApply(double[][] x, double[][] out) {
        if (log || !product(x, out, false)) {
            kernel.logApply(x, out);
        }
    }

    /** {@code out[k] = log K^T exp(x[k])}. */
    public void logApplyTransposed(double[][] x, double[][] out) {
        if (log || !product(x, out, true)) {
            kernel.logApplyTransposed(x, out);
        }
    }

    /**
     * The products, if they are trustworthy: every scaling finite, and every result positive, finite and at least
     * {@code 1 / RELATIVE} times larger than what underflow can have dropped from it
     * ({@link GibbsKernel#underflowBound}). Otherwise false, and the log domain from now on.
     */
    private boolean product(double[][] x, double[][] out, boolean transposed) {
        double[][] e = new double[x.length][];
        double[] sums = new double[x.length];
        for (int k = 0; k < x.length; k++) {
            e[k] = new double[x[k].length];
            for (int p = 0; p < e[k].length; p++) {
                e[k][p] = Math.exp(x[k][p]);
                sums[k] += e[k][p];
            }
            if (sums[k] == Double.POSITIVE_INFINITY) {
                return switchToLog();
            }
        }
        if (transposed) {
            kernel.applyTransposed(e, out);
        } else {
            kernel.apply(e, out);
        }
        for (int k = 0; k < out.length; k++) {
            double floor = kernel.underflowBound(sums[k]) / RELATIVE;
            for (double v : out[k]) {
                if (!(v > 0 && v >= floor) || v == Double.POSITIVE_INFINITY) {
                    return switchToLog();
                }
            }
        }
        for (double[] o : out) {
            for (int p = 0; p < o.length; p++) {
                o[p] = Math.log(o[p]);
            }
        }
        return true;
    }

    /** Whether the sweeps are (now) in the log domain. */
    public boolean inLogDomain() {
        return log;
    }

    private boolean switchToLog() {
        log = true;
        return false;
    }
}
