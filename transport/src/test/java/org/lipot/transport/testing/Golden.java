package org.lipot.transport.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Reads the golden JSON files under src/test/resources/golden. */
public final class Golden {

    private Golden() {
    }

    /** The {@code cases} array of a golden file. */
    public static List<JsonNode> cases(String file) {
        try (InputStream in = Golden.class.getResourceAsStream("/golden/" + file)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource golden/" + file);
            }
            List<JsonNode> out = new ArrayList<>();
            new ObjectMapper().readTree(in).get("cases").forEach(out::add);
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A numeric vector, or null for JSON null / a missing key. */
    public static double[] vector(JsonNode node, String key) {
        JsonNode v = node.get(key);
        if (v == null || v.isNull()) {
            return null;
        }
        double[] out = new double[v.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = v.get(i).asDouble();
        }
        return out;
    }

    /** A numeric matrix (list of rows), or null. */
    public static double[][] matrix(JsonNode node, String key) {
        JsonNode v = node.get(key);
        if (v == null || v.isNull()) {
            return null;
        }
        double[][] out = new double[v.size()][];
        for (int i = 0; i < out.length; i++) {
            JsonNode row = v.get(i);
            out[i] = new double[row.size()];
            for (int j = 0; j < out[i].length; j++) {
                out[i][j] = row.get(j).asDouble();
            }
        }
        return out;
    }
}
