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

    @Test
    void argsortIsStableAndSortedOnBothSidesOfTheRadixThreshold() {
        java.util.SplittableRandom rng = new java.util.SplittableRandom(4);
        for (int n : new int[] {0, 1, 2, 15, 16, 17, 33, 1000, 4095, 4096, 9000}) {
            double[] keys = new double[n];
            long[] longs = new long[n];
            for (int i = 0; i < n; i++) {
                keys[i] = rng.nextInt(50) - 25 + (rng.nextBoolean() ? 0.0 : -0.0); // many ties, both zeros
                longs[i] = rng.nextLong(-40, 40);
            }
            int[] order = Sorting.argsort(keys);
            int[] longOrder = Sorting.argsort(longs);
            Integer[] expected = new Integer[n];
            Integer[] expectedLong = new Integer[n];
            for (int i = 0; i < n; i++) {
                expected[i] = i;
                expectedLong[i] = i;
            }
            java.util.Arrays.sort(expected, (a, b) -> Double.compare(keys[a], keys[b])); // stable
            java.util.Arrays.sort(expectedLong, (a, b) -> Long.compare(longs[a], longs[b]));
            for (int i = 0; i < n; i++) {
                assertEquals(expected[i], order[i], "n " + n + " at " + i);
                assertEquals(expectedLong[i], longOrder[i], "n " + n + " at " + i);
            }
        }
    }
}
