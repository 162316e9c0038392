package org.lipot.transport.entropic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.lipot.transport.Marginals;
import org.lipot.transport.Status;
import org.lipot.transport.TransportProblem;
import org.lipot.transport.geometry.CostMatrix;
import org.lipot.transport.testing.Golden;

/** Unbalanced Sinkhorn against POT's sinkhorn_unbalanced, its optimality conditions and the balanced limit. */
class UnbalancedSinkhornTest {

    @Test
    void matchesPotsPlansCostsAndObjectives() {
        int checked = 0;
        for (JsonNode c : Golden.cases("unbalanced.json")) {
            double[][] m = Golden.matrix(c, "M");
            Marginals a = Marginals.of(Golden.vector(c, "a"));
            Marginals b = Marginals.of(Golden.vector(c, "b"));
            for (JsonNode r : c.get("results")) {
                double eps = r.get("reg").asDouble();
                double tau = r.get("reg_m").asDouble();
                String name = c.get("name").asText() + " eps " + eps + " tau " + tau;
                UnbalancedResult u = UnbalancedSinkhorn.builder().epsilon(eps).tau(tau).tolerance(1e-13).build()
                        .solve(CostMatrix.of(m), a, b);
                assertEquals(Status.CONVERGED, u.status(), name);
                assertEquals(r.get("linear_cost").asDouble(), u.value(), 1e-9, name);
                assertEquals(r.get("objective").asDouble(), u.objective(), 1e-9, name);
                double[][] plan = Golden.matrix(r, "plan");
                for (int i = 0; i < plan.length; i++) {
                    for (int j = 0; j < plan[0].length; j++) {
                        assertEquals(plan[i][j], u.plan().get(i, j), 1e-10, name);
                    }
                }
                // first-order conditions: C + eps log P + tau log(r / a) + tau log(c / b) = 0
                for (int i = 0; i < plan.length; i++) {
                    for (int j = 0; j < plan[0].length; j++) {
                        double s = m[i][j] + eps * Math.log(u.plan().get(i, j)) + tau * Math.log(u.rowSums()[i] / a.get(i))
                                + tau * Math.log(u.columnSums()[j] / b.get(j));
                        assertEquals(0, s, 1e-9, name + " stationarity");
                    }
                }
                checked++;
            }
        }
        assertEquals(9, checked);
    }

    @Test
    void infiniteTauIsTheBalancedSinkhorn() {
        double[][] m = {{0, 0.1, 0.4}, {0.1, 0, 0.1}, {0.4, 0.1, 0}, {0.9, 0.4, 0.1}};
        double[] a = {0.1, 0.4, 0.3, 0.2};
        double[] b = {0.5, 0.2, 0.3};
        UnbalancedResult u = UnbalancedSinkhorn.builder().epsilon(0.1).tau(Double.POSITIVE_INFINITY).tolerance(1e-12)
                .build().solve(CostMatrix.of(m), Marginals.of(a), Marginals.of(b));
        EntropicSolution s = Sinkhorn.builder().epsilon(0.1).tolerance(1e-13).build()
                .solve(TransportProblem.of(CostMatrix.of(m), a, b));
        assertEquals(Status.CONVERGED, u.status());
        for (int i = 0; i < a.length; i++) {
            assertEquals(a[i], u.rowSums()[i], 1e-10);
            for (int j = 0; j < b.length; j++) {
                assertEquals(s.plan().get(i, j), u.plan().get(i, j), 1e-10);
            }
        }
        for (int j = 0; j < b.length; j++) {
            assertEquals(b[j], u.columnSums()[j], 1e-10);
        }
        // a large finite tau approaches it
        UnbalancedResult large = UnbalancedSinkhorn.builder().epsilon(0.1).tau(1e6).tolerance(1e-12).build()
                .solve(CostMatrix.of(m), Marginals.of(a), Marginals.of(b));
        assertEquals(u.value(), large.value(), 1e-5);
    }

    @Test
    void theProductReferenceMeetsItsOwnOptimalityConditionsAndIsBalancedAtInfiniteTau() {
        double[][] m = {{0, 0.1, 0.4}, {0.1, 0, 0.1}, {0.4, 0.1, 0}, {0.9, 0.4, 0.1}};
        double[] a = {0.1, 0.4, 0.3, 0.2};
        double[] b = {0.9, 0.2, 0.5};
        double eps = 0.05;
        double tau = 0.3;
        UnbalancedResult u = UnbalancedSinkhorn.builder().epsilon(eps).tau(tau).productReference(true)
                .tolerance(1e-13).build().solve(CostMatrix.of(m), Marginals.of(a), Marginals.of(b));
        assertEquals(Status.CONVERGED, u.status());
        // C + eps log(P / (a b)) + tau log(P1 / a) + tau log(P^T 1 / b) = 0
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < b.length; j++) {
                double s = m[i][j] + eps * Math.log(u.plan().get(i, j) / (a[i] * b[j]))
                        + tau * Math.log(u.rowSums()[i] / a[i]) + tau * Math.log(u.columnSums()[j] / b[j]);
                assertEquals(0, s, 1e-9);
            }
        }
        // with hard marginals the reference only shifts the potentials: the same plan as the counting measure
        double[] bb = {0.5, 0.2, 0.3};
        UnbalancedResult product = UnbalancedSinkhorn.builder().epsilon(0.1).tau(Double.POSITIVE_INFINITY)
                .productReference(true).tolerance(1e-12).build().solve(CostMatrix.of(m), Marginals.of(a),
                        Marginals.of(bb));
        UnbalancedResult counting = UnbalancedSinkhorn.builder().epsilon(0.1).tau(Double.POSITIVE_INFINITY)
                .tolerance(1e-12).build().solve(CostMatrix.of(m), Marginals.of(a), Marginals.of(bb));
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < bb.length; j++) {
                assertEquals(counting.plan().get(i, j), product.plan().get(i, j), 1e-10);
            }
        }
        assertEquals(counting.value(), product.value(), 1e-12);
    }

    @Test
    void stableAtTinyEpsilonAndBadInputIsRefused() {
        double[][] m = {{0, 1e4}, {1e4, 0}};
        UnbalancedResult u = UnbalancedSinkhorn.builder().epsilon(1e-5 * 1e4).tau(1).build()
                .solve(CostMatrix.of(m), Marginals.of(0.5, 0.5), Marginals.of(1.0, 1.0));
        assertTrue(u.converged(), u.status().toString());
        assertTrue(Double.isFinite(u.objective()) && u.value() >= 0, u.toString());
        assertThrows(IllegalArgumentException.class, () -> UnbalancedSinkhorn.builder().epsilon(0));
        assertThrows(IllegalArgumentException.class, () -> UnbalancedSinkhorn.builder().tau(-1));
        assertThrows(IllegalArgumentException.class, () -> UnbalancedSinkhorn.builder().epsilon(1).build());
        assertThrows(IllegalArgumentException.class, () -> UnbalancedSinkhorn.builder().epsilon(1).tau(1).build()
                .solve(CostMatrix.of(m), Marginals.of(1.0), Marginals.of(1.0, 1.0)));
    }

    @Test
    void kernelProductsAndTheLogDomainAgreeAtEveryEpsilon() {
        // a 1-D problem whose largest cost is 1: at eps 5e-4 the kernel underflows for far pairs, and at 2e-4 the plan
        // itself moves mass over costs of 1000 eps, where only the log domain is exact
        int n = 40;
        double[][] c = new double[n][n];
        double[] a = new double[n];
        double[] b = new double[n];
        for (int i = 0; i < n; i++) {
            a[i] = (1 + (i % 3)) / (2.0 * n);
            b[i] = (1 + (i % 5)) / (3.0 * n);
            for (int j = 0; j < n; j++) {
                double d = (i - 0.7 * j - 8) / (double) n;
                c[i][j] = d * d;
            }
        }
        for (double eps : new double[] {0.05, 5e-3, 5e-4, 2e-4}) {
            UnbalancedResult auto = UnbalancedSinkhorn.builder().epsilon(eps).tau(0.5).tolerance(1e-12).build()
                    .solve(CostMatrix.of(c), Marginals.of(a), Marginals.of(b));
            UnbalancedResult single = UnbalancedSinkhorn.builder().epsilon(eps).tau(0.5).tolerance(1e-12).threads(1)
                    .build().solve(CostMatrix.of(c), Marginals.of(a), Marginals.of(b));
            assertEquals(Status.CONVERGED, auto.status(), "eps " + eps);
            assertEquals(auto.value(), single.value(), 1e-13 * Math.abs(auto.value()) + 1e-15, "eps " + eps);
            // stationarity of the exact problem: C + eps log P + tau log(r / a) + tau log(c / b) = 0 where P > 0
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    double p = auto.plan().get(i, j);
                    if (p > 1e-250) {
                        double s = c[i][j] + eps * Math.log(p) + 0.5 * Math.log(auto.rowSums()[i] / a[i])
                                + 0.5 * Math.log(auto.columnSums()[j] / b[j]);
                        assertEquals(0, s, 1e-9, "eps " + eps + " at " + i + ", " + j);
                    }
                }
            }
        }
    }
}
