package org.lipot.transport.entropic;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.lipot.transport.Status;
import org.lipot.transport.TransportProblem;
import org.lipot.transport.geometry.PointCloud;
import org.lipot.transport.testing.Golden;

/**
 * Every case of the golden {@code sinkhorn_divergence.json}, in each mode. The divergence equals the file's
 * {@code converged_value_entropic} (Feydy/Genevay's definition, which lipot implements). Each term equals the file's
 * {@code converged_terms_entropic} (POT's {@code <P, M> + reg sum P (log P - 1)}) plus the constant
 * {@code reg (1 - sum a log a - sum b log b)} that separates it from the dual value {@code <a, f> + <b, g>}; and the
 * linear costs {@code <P, C>} of the three plans equal {@code converged_terms_linear}, the terms of POT's own
 * (linear, clipped) definition, which shows the plans themselves are the reference's.
 */
class SinkhornDivergenceGoldenTest {

    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        for (JsonNode c : Golden.cases("sinkhorn_divergence.json")) {
            for (Sinkhorn.Mode mode : Sinkhorn.Mode.values()) {
                out.add(Arguments.of(c.get("name").asText() + " " + mode, c, mode));
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void matchesTheReference(String name, JsonNode c, Sinkhorn.Mode mode) {
        double[][] x = Golden.matrix(c, "xs");
        double[][] y = Golden.matrix(c, "xt");
        double[] a = Golden.vector(c, "a");
        double[] b = Golden.vector(c, "b");
        a = a == null ? SinkhornGoldenTest.uniform(x.length) : a;
        b = b == null ? SinkhornGoldenTest.uniform(y.length) : b;
        double reg = c.get("reg").asDouble();
        TransportProblem problem = TransportProblem.of(PointCloud.squaredEuclidean(x, y), a, b);
        Sinkhorn sinkhorn = Sinkhorn.builder().epsilon(reg).tolerance(1e-13).maxIterations(1_000_000).mode(mode)
                .threads(2).build();
        DivergenceResult r = SinkhornDivergence.of(sinkhorn).solve(problem);

        assertEquals(Status.CONVERGED, r.status());
        assertEquals(c.get("converged_value_entropic").asDouble(), r.value(), 1e-10);
        JsonNode entropic = c.get("converged_terms_entropic");
        double ha = negEntropy(a);
        double hb = negEntropy(b);
        assertEquals(entropic.get("ab").asDouble() + reg * (1 - ha - hb), r.crossTerm(), 1e-10, "OT(a, b)");
        assertEquals(entropic.get("aa").asDouble() + reg * (1 - 2 * ha), r.sourceSelfTerm(), 1e-10, "OT(a, a)");
        assertEquals(entropic.get("bb").asDouble() + reg * (1 - 2 * hb), r.targetSelfTerm(), 1e-10, "OT(b, b)");
        assertEquals(r.crossTerm() - (r.sourceSelfTerm() + r.targetSelfTerm()) / 2, r.value(), 1e-12);
        JsonNode linear = c.get("converged_terms_linear");
        assertEquals(linear.get("ab").asDouble(), r.cross().value(), 1e-10, "<P^ab, C>");
        assertEquals(linear.get("aa").asDouble(), r.sourceSelf().value(), 1e-10, "<P^aa, C>");
        assertEquals(linear.get("bb").asDouble(), r.targetSelf().value(), 1e-10, "<P^bb, C>");
    }

    /** {@code sum w log w}. */
    private static double negEntropy(double[] w) {
        double s = 0;
        for (double v : w) {
            s += v > 0 ? v * Math.log(v) : 0;
        }
        return s;
    }
}
