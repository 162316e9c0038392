package org.lipot.lipschitz.sdf;

import java.util.function.IntToDoubleFunction;

/** The median splits of the package's trees: the split axis, and Hoare's selection on an index array. */
final class Quickselect {

    private Quickselect() {
    }

    /** The axis (0, 1 or 2) along which the box {@code lo..hi} is widest: the split axis of the trees. */
    static int widestAxis(double[] lo, double[] hi) {
        int axis = 0;
        for (int k = 1; k < 3; k++) {
            if (hi[k] - lo[k] > hi[axis] - lo[axis]) {
                axis = k;
            }
        }
        return axis;
    }

    /**
     * Reorders {@code order[lo..hi]} so that the element of rank {@code k - lo} by {@code key} is at {@code k}, none
     * before it has a larger key and none after it a smaller one.
     */
    static void select(int[] order, int lo, int hi, int k, IntToDoubleFunction key) {
        while (lo < hi) {
            double pivot = key.applyAsDouble(order[(lo + hi) >>> 1]);
            int i = lo;
            int j = hi;
            while (i <= j) {
                while (key.applyAsDouble(order[i]) < pivot) {
                    i++;
                }
                while (key.applyAsDouble(order[j]) > pivot) {
                    j--;
                }
                if (i <= j) {
                    int s = order[i];
                    order[i] = order[j];
                    order[j] = s;
                    i++;
                    j--;
                }
            }
            if (k <= j) {
                hi = j;
            } else if (k >= i) {
                lo = i;
            } else {
                return;
            }
        }
    }
}
