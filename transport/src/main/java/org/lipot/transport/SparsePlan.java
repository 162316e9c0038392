package org.lipot.transport;

import java.util.Arrays;

import org.lipot.transport.internal.Sorting;

/**
 * A transport plan that stores its non-zero entries only, sorted by row then column (compressed sparse rows).
 * Memory is {@code O(n + nnz)}. Immutable.
 */
public final class SparsePlan implements TransportPlan {

    private final int n;
    private final int m;
    private final int[] rowStart;
    private final int[] col;
    private final double[] mass;

    private SparsePlan(int n, int m, int[] rowStart, int[] col, double[] mass) {
        this.n = n;
        this.m = m;
        this.rowStart = rowStart;
        this.col = col;
        this.mass = mass;
    }

    /**
     * A sparse plan from coordinate triples ({@code rows[k], cols[k], mass[k]}). Duplicate coordinates are
     * summed and exact zeros dropped. The arrays are not modified.
     *
     * @throws IllegalArgumentException if lengths differ, an index is out of range, or a mass is negative or
     *                                  not finite
     */
    public static SparsePlan of(int n, int m, int[] rows, int[] cols, double[] mass) {
        checkTriples(n, m, rows, cols, mass, rows.length);
        int len = rows.length;
        long[] keys = new long[len];
        for (int k = 0; k < len; k++) {
            keys[k] = (long) rows[k] * m + cols[k];
        }
        int[] order = Sorting.argsort(keys);
        int[] rowStart = new int[n + 1];
        int[] c = new int[len];
        double[] v = new double[len];
        int out = 0;
        long last = -1;
        for (int t = 0; t < len; t++) {
            int k = order[t];
            if (mass[k] == 0) {
                continue;
            }
            if (keys[k] == last) {
                v[out - 1] += mass[k];
                continue;
            }
            last = keys[k];
            c[out] = cols[k];
            v[out] = mass[k];
            rowStart[rows[k] + 1]++;
            out++;
        }
        for (int i = 0; i < n; i++) {
            rowStart[i + 1] += rowStart[i];
        }
        return new SparsePlan(n, m, rowStart, Arrays.copyOf(c, out), Arrays.copyOf(v, out));
    }

    /**
     * A sparse plan from the first {@code count} coordinate triples, given <b>row by row</b>: the entries of each row
     * are consecutive (the rows themselves in any order), as a walk over the rows produces them (the 1-D
     * rearrangement's staircase). They are placed by counting instead of sorted, in {@code O(n + count)} time plus a
     * sort of each row whose columns are not already ascending (the only temporary arrays are that row's). Exact
     * zeros are dropped. The arrays are not modified.
     *
     * @throws IllegalArgumentException if {@code count} exceeds an array's length, an index is out of range, a mass
     *                                  is negative or not finite, a row's entries are not consecutive, or a
     *                                  coordinate appears twice
     */
    public static SparsePlan ofGroupedRows(int n, int m, int[] rows, int[] cols, double[] mass, int count) {
        checkTriples(n, m, rows, cols, mass, count);
        int[] rowStart = new int[n + 1];
        int previous = -1;
        for (int k = 0; k < count; k++) {
            if (mass[k] == 0) {
                continue;
            }
            int r = rows[k];
            if (r != previous && rowStart[r + 1] > 0) {
                throw new IllegalArgumentException("the entries of row " + r + " are not consecutive (entry " + k
                        + " follows one of row " + previous + ")");
            }
            rowStart[r + 1]++;
            previous = r;
        }
        for (int i = 0; i < n; i++) {
            rowStart[i + 1] += rowStart[i];
        }
        int[] c = new int[rowStart[n]];
        double[] v = new double[rowStart[n]];
        int at = -1;
        previous = -1;
        for (int k = 0; k < count; k++) {
            if (mass[k] == 0) {
                continue;
            }
            if (rows[k] != previous) {
                if (previous >= 0) {
                    sortRow(previous, c, v, rowStart[previous], at);
                }
                previous = rows[k];
                at = rowStart[previous];
            }
            c[at] = cols[k];
            v[at] = mass[k];
            at++;
        }
        if (previous >= 0) {
            sortRow(previous, c, v, rowStart[previous], at);
        }
        return new SparsePlan(n, m, rowStart, c, v);
    }

    /** Sorts {@code c[from..to)} ascending, with {@code v} alongside; a repeated column is refused. */
    private static void sortRow(int row, int[] c, double[] v, int from, int to) {
        boolean ascending = true;
        for (int k = from + 1; k < to && ascending; k++) {
            ascending = c[k - 1] < c[k];
        }
        if (!ascending) {
            long[] keyed = new long[to - from]; // column in the high half, position in the low
            for (int k = from; k < to; k++) {
                keyed[k - from] = (long) c[k] << 32 | (k - from);
            }
            Arrays.sort(keyed);
            double[] masses = Arrays.copyOfRange(v, from, to);
            for (int t = 0; t < keyed.length; t++) {
                c[from + t] = (int) (keyed[t] >>> 32);
                v[from + t] = masses[(int) keyed[t]];
            }
        }
        for (int k = from + 1; k < to; k++) {
            if (c[k - 1] == c[k]) {
                throw new IllegalArgumentException("entry (" + row + ", " + c[k] + ") appears twice");
            }
        }
    }

    private static void checkTriples(int n, int m, int[] rows, int[] cols, double[] mass, int count) {
        if (n < 1 || m < 1) {
            throw new IllegalArgumentException("plan must be at least 1 x 1, got " + n + " x " + m);
        }
        if (rows.length != cols.length || rows.length != mass.length) {
            throw new IllegalArgumentException("rows, cols and mass have lengths " + rows.length + ", " + cols.length
                    + ", " + mass.length + "; they must be equal");
        }
        if (count < 0 || count > rows.length) {
            throw new IllegalArgumentException("count is " + count + " but the arrays hold " + rows.length);
        }
        for (int k = 0; k < count; k++) {
            if (rows[k] < 0 || rows[k] >= n || cols[k] < 0 || cols[k] >= m) {
                throw new IllegalArgumentException("entry " + k + " at (" + rows[k] + ", " + cols[k] + ") is outside the "
                        + n + " x " + m + " plan");
            }
            if (!(mass[k] >= 0) || Double.isInfinite(mass[k])) {
                throw new IllegalArgumentException("mass of entry " + k + " is " + mass[k]);
            }
        }
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
        int k = Arrays.binarySearch(col, rowStart[i], rowStart[i + 1], j);
        return k >= 0 ? mass[k] : 0.0;
    }

    @Override
    public int nonZeroCount() {
        return mass.length;
    }

    @Override
    public void forEachNonZero(EntryVisitor visitor) {
        for (int i = 0; i < n; i++) {
            for (int k = rowStart[i]; k < rowStart[i + 1]; k++) {
                visitor.visit(i, col[k], mass[k]);
            }
        }
    }

    /** Row indices of the stored entries, in storage order (a copy). */
    public int[] rowIndices() {
        int[] r = new int[mass.length];
        for (int i = 0; i < n; i++) {
            Arrays.fill(r, rowStart[i], rowStart[i + 1], i);
        }
        return r;
    }

    /** Column indices of the stored entries, in storage order (a copy). */
    public int[] columnIndices() {
        return col.clone();
    }

    /** Masses of the stored entries, in storage order (a copy). */
    public double[] masses() {
        return mass.clone();
    }

    @Override
    public String toString() {
        return "SparsePlan[" + n + " x " + m + ", " + mass.length + " non-zeros]";
    }
}
