package org.lipot.lipschitz.sdf;

import java.util.Arrays;

/**
 * The {@code k} nearest neighbours of every point of a 3-D cloud, by a k-d tree (median splits on the widest axis,
 * leaves of 8 points) searched nearer side first with pruning: exact, about {@code O(k log n)} per point.
 */
final class NearestNeighbours {

    private static final int LEAF = 8;

    private final double[][] p;
    private final int[] order;
    private final int[] lo;
    private final int[] hi;
    private final int[] axis;
    private final double[] split;
    private final int[] left;
    private final int[] right;
    private int nodes;

    NearestNeighbours(double[][] points) {
        this.p = points;
        int n = points.length;
        order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        int max = 2 * n + 1;
        lo = new int[max];
        hi = new int[max];
        axis = new int[max];
        split = new double[max];
        left = new int[max];
        right = new int[max];
        build(0, n);
    }

    private int build(int from, int to) {
        int node = nodes++;
        lo[node] = from;
        hi[node] = to;
        if (to - from <= LEAF) {
            left[node] = -1;
            return node;
        }
        double[] min = {Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY};
        double[] max = {Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY};
        for (int i = from; i < to; i++) {
            for (int k = 0; k < 3; k++) {
                min[k] = Math.min(min[k], p[order[i]][k]);
                max[k] = Math.max(max[k], p[order[i]][k]);
            }
        }
        int a = Quickselect.widestAxis(min, max);
        int mid = (from + to) >>> 1;
        Quickselect.select(order, from, to - 1, mid, i -> p[i][a]);
        axis[node] = a;
        split[node] = p[order[mid]][a];
        left[node] = build(from, mid);
        right[node] = build(mid, to);
        return node;
    }

    /**
     * The {@code k} nearest other points of point {@code q}, nearest first, and their squared distances in
     * {@code dist2} (length k).
     */
    int[] of(int q, int k, double[] dist2) {
        return near(p[q], q, k, dist2);
    }

    /** The squared distance from {@code x} to the nearest point of the cloud. */
    double nearest2(double[] x) {
        double[] d2 = new double[1];
        near(x, -1, 1, d2);
        return d2[0];
    }

    private int[] near(double[] x, int skip, int k, double[] dist2) {
        int[] best = new int[k];
        Arrays.fill(best, -1);
        Arrays.fill(dist2, Double.POSITIVE_INFINITY);
        search(0, x, skip, best, dist2);
        return best;
    }

    private void search(int node, double[] x, int skip, int[] best, double[] d2) {
        if (left[node] < 0) {
            for (int i = lo[node]; i < hi[node]; i++) {
                int c = order[i];
                if (c == skip) {
                    continue;
                }
                double d = dist2(p[c], x);
                if (d < d2[d2.length - 1]) {
                    int at = d2.length - 1;
                    while (at > 0 && d2[at - 1] > d) { // insertion into the sorted list
                        d2[at] = d2[at - 1];
                        best[at] = best[at - 1];
                        at--;
                    }
                    d2[at] = d;
                    best[at] = c;
                }
            }
            return;
        }
        double gap = x[axis[node]] - split[node];
        int nearer = gap < 0 ? left[node] : right[node];
        int farther = gap < 0 ? right[node] : left[node];
        search(nearer, x, skip, best, d2);
        if (gap * gap < d2[d2.length - 1]) {
            search(farther, x, skip, best, d2);
        }
    }

    private static double dist2(double[] a, double[] b) {
        double x = a[0] - b[0];
        double y = a[1] - b[1];
        double z = a[2] - b[2];
        return x * x + y * y + z * z;
    }
}
