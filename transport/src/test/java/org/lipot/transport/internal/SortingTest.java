package org.lipot.transport.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.Random;

import org.junit.jupiter.api.Test;

class SortingTest {

    /** Both branches (comparison sort below the threshold, radix above) against Arrays.sort, bit for bit. */
    @Test
    void sortedCopyEqualsArraysSortAndLeavesInputAlone() {
        Random r = new Random(11);
        for (int n : new int[] {0, 1, 2, 17, 4095, 4096, 10_000, 70_001}) {
            double[] x = new double[n];
            for (int i = 0; i < n; i++) {
                switch (r.nextInt(5)) {
                    case 0 -> x[i] = r.nextInt(7) - 3; // ties
                    case 1 -> x[i] = r.nextBoolean() ? 0.0 : -0.0;
                    case 2 -> x[i] = r.nextGaussian() * 1e300;
                    case 3 -> x[i] = r.nextGaussian() * 1e-310; // subnormals
                    default -> x[i] = r.nextGaussian();
                }
            }
            double[] before = x.clone();
            double[] expected = x.clone();
            Arrays.sort(expected);
            double[] got = Sorting.sortedCopy(x);
            assertEquals(n, got.length);
            for (int i = 0; i < n; i++) {
                assertEquals(Double.doubleToRawLongBits(expected[i]), Double.doubleToRawLongBits(got[i]),
                        "n=" + n + " position " + i);
            }
            assertArrayEquals(before, x);
        }
    }

    @Test
    void sortedCopyMatchesArgsortGather() {
        Random r = new Random(12);
        double[] x = new double[9000];
        for (int i = 0; i < x.length; i++) {
            x[i] = r.nextInt(50) * 0.25 - 3;
        }
        int[] order = Sorting.argsort(x);
        double[] sorted = Sorting.sortedCopy(x);
        for (int k = 0; k < x.length; k++) {
            assertEquals(x[order[k]], sorted[k]);
        }
    }

    @Test
    void sortableBitsRoundTrip() {
        for (double v : new double[] {0.0, -0.0, 1.5, -1.5, Double.MIN_VALUE, -Double.MAX_VALUE, 1e-300}) {
            assertEquals(Double.doubleToRawLongBits(v),
                    Double.doubleToRawLongBits(Sorting.fromSortableBits(Sorting.sortableBits(v))));
        }
    }
}
