package org.lipot.transport.entropic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.lipot.transport.Status;
import org.lipot.transport.TransportProblem;
import org.lipot.transport.geometry.CostMatrix;
import org.lipot.transport.geometry.PointCloud;
import org.lipot.transport.testing.Golden;

/**
 * Every (case, reg) of POT's golden {@code sinkhorn.json}, in each mode: plan entry by entry, linear cost, POT's
 * entropic objective {@code <P,M> + reg sum P (log P - 1)}, and potentials up to the gauge {@code (f + c, g - c)}
 * after converting to POT's convention {@code f + reg log a}.
 */
class SinkhornGoldenTest {

    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        for (JsonNode c : Golden.cases("sinkhorn.json")) {
            for (JsonNode r : c.get("results")) {
                for (Sinkhorn.Mode mode : Sinkhorn.Mode.values()) {
                    if (mode == Sinkhorn.Mode.MULTISCALE && !c.get("metric").asText().equals("sqeuclidean")) {
                        continue;
                    }
                    out.add(Arguments.of(c.get("name").asText() + " reg=" + r.get("reg").asDouble() + " " + mode, c, r, mode));
                }
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void matchesPot(String name, JsonNode c, JsonNode r, Sinkhorn.Mode mode) {
        matches(c, r, mode, Sinkhorn.Precision.FLOAT64, 1e-11, 1e-12, 1e-9);
    }

    static Stream<Arguments> kernelCases() {
        return cases().filter(a -> a.get()[3] == Sinkhorn.Mode.KERNEL);
    }

    /**
     * The float32 kernel: its entries are rounded to {@code 2^-24 = 6e-8} relative, which is the exact kernel of a
     * cost moved by at most {@code eps 2^-24 <= 6e-8} here (reg <= 1). The entropic optimum is 1-Lipschitz in the
     * cost (unit mass), so the objective moves by at most that: 1e-7. To first order the plan entries (all below 1)
     * move by about {@code 2^-24} relative and so does {@code <P, C>} (cost <= 1): 1e-7 absolute; the potentials by
     * about {@code eps 2^-24} (allowed: four units, on top of float64's 1e-9). Measured: 7e-9, 7e-9 and within one
     * unit. The marginals are those of the plan the iteration measured and converge as tightly as in float64.
     */
    @ParameterizedTest(name = "{0} FLOAT32")
    @MethodSource("kernelCases")
    void float32KernelMatchesPot(String name, JsonNode c, JsonNode r, Sinkhorn.Mode mode) {
        double reg = r.get("reg").asDouble();
        matches(c, r, mode, Sinkhorn.Precision.FLOAT32, 1e-7, 1e-7, 1e-9 + 4 * 0x1p-24 * reg);
    }

    private static void matches(JsonNode c, JsonNode r, Sinkhorn.Mode mode, Sinkhorn.Precision precision,
                                double valueTol, double planTol, double potentialTol) {
        double[][] cost = Golden.matrix(c, "M");
        int n = cost.length;
        int m = cost[0].length;
        double[] a = Golden.vector(c, "a");
        double[] b = Golden.vector(c, "b");
        a = a == null ? uniform(n) : a;
        b = b == null ? uniform(m) : b;
        double reg = r.get("reg").asDouble();
        TransportProblem problem = TransportProblem.of(mode == Sinkhorn.Mode.MULTISCALE ? scaledCloud(c, cost)
                : CostMatrix.of(cost), a, b);
        EntropicSolution s = Sinkhorn.builder().epsilon(reg).tolerance(1e-13).mode(mode).precision(precision)
                .threads(2).build().solve(problem);

        assertEquals(Status.CONVERGED, s.status());
        assertTrue(s.columnMarginalError() < 1e-12, "column violation " + s.columnMarginalError());
        assertTrue(s.marginalError() < 1e-12, "marginal error " + s.marginalError());
        assertEquals(r.get("linear_cost").asDouble(), s.value(), valueTol);
        assertEquals(r.get("entropic_objective").asDouble(), s.entropicObjective(), valueTol);

        double[][] plan = Golden.matrix(r, "plan");
        double[][] ours = s.plan().toDense();
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < m; j++) {
                assertEquals(plan[i][j], ours[i][j], planTol, "P(" + i + ", " + j + ")");
            }
        }
        double[] fPot = Golden.vector(r, "f");
        double[] gPot = Golden.vector(r, "g");
        double[] f = s.sourcePotential();
        double[] g = s.targetPotential();
        double shift = f[0] + reg * Math.log(a[0]) - fPot[0];
        for (int i = 0; i < n; i++) {
            assertEquals(fPot[i], f[i] + reg * Math.log(a[i]) - shift, potentialTol, "f_" + i);
        }
        for (int j = 0; j < m; j++) {
            assertEquals(gPot[j], g[j] + reg * Math.log(b[j]) + shift, potentialTol, "g_" + j);
        }
    }

    /** The case's points scaled by {@code 1 / sqrt(cost_scale)}, whose squared Euclidean costs are {@code M}. */
    private static PointCloud scaledCloud(JsonNode c, double[][] cost) {
        double scale = 1 / Math.sqrt(c.get("cost_scale").asDouble());
        double[][] xs = Golden.matrix(c, "xs");
        double[][] xt = Golden.matrix(c, "xt");
        for (double[][] p : new double[][][] {xs, xt}) {
            for (double[] q : p) {
                for (int k = 0; k < q.length; k++) {
                    q[k] *= scale;
                }
            }
        }
        PointCloud cloud = PointCloud.squaredEuclidean(xs, xt);
        for (int i = 0; i < cost.length; i++) {
            for (int j = 0; j < cost[0].length; j++) {
                assertEquals(cost[i][j], cloud.cost(i, j), 1e-14 * Math.max(1, cost[i][j]), "the scaled points give M");
            }
        }
        return cloud;
    }

    static double[] uniform(int n) {
        double[] w = new double[n];
        java.util.Arrays.fill(w, 1.0 / n);
        return w;
    }
}
