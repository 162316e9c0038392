package org.lipot.transport.exact;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.apache.commons.math3.optim.MaxIter;
import org.apache.commons.math3.optim.PointValuePair;
import org.apache.commons.math3.optim.linear.LinearConstraint;
import org.apache.commons.math3.optim.linear.LinearConstraintSet;
import org.apache.commons.math3.optim.linear.LinearObjectiveFunction;
import org.apache.commons.math3.optim.linear.NonNegativeConstraint;
import org.apache.commons.math3.optim.linear.Relationship;
import org.apache.commons.math3.optim.linear.SimplexSolver;
import org.apache.commons.math3.optim.nonlinear.scalar.GoalType;
import org.junit.jupiter.api.Test;
import org.lipot.transport.Solution;

/**
 * An independent check: the monotone rearrangement's value against the optimum of the transport linear program
 * {@code min <P, C> s.t. P 1 = a, P^T 1 = b, P >= 0}, solved by Apache Commons Math's simplex method on the dense
 * {@code |x_i - y_j|^p} matrix, which knows nothing about sorting.
 */
class MonotoneRearrangementLinearProgramTest {

    private static final double[] EXPONENTS = {1, 1.5, 2, 3};

    /** Optimum of the transport LP. The last column constraint is implied by the others and left out. */
    static double linearProgram(double[] x, double[] a, double[] y, double[] b, double p) {
        int n = x.length;
        int m = y.length;
        double[] c = new double[n * m];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < m; j++) {
                c[i * m + j] = Math.pow(Math.abs(x[i] - y[j]), p);
            }
        }
        List<LinearConstraint> constraints = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            double[] row = new double[n * m];
            for (int j = 0; j < m; j++) {
                row[i * m + j] = 1;
            }
            constraints.add(new LinearConstraint(row, Relationship.EQ, a[i]));
        }
        for (int j = 0; j < m - 1; j++) {
            double[] col = new double[n * m];
            for (int i = 0; i < n; i++) {
                col[i * m + j] = 1;
            }
            constraints.add(new LinearConstraint(col, Relationship.EQ, b[j]));
        }
        PointValuePair optimum = new SimplexSolver(1e-12, 10, 1e-15).optimize(new MaxIter(100_000),
                new LinearObjectiveFunction(c, 0), new LinearConstraintSet(constraints), GoalType.MINIMIZE,
                new NonNegativeConstraint(true));
        return optimum.getValue();
    }

    @Test
    void valueIsTheOptimumOfTheLinearProgram() {
        Random r = new Random(20240611L);
        int cases = 300;
        for (int trial = 0; trial < cases; trial++) {
            int n = 1 + r.nextInt(12);
            int m = 1 + r.nextInt(12);
            double[] x = points(r, n, null);
            double[] y = points(r, m, x); // may copy values of x: ties across the two sides
            boolean uniform = trial % 5 == 0;
            double[] a = uniform ? uniform(n) : weights(r, n);
            double[] b = uniform ? uniform(m) : weights(r, m);
            for (double p : EXPONENTS) {
                MonotoneRearrangement solver = MonotoneRearrangement.builder().exponent(p).build();
                double lp = linearProgram(x, a, y, b, p);
                double ours = uniform ? solver.value(x, y) : solver.value(x, a, y, b);
                String what = "trial " + trial + " n=" + n + " m=" + m + " p=" + p;
                assertEquals(lp, ours, 1e-9 * Math.max(Math.abs(lp), 1e-12), what);
                Solution s = solver.solve(x, a, y, b);
                assertEquals(ours, s.value(), 1e-14 * Math.abs(ours) + 1e-16, what + " (explicit weights)");
                // strong duality against the LP: the 1-D duals reach the LP optimum, feasible on every pair
                double dual = 0;
                double worst = 0;
                for (int i = 0; i < n; i++) {
                    dual += a[i] * s.sourcePotential()[i];
                    for (int j = 0; j < m; j++) {
                        double c = Math.pow(Math.abs(x[i] - y[j]), p);
                        worst = Math.max(worst, s.sourcePotential()[i] + s.targetPotential()[j] - c);
                    }
                }
                for (int j = 0; j < m; j++) {
                    dual += b[j] * s.targetPotential()[j];
                }
                assertEquals(lp, dual, 1e-9 * Math.max(Math.abs(lp), 1e-12), what + ": sum a f + sum b g");
                assertTrue(worst <= 1e-12 * Math.max(1, maxCost(x, y, p)), what + ": dual violation " + worst);
            }
        }
    }

    private static double maxCost(double[] x, double[] y, double p) {
        double max = 0;
        for (double xi : x) {
            for (double yj : y) {
                max = Math.max(max, Math.pow(Math.abs(xi - yj), p));
            }
        }
        return max;
    }

    private static double[] points(Random r, int n, double[] other) {
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            double u = r.nextDouble();
            if (u < 0.3) {
                x[i] = r.nextInt(4); // small integers: ties within a side
            } else if (u < 0.45 && other != null) {
                x[i] = other[r.nextInt(other.length)];
            } else if (u < 0.55 && i > 0) {
                x[i] = x[r.nextInt(i)]; // an exact duplicate
            } else {
                x[i] = r.nextGaussian() * 2;
            }
        }
        return x;
    }

    /** Random weights with zeros (at least one positive), normalised to total 1. */
    private static double[] weights(Random r, int n) {
        double[] w = new double[n];
        double sum = 0;
        boolean integers = r.nextBoolean(); // integer weights make coinciding quantile breakpoints
        for (int i = 0; i < n; i++) {
            w[i] = r.nextDouble() < 0.25 ? 0 : integers ? 1 + r.nextInt(3) : r.nextDouble();
            sum += w[i];
        }
        if (sum == 0) {
            w[r.nextInt(n)] = 1;
            sum = 1;
        }
        for (int i = 0; i < n; i++) {
            w[i] /= sum;
        }
        return w;
    }

    private static double[] uniform(int n) {
        double[] w = new double[n];
        java.util.Arrays.fill(w, 1.0 / n);
        return w;
    }
}
