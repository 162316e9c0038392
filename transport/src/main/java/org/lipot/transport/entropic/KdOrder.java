package org.lipot.transport.entropic;

/**
 * An ordering of points in which every cluster of a balanced k-d tree is a contiguous range.
 *
 * <p>The range {@code [lo, hi)} is split at {@code mid = lo + (hi - lo) / 2}, after reordering its points so that
 * those before {@code mid} are not above those after it along the axis of largest extent (a median split by
 * count). The clusters are therefore fixed by arithmetic alone: {@link #boundaries(int, int)} halves
 * {@code [0, n)} recursively until every range holds at most a given number of points, and the same call gives
 * nested clusters at any size.
 */
final class KdOrder {

    private KdOrder() {
    }

    /**
     * The order: {@code order[k]} is the index of the point at position {@code k}.
     *
     * @param coords coordinates by axis, {@code coords[axis][point]}
     * @param leaf   ranges of at most this many points are not split further
     */
    static int[] order(double[][] coords, int leaf) {
        int n = coords[0].length;
        int[] order = new int[n];
        for (int k = 0; k < n; k++) {
            order[k] = k;
        }
        split(coords, order, 0, n, Math.max(1, leaf));
        return order;
    }

    private static void split(double[][] coords, int[] order, int lo, int hi, int leaf) {
        while (hi - lo > leaf) {
            double[] axis = coords[widestAxis(coords, order, lo, hi)];
            int mid = lo + (hi - lo) / 2;
            select(axis, order, lo, hi - 1, mid);
            split(coords, order, lo, mid, leaf);
            lo = mid;
        }
    }

    private static int widestAxis(double[][] coords, int[] order, int lo, int hi) {
        int best = 0;
        double widest = -1;
        for (int axis = 0; axis < coords.length; axis++) {
            double[] c = coords[axis];
            double min = Double.POSITIVE_INFINITY;
            double max = Double.NEGATIVE_INFINITY;
            for (int k = lo; k < hi; k++) {
                double v = c[order[k]];
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
            if (max - min > widest) {
                widest = max - min;
                best = axis;
            }
        }
        return best;
    }

    /** Reorders {@code order[left..right]} so that position {@code k} holds its k-th smallest key (Hoare select). */
    private static void select(double[] key, int[] order, int left, int right, int k) {
        while (left < right) {
            double pivot = key[order[left + (right - left) / 2]];
            int i = left;
            int j = right;
            while (i <= j) {
                while (key[order[i]] < pivot) {
                    i++;
                }
                while (key[order[j]] > pivot) {
                    j--;
                }
                if (i <= j) {
                    int t = order[i];
                    order[i] = order[j];
                    order[j] = t;
                    i++;
                    j--;
                }
            }
            if (k <= j) {
                right = j;
            } else if (k >= i) {
                left = i;
            } else {
                return;
            }
        }
    }

    /**
     * The starts of the clusters of at most {@code size} points, followed by {@code n}: cluster {@code c} is
     * {@code [starts[c], starts[c + 1])}.
     */
    static int[] boundaries(int n, int size) {
        int count = 0;
        int[] out = new int[n + 1];
        count = collect(0, n, Math.max(1, size), out, count);
        out[count] = n;
        return java.util.Arrays.copyOf(out, count + 1);
    }

    private static int collect(int lo, int hi, int size, int[] out, int count) {
        if (hi - lo <= size) {
            out[count] = lo;
            return count + 1;
        }
        int mid = lo + (hi - lo) / 2;
        return collect(mid, hi, size, out, collect(lo, mid, size, out, count));
    }
}
