package org.lipot.transport.testing;

import java.util.ArrayList;
import java.util.List;

import org.apache.commons.math3.optim.MaxIter;
import org.apache.commons.math3.optim.PointValuePair;
import org.apache.commons.math3.optim.linear.LinearConstraint;
import org.apache.commons.math3.optim.linear.LinearConstraintSet;
import org.apache.commons.math3.optim.linear.LinearObjectiveFunction;
import org.apache.commons.math3.optim.linear.NonNegativeConstraint;
import org.apache.commons.math3.optim.linear.Relationship;
import org.apache.commons.math3.optim.linear.SimplexSolver;
import org.apache.commons.math3.optim.nonlinear.scalar.GoalType;

/** The transport LP solved by Commons Math's dense simplex: an independent reference for small problems. */
public final class LinearProgram {

    private LinearProgram() {
    }

    /** {@code min <P, C>} subject to {@code P >= 0}, row sums {@code a}, column sums {@code b}. */
    public static double transportValue(double[][] c, double[] a, double[] b) {
        int n = a.length;
        int m = b.length;
        double[] obj = new double[n * m];
        for (int i = 0; i < n; i++) {
            System.arraycopy(c[i], 0, obj, i * m, m);
        }
        List<LinearConstraint> cons = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            double[] row = new double[n * m];
            for (int j = 0; j < m; j++) {
                row[i * m + j] = 1;
            }
            cons.add(new LinearConstraint(row, Relationship.EQ, a[i]));
        }
        for (int j = 0; j < m; j++) {
            double[] col = new double[n * m];
            for (int i = 0; i < n; i++) {
                col[i * m + j] = 1;
            }
            cons.add(new LinearConstraint(col, Relationship.EQ, b[j]));
        }
        PointValuePair p = new SimplexSolver(1e-12, 10, 1e-15).optimize(new MaxIter(100_000),
                new LinearObjectiveFunction(obj, 0), new LinearConstraintSet(cons), GoalType.MINIMIZE,
                new NonNegativeConstraint(true));
        return p.getValue();
    }
}
