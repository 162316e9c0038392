package org.lipot.lipschitz.loss;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Against resources/golden/extra_losses.json: MultiMargin against PyTorch's own
 * {@code multi_margin_loss}; soft HKR and LSE HKR against float64 torch transcriptions of deel-torchlip's
 * definitions with autograd gradients (see make_extra_losses.py). Same tolerance as {@link LossGoldenTest}.
 */
class ExtraLossGoldenTest {

    static JsonNode golden() throws IOException {
        try (InputStream in = ExtraLossGoldenTest.class.getResourceAsStream("/golden/extra_losses.json")) {
            assertNotNull(in, "golden/extra_losses.json is missing from the test resources");
            return new ObjectMapper().readTree(in);
        }
    }

    static Loss lossOf(JsonNode l) {
        double m = l.get("min_margin").asDouble();
        return switch (l.get("loss").asText()) {
            case "MultiMargin" -> new MultiMargin(m);
            case "MulticlassSoftHKR" -> MulticlassSoftHKR.torchlip(l.get("alpha").asDouble(), m,
                    l.get("temperature").asDouble());
            case "MulticlassLseHKR" -> MulticlassLseHKR.torchlip(l.get("alpha").asDouble(), m,
                    l.get("temperature").asDouble(), l.get("penalty").asDouble());
            default -> throw new AssertionError("unknown loss " + l.get("loss"));
        };
    }

    static Stream<Arguments> cases() throws IOException {
        List<Arguments> out = new ArrayList<>();
        for (JsonNode set : golden().get("multiclass")) {
            for (JsonNode l : set.get("losses")) {
                out.add(Arguments.of(set.get("name").asText() + " " + lossOf(l).name(), set, l));
            }
        }
        return out.stream();
    }

    @Test
    void everyCaseIsCovered() throws IOException {
        assertEquals(2 * 6, cases().count(), "2 sets x (2 MultiMargin + 2 soft HKR + 2 LSE HKR)");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void matchesReference(String name, JsonNode set, JsonNode l) {
        int c = set.get("num_classes").asInt();
        double[] f = LossGoldenTest.flat(set.get("y_pred"));
        int b = f.length / c;
        INDArray yPred = Nd4j.create(f, new long[] {b, c}, DataType.DOUBLE);
        INDArray yTrue = Nd4j.create(LossGoldenTest.flat(set.get("y_true_onehot")), new long[] {b, c},
                DataType.DOUBLE);
        Loss loss = lossOf(l);
        LossEvaluation e = loss.evaluate(yPred, yTrue);
        LossGoldenTest.assertRel(l.get("value").asDouble(), e.value(), name + " value");
        LossGoldenTest.assertVector(LossGoldenTest.doubles(l.get("per_sample")),
                loss.perSample(yPred, yTrue).data().asDouble(), name + " per-sample");
        LossGoldenTest.assertVector(LossGoldenTest.flat(l.get("grad")), e.gradient().data().asDouble(),
                name + " gradient");
    }
}
