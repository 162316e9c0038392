package org.lipot.transport.exact;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.lipot.transport.Marginals;
import org.lipot.transport.Solution;
import org.lipot.transport.Status;
import org.lipot.transport.TransportProblem;
import org.lipot.transport.geometry.Cost;
import org.lipot.transport.geometry.PointCloud;
import org.lipot.transport.testing.Certificates;

/** Against POT 0.8.2 ({@code ot.wasserstein_1d}, {@code ot.emd_1d}): resources/golden/emd1d.json. */
class MonotoneRearrangementGoldenTest {

    private static final double VALUE_TOLERANCE = 1e-12;
    private static final double PLAN_TOLERANCE = 1e-12;

    static JsonNode golden() throws IOException {
        try (InputStream in = MonotoneRearrangementGoldenTest.class.getResourceAsStream("/golden/emd1d.json")) {
            assertNotNull(in, "golden/emd1d.json is missing from the test resources");
            return new ObjectMapper().readTree(in);
        }
    }

    static Stream<Arguments> cases() throws IOException {
        List<Arguments> out = new ArrayList<>();
        for (JsonNode c : golden().get("cases")) {
            for (JsonNode r : c.get("results")) {
                out.add(Arguments.of(c.get("name").asText() + " p=" + r.get("p").asInt(), c, r));
            }
        }
        return out.stream();
    }

    static double[] doubles(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        double[] v = new double[node.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = node.get(i).asDouble();
        }
        return v;
    }

    @Test
    void everyCaseIsCovered() throws IOException {
        assertEquals(16, cases().count(), "8 cases x p in {1, 2}");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void matchesPot(String name, JsonNode c, JsonNode r) {
        double[] x = doubles(c.get("x"));
        double[] y = doubles(c.get("y"));
        double[] a = doubles(c.get("a"));
        double[] b = doubles(c.get("b"));
        int n = x.length;
        int m = y.length;
        int p = r.get("p").asInt();
        double expected = r.get("cost_pow_p").asDouble();
        MonotoneRearrangement solver = MonotoneRearrangement.builder().exponent(p).build();

        double value = solver.value(x, a, y, b);
        assertEquals(expected, value, VALUE_TOLERANCE * Math.abs(expected), "W_p^p");

        Solution s = solver.solve(x, a, y, b);
        assertEquals(value, s.value(), 0.0, "value() and solve().value()");
        assertEquals(Status.OPTIMAL, s.status());
        assertEquals(r.get("distance").asDouble(), s.distance(p), 1e-12 * r.get("distance").asDouble());
        assertTrue(s.plan().nonZeroCount() <= n + m - 1, "at most n + m - 1 non-zeros");

        // marginals, always
        double[] rows = s.plan().rowSums();
        double[] cols = s.plan().columnSums();
        double marginalError = 0;
        for (int i = 0; i < n; i++) {
            double ai = a == null ? 1.0 / n : a[i];
            assertEquals(ai, rows[i], PLAN_TOLERANCE, "row " + i);
            marginalError += Math.abs(rows[i] - ai);
        }
        for (int j = 0; j < m; j++) {
            double bj = b == null ? 1.0 / m : b[j];
            assertEquals(bj, cols[j], PLAN_TOLERANCE, "column " + j);
            marginalError += Math.abs(cols[j] - bj);
        }
        assertEquals(marginalError, s.marginalError(), 1e-15, "reported marginal error, rows and columns");

        // duals: feasible on every pair, tight on the support, and sum a f + sum b g = the golden value
        TransportProblem problem = TransportProblem.of(PointCloud.of(column(x), column(y), Cost.lpPower(p)),
                a == null ? Marginals.uniform(n) : Marginals.of(a), b == null ? Marginals.uniform(m) : Marginals.of(b));
        Certificates.assertOptimal(problem, s, PLAN_TOLERANCE, 1e-12);
        assertTrue(s.duality().feasible());
        assertEquals(0, s.duality().gap(), 1e-12 * Math.abs(expected), "reported gap");
        TransportProblem own = TransportProblem.of(PointCloud.of(column(x), column(y), solver.cost()), problem.source(),
                problem.target());
        assertEquals(expected, solver.solve(own).value(), VALUE_TOLERANCE * Math.abs(expected), "solve(problem)");

        // the plan's own cost is the value
        double[] planCost = {0};
        s.plan().forEachNonZero((i, j, mass) -> planCost[0] += mass * Math.pow(Math.abs(x[i] - y[j]), p));
        assertEquals(expected, planCost[0], VALUE_TOLERANCE * Math.abs(expected), "<P, C>");

        JsonNode sparse = r.get("plan_sparse");
        if (sparse != null && !sparse.isNull()) {
            // The monotone coupling is one definite plan when no value repeats, whatever p; POT marks only p = 2
            // as unique because for p = 1 other optimal plans exist.
            boolean distinct = distinct(x) && distinct(y);
            if (r.get("plan_unique_expected").asBoolean() || distinct) {
                double[][] pot = new double[n][m];
                for (JsonNode e : sparse) {
                    pot[e.get(0).asInt()][e.get(1).asInt()] = e.get(2).asDouble();
                }
                double[][] ours = s.plan().toDense();
                for (int i = 0; i < n; i++) {
                    for (int j = 0; j < m; j++) {
                        assertEquals(pot[i][j], ours[i][j], PLAN_TOLERANCE, "plan entry (" + i + ", " + j + ")");
                    }
                }
            }
        }
    }

    static double[][] column(double[] v) {
        double[][] c = new double[v.length][1];
        for (int i = 0; i < v.length; i++) {
            c[i][0] = v[i];
        }
        return c;
    }

    private static boolean distinct(double[] v) {
        HashSet<Double> seen = new HashSet<>();
        for (double d : v) {
            if (!seen.add(d)) {
                return false;
            }
        }
        return true;
    }
}
