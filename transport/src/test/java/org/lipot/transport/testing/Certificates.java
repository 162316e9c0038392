package org.lipot.transport.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.lipot.transport.Solution;
import org.lipot.transport.TransportPlan;
import org.lipot.transport.TransportProblem;
import org.lipot.transport.geometry.Geometry;

/** Optimality certificates of an exact solution: primal feasibility, dual feasibility, slackness, no gap. */
public final class Certificates {

    private Certificates() {
    }

    /**
     * Asserts that the solution is optimal for the problem.
     *
     * @param marginalTol absolute tolerance on every row and column sum
     * @param dualTol     absolute tolerance on dual feasibility, slackness and the duality gap, relative to
     *                    {@code max(1, max|C|)}
     */
    public static void assertOptimal(TransportProblem problem, Solution s, double marginalTol, double dualTol) {
        Geometry geo = problem.geometry();
        int n = geo.sourceCount();
        int m = geo.targetCount();
        TransportPlan plan = s.plan();
        double[] rows = plan.rowSums();
        double[] cols = plan.columnSums();
        for (int i = 0; i < n; i++) {
            assertEquals(problem.source().get(i), rows[i], marginalTol, "row sum " + i);
        }
        for (int j = 0; j < m; j++) {
            assertEquals(problem.target().get(j), cols[j], marginalTol, "column sum " + j);
        }
        double scale = 1;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < m; j++) {
                scale = Math.max(scale, Math.abs(geo.cost(i, j)));
            }
        }
        double tol = dualTol * scale;
        double[] f = s.sourcePotential();
        double[] g = s.targetPotential();
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < m; j++) {
                double slack = geo.cost(i, j) - f[i] - g[j];
                assertTrue(slack >= -tol, "dual infeasible at (" + i + ", " + j + "): " + slack);
                if (plan.get(i, j) > 0) {
                    assertEquals(0, slack, tol, "complementary slackness at (" + i + ", " + j + ")");
                }
            }
        }
        double dual = 0;
        for (int i = 0; i < n; i++) {
            dual += problem.source().get(i) * f[i];
        }
        for (int j = 0; j < m; j++) {
            dual += problem.target().get(j) * g[j];
        }
        assertEquals(s.value(), dual, tol, "duality gap");
        assertEquals(s.value(), plan.cost(geo), tol, "value is <P, C>");
    }
}
