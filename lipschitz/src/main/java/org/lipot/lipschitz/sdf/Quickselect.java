package org.lipot.lipschitz.sdf;

import java.util.function.IntToDoubleFunction;

/** Hoare's selection on an index array, for the median splits of the package's trees. */
final class Quickselect {

    private Quickselect() {
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
