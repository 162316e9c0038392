package org.lipot.lipschitz.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.lipot.lipschitz.nn.Layer;
import org.lipot.lipschitz.nn.Parameter;
import org.lipot.lipschitz.nn.Sequential;
import org.lipot.lipschitz.param.GradientMode;
import org.lipot.lipschitz.testing.Golden;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Activations and the SpectralDense network against {@code activations.json} / {@code spectral_dense_net.json}. */
class GoldenLayersTest {

    @Test
    void activationsPoolingAndDownSampling() {
        int checked = 0;
        for (JsonNode c : Golden.read("activations.json").get("cases")) {
            String op = c.get("op").asText();
            int k = c.has("kernel_size") ? c.get("kernel_size").asInt() : 0;
            Layer l = switch (op) {
                case "GroupSort2" -> new GroupSort2();
                case "FullSort" -> new FullSort();
                case "ScaledL2NormPool2d" -> new ScaledL2NormPool2d(k, k);
                case "ScaledAvgPool2d" -> new ScaledAvgPool2d(k, k);
                case "InvertibleDownSampling" -> new InvertibleDownSampling(k);
                default -> throw new AssertionError("an op this test does not know: " + op);
            };
            INDArray y = l.forward(Golden.array(c.get("input")), true);
            assertTrue(Golden.relErr(y, Golden.array(c.get("output"))) <= 1e-15, op);
            INDArray gx = l.backward(Golden.array(c.get("grad_output")));
            INDArray expected = Golden.array(c.get("grad_input"));
            if (op.equals("ScaledL2NormPool2d")) {
                expected = safeGradient(expected, Golden.array(c.get("output")), k);
            }
            assertTrue(Golden.relErr(gx, expected) <= 1e-15, op);
            checked++;
        }
        assertEquals(7, checked);
    }

    /**
     * The file's exact pooling gradient {@code g x / y} turned into deel-lip's safe one, {@code g x / (y + 1e-6)},
     * which lipot uses (the file's README notes the difference): each window's entries times {@code y / (y + 1e-6)}.
     */
    private static INDArray safeGradient(INDArray exact, INDArray y, int k) {
        INDArray out = exact.dup();
        long[] s = exact.shape();
        for (int n = 0; n < s[0]; n++) {
            for (int c = 0; c < s[1]; c++) {
                for (int h = 0; h < y.size(2) * k; h++) {
                    for (int w = 0; w < y.size(3) * k; w++) {
                        double yw = y.getDouble(n, c, h / k, w / k);
                        out.putScalar(new long[] {n, c, h, w}, exact.getDouble(n, c, h, w) * yw / (yw + 1e-6));
                    }
                }
            }
        }
        return out;
    }

    @Test
    void spectralDenseNetworkAllRuns() {
        JsonNode root = Golden.read("spectral_dense_net.json");
        INDArray x = Golden.array(root.get("input"));
        int runs = 0;
        for (JsonNode run : root.get("runs")) {
            JsonNode s = run.get("settings");
            String mode = run.get("grad_mode").asText();
            GradientMode gm = switch (mode) {
                case "full" -> GradientMode.full();
                case "detach_first" -> GradientMode.gradientThroughFirst(run.get("K").asInt());
                case "detach_last" -> GradientMode.gradientThroughLast(run.get("K").asInt());
                default -> throw new AssertionError(mode);
            };
            List<SpectralDense> dense = new ArrayList<>();
            List<Layer> layers = new ArrayList<>();
            JsonNode rawLayers = root.get("layers");
            for (int i = 0; i < rawLayers.size(); i++) {
                JsonNode lj = rawLayers.get(i);
                SpectralDense d = SpectralDense.builder(lj.get("in").asInt(), lj.get("out").asInt())
                        .dataType(DataType.DOUBLE)
                        .powerIterations(s.get("power_iters").asInt()).powerTolerance(s.get("power_eps").asDouble())
                        .epsSpectral(s.get("eps_spectral").asDouble()).beta(s.get("beta").asDouble())
                        .bjorckIterations(s.get("bjorck_iters").asInt())
                        .bjorckTolerance(s.get("bjorck_eps").asDouble()).gradientMode(gm).build();
                d.weight().value().assign(Golden.array(lj.get("w")));
                d.bias().value().assign(Golden.array(lj.get("b")));
                d.powerVector().assign(Golden.array(lj.get("u0")));
                dense.add(d);
                layers.add(d);
                if (i < rawLayers.size() - 1) {
                    layers.add(new GroupSort2());
                }
            }
            Sequential net = Sequential.of(layers);
            String what = run.get("config").asText() + "/" + mode;
            INDArray y = net.forward(x, true);
            assertRel(y, run.get("output"), 1e-12, what + " output");
            INDArray gx = net.backward(y.ulike().assign(1.0));
            assertRel(gx, run.get("grad_x"), 1e-10, what + " grad_x");
            for (int i = 0; i < dense.size(); i++) {
                JsonNode lr = run.get("layers").get(i);
                SpectralDense d = dense.get(i);
                String w = what + " layer " + i;
                assertEquals(lr.get("power_iterations_run").asInt(), d.powerIterationsRun(), w);
                assertEquals(lr.get("bjorck_iterations_run").asInt(), d.bjorckIterationsRun(), w);
                assertEquals(lr.get("sigma").asDouble(), d.sigma(), 1e-12 * d.sigma(), w + " sigma");
                assertRel(d.powerVector(), lr.get("u_after_power"), 1e-12, w + " u");
                assertRel(d.effectiveWeight(), lr.get("w_bar"), 1e-12, w + " w_bar");
                Parameter wp = d.weight();
                assertRel(wp.gradient(), lr.get("grad_w"), 1e-10, w + " grad_w");
                assertRel(d.bias().gradient(), lr.get("grad_b"), 1e-12, w + " grad_b");
            }
            runs++;
        }
        assertEquals(4, runs);
    }

    static double maxErr;

    private static void assertRel(INDArray actual, JsonNode expected, double tol, String what) {
        double e = Golden.relErr(actual, Golden.array(expected).reshape(actual.shape()));
        maxErr = Math.max(maxErr, e);
        assertTrue(e <= tol, what + ": relative error " + e + " > " + tol);
        System.out.printf("golden %-45s %.2e%n", what, e);
    }
}
