package org.lipot.lipschitz.loss;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Against resources/golden/losses.json (numpy float64 values of the deel-lip definitions, checked against
 * torch autograd and deel-torchlip's published test values). Tolerance: 1e-12 relative, entry by entry;
 * for vectors an entry's scale is its own magnitude or, if larger, 1e-3 of the vector's largest magnitude
 * (a per-sample value that is a difference of O(1) terms is only known to ~1e-16 absolute in the reference
 * itself: {@link #tauCrossentropyIsAccurateWhereTheReferenceCancels} shows one where the reference is off by
 * 6e-8 relative and this implementation is exact).
 */
class LossGoldenTest {

    static final double REL = 1e-12;
    static final String SHA256 = "c24135a93e029bb83e9472849b1bd4fdafe7f6ac573b1f7d1e1fadb6eb075379";

    /** Largest relative error seen, reported at the end. */
    static double worst;

    static JsonNode golden() throws IOException {
        try (InputStream in = LossGoldenTest.class.getResourceAsStream("/golden/losses.json")) {
            assertNotNull(in, "golden/losses.json is missing from the test resources");
            return new ObjectMapper().readTree(in);
        }
    }

    static double[] doubles(JsonNode node) {
        double[] v = new double[node.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = node.get(i).asDouble();
        }
        return v;
    }

    static double[] flat(JsonNode matrix) {
        List<Double> out = new ArrayList<>();
        for (JsonNode row : matrix) {
            for (JsonNode v : row) {
                out.add(v.asDouble());
            }
        }
        return out.stream().mapToDouble(Double::doubleValue).toArray();
    }

    static Loss lossOf(JsonNode l) {
        String name = l.get("loss").asText();
        return switch (name) {
            case "KR" -> new KR();
            case "HingeMargin" -> new HingeMargin(l.get("min_margin").asDouble());
            case "HKR" -> HKR.deelLip(l.get("alpha").asDouble(), l.get("min_margin").asDouble());
            case "TauBinaryCrossentropy" -> new TauBinaryCrossentropy(l.get("tau").asDouble());
            case "MulticlassKR" -> new MulticlassKR();
            case "MulticlassHinge" -> new MulticlassHinge(l.get("min_margin").asDouble());
            case "MulticlassHKR" -> MulticlassHKR.deelLip(l.get("alpha").asDouble(), l.get("min_margin").asDouble());
            case "TauCategoricalCrossentropy" -> new TauCategoricalCrossentropy(l.get("tau").asDouble());
            default -> throw new AssertionError("unknown loss in golden file: " + name);
        };
    }

    static Stream<Arguments> binaryCases() throws IOException {
        List<Arguments> out = new ArrayList<>();
        for (JsonNode set : golden().get("binary")) {
            for (JsonNode l : set.get("losses")) {
                out.add(Arguments.of(set.get("name").asText() + " " + lossOf(l).name(), set, l));
            }
        }
        return out.stream();
    }

    static Stream<Arguments> multiclassCases() throws IOException {
        List<Arguments> out = new ArrayList<>();
        for (JsonNode set : golden().get("multiclass")) {
            for (JsonNode l : set.get("losses")) {
                out.add(Arguments.of(set.get("name").asText() + " " + lossOf(l).name(), set, l));
            }
        }
        return out.stream();
    }

    @Test
    void resourceIsTheRecordedFile() throws IOException, NoSuchAlgorithmException {
        try (InputStream in = LossGoldenTest.class.getResourceAsStream("/golden/losses.json")) {
            assertNotNull(in);
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(in.readAllBytes());
            assertEquals(SHA256, HexFormat.of().formatHex(digest), "sha256 recorded in golden/README.md");
        }
    }

    @Test
    void everyLossIsCovered() throws IOException {
        assertEquals(4 * 8, binaryCases().count(), "4 binary sets x 8 losses");
        assertEquals(4 * 10, multiclassCases().count(), "4 multiclass sets x 10 losses");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("binaryCases")
    void binaryMatchesGolden(String name, JsonNode set, JsonNode l) {
        double[] y = doubles(set.get("y_true"));
        double[] f = doubles(set.get("y_pred"));
        int b = f.length;
        Loss loss = lossOf(l);
        // B x 1 column, as deel-lip takes it
        check(loss, Nd4j.create(f, new long[] {b, 1}, DataType.DOUBLE), Nd4j.create(y, new long[] {b, 1},
                DataType.DOUBLE), l, name);
        // plain vectors of length B
        check(loss, Nd4j.createFromArray(f), Nd4j.createFromArray(y), l, name + " (vectors)");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("multiclassCases")
    void multiclassMatchesGolden(String name, JsonNode set, JsonNode l) {
        int c = set.get("num_classes").asInt();
        double[] f = flat(set.get("y_pred"));
        double[] y = flat(set.get("y_true_onehot"));
        int b = f.length / c;
        check(lossOf(l), Nd4j.create(f, new long[] {b, c}, DataType.DOUBLE),
                Nd4j.create(y, new long[] {b, c}, DataType.DOUBLE), l, name);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("multiclassCases")
    void torchlipAlphaGivesTorchlipValue(String name, JsonNode set, JsonNode l) {
        if (!l.has("torchlip_alpha")) {
            return;
        }
        int c = set.get("num_classes").asInt();
        double[] f = flat(set.get("y_pred"));
        int b = f.length / c;
        INDArray yPred = Nd4j.create(f, new long[] {b, c}, DataType.DOUBLE);
        INDArray yTrue = Nd4j.create(flat(set.get("y_true_onehot")), new long[] {b, c}, DataType.DOUBLE);
        double alphaPrime = l.get("torchlip_alpha").asDouble();
        MulticlassHKR torch = MulticlassHKR.torchlip(alphaPrime, l.get("min_margin").asDouble());
        assertRel(l.get("torchlip_value").asDouble(), torch.value(yPred, yTrue), name + " torchlip value");
        assertEquals(alphaPrime, AlphaConvention.DEEL_LIP.convert(l.get("alpha").asDouble()), 1e-15);
        // the deel-lip value is (1 + alpha) times the torchlip one
        double alpha = l.get("alpha").asDouble();
        assertRel(l.get("value").asDouble(), (1 + alpha) * torch.value(yPred, yTrue), name + " (1+alpha) factor");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("multiclassCases")
    void kinksAreCountedAndGetZeroDerivative(String name, JsonNode set, JsonNode l) {
        if (!l.has("kinks")) {
            return;
        }
        int c = set.get("num_classes").asInt();
        double[] f = flat(set.get("y_pred"));
        double[] y = flat(set.get("y_true_onehot"));
        double half = l.get("min_margin").asDouble() / 2;
        int kinks = 0;
        for (int i = 0; i < f.length; i++) {
            double s = y[i] > 0 ? 1 : -1;
            if (half - s * f[i] == 0) {
                kinks++;
            }
        }
        assertEquals(l.get("kinks").asInt(), kinks, "kink count of the golden data");
        if (kinks > 0 && l.get("loss").asText().equals("MulticlassHinge")) {
            int b = f.length / c;
            double[] g = lossOf(l).evaluate(Nd4j.create(f, new long[] {b, c}, DataType.DOUBLE),
                    Nd4j.create(y, new long[] {b, c}, DataType.DOUBLE)).gradient().data().asDouble();
            for (int i = 0; i < f.length; i++) {
                double s = y[i] > 0 ? 1 : -1;
                if (half - s * f[i] == 0) {
                    assertEquals(0.0, g[i], 0.0, "relu'(0) = 0 at flat entry " + i);
                }
            }
        }
    }

    @Test
    void absentClassHasOnlyItsNegativeTerm() throws IOException {
        JsonNode set = null;
        for (JsonNode s : golden().get("multiclass")) {
            if (s.get("name").asText().equals("random16x10_class9_absent")) {
                set = s;
            }
        }
        assertNotNull(set);
        int c = 10;
        double[] f = flat(set.get("y_pred"));
        int b = f.length / c;
        INDArray yPred = Nd4j.create(f, new long[] {b, c}, DataType.DOUBLE);
        INDArray yTrue = Nd4j.create(flat(set.get("y_true_onehot")), new long[] {b, c}, DataType.DOUBLE);
        LossEvaluation e = new MulticlassKR().evaluate(yPred, yTrue);
        assertTrue(Double.isFinite(e.value()));
        for (int i = 0; i < b; i++) {
            assertEquals(-1.0 / c / b, e.gradient().getDouble(i, 9), 1e-18, "column 9, row " + i);
        }
        // the column-9 contribution is -(1/C) mean_i f_i9
        double col9 = 0;
        for (int i = 0; i < b; i++) {
            col9 += f[i * c + 9];
        }
        INDArray withoutCol9 = yPred.dup();
        withoutCol9.putColumn(9, Nd4j.zeros(DataType.DOUBLE, b));
        double rest = new MulticlassKR().value(withoutCol9, yTrue);
        assertEquals(e.value(), rest - col9 / b / c, 1e-15);
    }

    /**
     * torchlip_set2, TauCategoricalCrossentropy(10), sample 0: f = (2, 0.2, -0.5), class 0. The exact value
     * is log(1 + e^-18 + e^-25) / 10 = 1.52438675723898425...e-9 (50-digit arithmetic); numpy's
     * {@code log(sum(exp(z - max)))} gives 1.5243866613e-9 (the sum rounds to 1 + 1.5e-8).
     */
    @Test
    void tauCrossentropyIsAccurateWhereTheReferenceCancels() {
        INDArray yPred = Nd4j.create(new double[] {2.0, 0.2, -0.5}, new long[] {1, 3}, DataType.DOUBLE);
        INDArray yTrue = Nd4j.create(new double[] {1, 0, 0}, new long[] {1, 3}, DataType.DOUBLE);
        double v = new TauCategoricalCrossentropy(10).value(yPred, yTrue);
        assertEquals(1.5243867572389842584e-9, v, 1e-15 * 1.5243867572389842584e-9);
    }

    private static void check(Loss loss, INDArray yPred, INDArray yTrue, JsonNode l, String what) {
        double expected = l.get("value").asDouble();
        assertRel(expected, loss.value(yPred, yTrue), what + " value");
        LossEvaluation e = loss.evaluate(yPred, yTrue);
        assertRel(expected, e.value(), what + " evaluate().value");
        assertVector(doubles(l.get("per_sample")), loss.perSample(yPred, yTrue).data().asDouble(),
                what + " per-sample");
        JsonNode g = l.get("grad");
        double[] expectedGrad = g.get(0).isArray() ? flat(g) : doubles(g);
        assertVector(expectedGrad, e.gradient().data().asDouble(), what + " gradient");
        assertEquals(yPred.shapeInfoToString().replaceAll("Offset.*", ""),
                e.gradient().shapeInfoToString().replaceAll("Offset.*", ""), what + " gradient shape");
    }

    static void assertRel(double expected, double actual, String what) {
        double err = Math.abs(actual - expected);
        double scale = Math.abs(expected);
        worst = Math.max(worst, scale > 0 ? err / scale : err);
        assertTrue(err <= REL * scale || err == 0, what + ": expected " + expected + ", got " + actual
                + " (relative error " + err / scale + ")");
    }

    static void assertVector(double[] expected, double[] actual, String what) {
        assertEquals(expected.length, actual.length, what + " length");
        double max = 0;
        for (double v : expected) {
            max = Math.max(max, Math.abs(v));
        }
        for (int i = 0; i < expected.length; i++) {
            double scale = Math.max(Math.abs(expected[i]), 1e-3 * max);
            double err = Math.abs(actual[i] - expected[i]);
            if (scale > 0) {
                worst = Math.max(worst, err / scale);
            }
            assertTrue(err <= REL * scale || err == 0, what + "[" + i + "]: expected " + expected[i] + ", got "
                    + actual[i] + " (relative error " + err / scale + ")");
        }
    }

    @AfterAll
    static void report() {
        System.out.println("LossGoldenTest: largest relative error " + worst);
    }
}
