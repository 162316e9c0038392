package org.lipot.transport.exact;

import org.lipot.transport.Marginals;
import org.lipot.transport.TransportPlan;
import org.lipot.transport.internal.CompensatedSum;

/** What the exact solvers compute alike from a plan and dual potentials. */
final class Potentials {

    private Potentials() {
    }

    /** {@code sum_i w_i v_i}, compensated. */
    static double dot(Marginals w, double[] v) {
        CompensatedSum s = new CompensatedSum();
        for (int i = 0; i < v.length; i++) {
            s.add(w.get(i) * v[i]);
        }
        return s.value();
    }

    /** Shifts {@code (f + c, g - c)} so that {@code sum a f = sum b g}, as POT does; {@code f}, {@code g} modified. */
    static void center(double[] f, double[] g, Marginals a, Marginals b) {
        double c = (dot(b, g) - dot(a, f)) / (a.total() + b.total());
        for (int i = 0; i < f.length; i++) {
            f[i] += c;
        }
        for (int j = 0; j < g.length; j++) {
            g[j] -= c;
        }
    }

    /** {@code value - (sum a f + sum b g)}. */
    static double gap(double value, double[] f, double[] g, Marginals a, Marginals b) {
        return value - (dot(a, f) + dot(b, g));
    }

    static boolean finite(double[] v) {
        for (double x : v) {
            if (!Double.isFinite(x)) {
                return false;
            }
        }
        return true;
    }

    /** {@code sum_i |sum_j P_ij - a_i| + sum_j |sum_i P_ij - b_j|}. */
    static double marginalError(TransportPlan plan, Marginals a, Marginals b) {
        return l1Distance(plan.rowSums(), a) + l1Distance(plan.columnSums(), b);
    }

    private static double l1Distance(double[] s, Marginals w) {
        double d = 0;
        for (int i = 0; i < s.length; i++) {
            d += Math.abs(s[i] - w.get(i));
        }
        return d;
    }
}
