package org.lipot.transport.exact;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.lipot.transport.Solution;

/**
 * {@code 10^6} points per side, checked against computations that do not use the merge (correctness only; no
 * timing). Run with {@code mvn -pl transport test -Dlipot.excludedTags=}.
 */
@Tag("slow")
class MonotoneRearrangementLargeTest {

    private static final int N = 1_000_000;

    private static MonotoneRearrangement solver(double p) {
        return MonotoneRearrangement.builder().exponent(p).build();
    }

    /** Uniform, equal sizes: the mean over sorted pairs, summed here with a long-double-like two-sum. */
    @Test
    void uniformEqualSizes() {
        Random r = new Random(1);
        double[] x = new double[N];
        double[] y = new double[N];
        for (int i = 0; i < N; i++) {
            x[i] = r.nextGaussian();
            y[i] = r.nextDouble() * 4 - 1;
        }
        double[] xs = x.clone();
        double[] ys = y.clone();
        Arrays.sort(xs);
        Arrays.sort(ys);
        for (double p : new double[] {1, 2, 3}) {
            double hi = 0;
            double lo = 0;
            for (int k = 0; k < N; k++) {
                double t = Math.pow(Math.abs(xs[k] - ys[k]), p);
                double s = hi + t; // Knuth's two-sum: exact error term whatever the magnitudes
                double bp = s - hi;
                lo += (hi - (s - bp)) + (t - bp);
                hi = s;
            }
            double expected = (hi + lo) / N;
            assertEquals(expected, solver(p).value(x, y), 1e-12 * expected, "p=" + p);
        }
    }

    /**
     * Uniform, n and m coprime, p = 1: {@code W_1 = integral |F - G|}, where between consecutive merged points
     * {@code F - G = (i m - j n) / (n m)} exactly in integers.
     */
    @Test
    void uniformUnequalSizesW1IsTheCdfIntegral() {
        int m = 999_983;
        Random r = new Random(2);
        double[] x = new double[N];
        double[] y = new double[m];
        for (int i = 0; i < N; i++) {
            x[i] = r.nextGaussian();
        }
        for (int j = 0; j < m; j++) {
            y[j] = r.nextGaussian() * 0.5 + 0.3;
        }
        double[] xs = x.clone();
        double[] ys = y.clone();
        Arrays.sort(xs);
        Arrays.sort(ys);
        int i = 0;
        int j = 0;
        double previous = Math.min(xs[0], ys[0]);
        double sum = 0;
        double comp = 0;
        while (i < N || j < m) {
            double next = j == m || (i < N && xs[i] <= ys[j]) ? xs[i] : ys[j];
            double t = Math.abs((long) i * m - (long) j * N) * (next - previous);
            double s = sum + t;
            comp += Math.abs(sum) >= Math.abs(t) ? (sum - s) + t : (t - s) + sum;
            sum = s;
            previous = next;
            if (i < N && xs[i] == next) {
                i++;
            } else {
                j++;
            }
        }
        double expected = (sum + comp) / ((double) N * m);
        assertEquals(expected, solver(1).value(x, y), 1e-11 * expected);
    }

    /** Weighted, with zeros: a translated copy costs |s|^p; the plan closes both marginals. */
    @Test
    void weightedTranslation() {
        Random r = new Random(3);
        double[] x = new double[N];
        double[] a = new double[N];
        double total = 0;
        for (int i = 0; i < N; i++) {
            x[i] = r.nextInt(10) == 0 ? r.nextInt(100) : r.nextGaussian() * 3; // many ties
            a[i] = r.nextInt(10) == 0 ? 0 : r.nextDouble();
            total += a[i];
        }
        for (int i = 0; i < N; i++) {
            a[i] /= total;
        }
        double shift = 0.375;
        double[] y = new double[N];
        for (int i = 0; i < N; i++) {
            y[i] = x[i] + shift;
        }
        for (double p : new double[] {1, 2, 3}) {
            assertEquals(Math.pow(shift, p), solver(p).value(x, a, y, a), 1e-11 * Math.pow(shift, p), "p=" + p);
        }
        Solution s = solver(2).solve(x, a, y, a);
        assertEquals(solver(2).value(x, a, y, a), s.value(), 0.0);
        assertTrue(s.plan().nonZeroCount() <= 2 * N - 1);
        assertTrue(s.marginalError() < 1e-12, "column error " + s.marginalError());
        double[] rows = s.plan().rowSums();
        double rowError = 0;
        for (int i = 0; i < N; i++) {
            rowError += Math.abs(rows[i] - a[i]);
        }
        assertTrue(rowError < 1e-12, "row error " + rowError);
    }

    /** Weighted, unequal sizes, p = 1: against {@code integral |F_a - F_b|} from a combined sort. */
    @Test
    void weightedW1IsTheCdfIntegral() {
        int m = 700_001;
        Random r = new Random(4);
        double[] x = new double[N];
        double[] a = new double[N];
        double[] y = new double[m];
        double[] b = new double[m];
        for (int i = 0; i < N; i++) {
            x[i] = r.nextGaussian();
            a[i] = r.nextDouble();
        }
        for (int j = 0; j < m; j++) {
            y[j] = r.nextGaussian() * 2 - 0.5;
            b[j] = r.nextInt(5) == 0 ? 0 : r.nextDouble();
        }
        normalise(a);
        normalise(b);
        // Combined events sorted by position; the signed weights accumulate F_a - F_b.
        long[] keys = new long[N + m];
        for (int k = 0; k < N + m; k++) {
            double v = k < N ? x[k] : y[k - N];
            keys[k] = Double.doubleToLongBits(v + 0.0); // finite, positive or negative: map to sortable order
            keys[k] = keys[k] < 0 ? ~keys[k] : keys[k] ^ Long.MIN_VALUE;
        }
        Integer[] order = new Integer[N + m];
        for (int k = 0; k < order.length; k++) {
            order[k] = k;
        }
        Arrays.sort(order, (u, v) -> Long.compareUnsigned(keys[u], keys[v]));
        double diff = 0;
        double diffComp = 0;
        double sum = 0;
        double comp = 0;
        for (int t = 0; t < order.length - 1; t++) {
            int k = order[t];
            double w = k < N ? a[k] : -b[k - N];
            double s1 = diff + w;
            diffComp += Math.abs(diff) >= Math.abs(w) ? (diff - s1) + w : (w - s1) + diff;
            diff = s1;
            int k2 = order[t + 1];
            double gap = (k2 < N ? x[k2] : y[k2 - N]) - (k < N ? x[k] : y[k - N]);
            double term = Math.abs(diff + diffComp) * gap;
            double s2 = sum + term;
            comp += Math.abs(sum) >= Math.abs(term) ? (sum - s2) + term : (term - s2) + sum;
            sum = s2;
        }
        double expected = sum + comp;
        assertEquals(expected, solver(1).value(x, a, y, b), 1e-10 * expected);
    }

    private static void normalise(double[] w) {
        double s = 0;
        for (double v : w) {
            s += v;
        }
        for (int i = 0; i < w.length; i++) {
            w[i] /= s;
        }
    }
}
