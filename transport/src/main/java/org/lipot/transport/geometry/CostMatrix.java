package org.lipot.transport.geometry;

import java.util.Arrays;

/**
 * A dense {@code n x m} cost matrix, stored row-major in float64. Immutable: the constructors copy.
 *
 * <p>Entries must be finite. Negative costs are allowed (the optimal plan is unchanged by adding a constant).
 * At most {@link #MAX_ENTRIES} entries: {@code n m} must fit one Java array.
 */
public final class CostMatrix implements Geometry {

    /** The most entries {@code n m} a dense matrix can hold: the largest Java array, {@code 2^31 - 9}. */
    public static final int MAX_ENTRIES = Integer.MAX_VALUE - 8;

    private final int n;
    private final int m;
    private final double[] data;

    private CostMatrix(int n, int m, double[] data) {
        this.n = n;
        this.m = m;
        this.data = data;
    }

    /**
     * A cost matrix from rows: {@code c[i][j]} is the cost from source {@code i} to target {@code j}.
     *
     * @throws IllegalArgumentException if the matrix is empty, ragged, or has a NaN or infinite entry
     */
    public static CostMatrix of(double[][] c) {
        if (c == null || c.length == 0 || c[0] == null || c[0].length == 0) {
            throw new IllegalArgumentException("cost matrix must have at least one row and one column");
        }
        int n = c.length;
        int m = c[0].length;
        double[] data = new double[entries(n, m)];
        for (int i = 0; i < n; i++) {
            if (c[i] == null || c[i].length != m) {
                throw new IllegalArgumentException("cost matrix is ragged: row 0 has " + m + " columns but row " + i
                        + " has " + (c[i] == null ? "none" : c[i].length));
            }
            System.arraycopy(c[i], 0, data, i * m, m);
        }
        return ofRowMajor(n, m, data);
    }

    /**
     * A cost matrix from a row-major array ({@code data[i * m + j] = C_ij}); the array is copied.
     *
     * @throws IllegalArgumentException if the sizes do not match or an entry is NaN or infinite
     */
    public static CostMatrix ofRowMajor(int n, int m, double[] data) {
        if (n < 1 || m < 1) {
            throw new IllegalArgumentException("cost matrix must be at least 1 x 1, got " + n + " x " + m);
        }
        if (data.length != (long) n * m) {
            throw new IllegalArgumentException("cost matrix is " + n + " x " + m + " but the array has length " + data.length);
        }
        for (int k = 0; k < data.length; k++) {
            if (!Double.isFinite(data[k])) {
                throw new IllegalArgumentException("cost matrix entry (" + k / m + ", " + k % m + ") is " + data[k]);
            }
        }
        return new CostMatrix(n, m, data.clone());
    }

    /**
     * {@code n m} as an array length, checked before anything is allocated.
     *
     * @throws IllegalArgumentException if {@code n m > MAX_ENTRIES}, giving the size
     */
    static int entries(int n, int m) {
        long entries = (long) n * m;
        if (entries > MAX_ENTRIES) {
            throw new IllegalArgumentException("cost matrix is " + n + " x " + m + " = " + entries
                    + " entries, more than a Java array holds (" + MAX_ENTRIES + ")");
        }
        return (int) entries;
    }

    /** Wraps an array this package owns (no copy, no validation). */
    static CostMatrix wrap(int n, int m, double[] data) {
        return new CostMatrix(n, m, data);
    }

    @Override
    public int sourceCount() {
        return n;
    }

    @Override
    public int targetCount() {
        return m;
    }

    @Override
    public double cost(int i, int j) {
        return data[i * m + j];
    }

    @Override
    public void fillRowMajor(double[] out) {
        System.arraycopy(data, 0, out, 0, data.length);
    }

    @Override
    public CostMatrix toCostMatrix() {
        return this;
    }

    /** The largest entry. */
    public double max() {
        double mx = Double.NEGATIVE_INFINITY;
        for (double v : data) {
            mx = Math.max(mx, v);
        }
        return mx;
    }

    /** A copy of the entries as rows. */
    public double[][] toArray() {
        double[][] rows = new double[n][];
        for (int i = 0; i < n; i++) {
            rows[i] = Arrays.copyOfRange(data, i * m, (i + 1) * m);
        }
        return rows;
    }

    @Override
    public String toString() {
        return "CostMatrix[" + n + " x " + m + "]";
    }
}
