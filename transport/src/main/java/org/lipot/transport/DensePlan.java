package org.lipot.transport;

/** A transport plan that stores all {@code n x m} entries, row-major. Immutable. */
public final class DensePlan implements TransportPlan {

    private final int n;
    private final int m;
    private final double[] p;

    private DensePlan(int n, int m, double[] p) {
        this.n = n;
        this.m = m;
        this.p = p;
    }

    /**
     * A dense plan from a row-major array ({@code p[i * m + j] = P_ij}); the array is copied.
     *
     * @throws IllegalArgumentException if the length does not match or an entry is negative or not finite
     */
    public static DensePlan ofRowMajor(int n, int m, double[] p) {
        if (n < 1 || m < 1 || p.length != (long) n * m) {
            throw new IllegalArgumentException("plan is " + n + " x " + m + " but the array has length " + p.length);
        }
        for (int k = 0; k < p.length; k++) {
            if (!(p[k] >= 0) || Double.isInfinite(p[k])) {
                throw new IllegalArgumentException("plan entry (" + k / m + ", " + k % m + ") is " + p[k]);
            }
        }
        return new DensePlan(n, m, p.clone());
    }

    @Override
    public int rows() {
        return n;
    }

    @Override
    public int cols() {
        return m;
    }

    @Override
    public double get(int i, int j) {
        return p[i * m + j];
    }

    @Override
    public int nonZeroCount() {
        return p.length;
    }

    @Override
    public void forEachNonZero(EntryVisitor visitor) {
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < m; j++) {
                visitor.visit(i, j, p[i * m + j]);
            }
        }
    }

    @Override
    public String toString() {
        return "DensePlan[" + n + " x " + m + "]";
    }
}
