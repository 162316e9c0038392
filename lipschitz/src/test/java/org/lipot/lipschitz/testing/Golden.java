package org.lipot.lipschitz.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Reads the golden JSON files under src/test/resources/golden into float64 arrays. */
public final class Golden {

    private Golden() {
    }

    /** The root node of a golden file. */
    public static JsonNode read(String file) {
        try (InputStream in = Golden.class.getResourceAsStream("/golden/" + file)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource golden/" + file);
            }
            return new ObjectMapper().readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A nested JSON list of numbers as a C-order float64 array of its natural shape. */
    public static INDArray array(JsonNode node) {
        java.util.List<Long> shape = new java.util.ArrayList<>();
        JsonNode cur = node;
        while (cur.isArray()) {
            shape.add((long) cur.size());
            cur = cur.get(0);
        }
        long[] s = shape.stream().mapToLong(Long::longValue).toArray();
        long total = 1;
        for (long d : s) {
            total *= d;
        }
        double[] flat = new double[(int) total];
        int[] pos = {0};
        fill(node, flat, pos);
        return Nd4j.create(flat, s, 'c').castTo(DataType.DOUBLE);
    }

    private static void fill(JsonNode node, double[] flat, int[] pos) {
        if (node.isArray()) {
            for (JsonNode c : node) {
                fill(c, flat, pos);
            }
        } else {
            flat[pos[0]++] = node.asDouble();
        }
    }

    /** A JSON list of numbers. */
    public static double[] vector(JsonNode node) {
        double[] out = new double[node.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = node.get(i).asDouble();
        }
        return out;
    }

    /** max |a - b| / max(max |b|, tiny): error relative to the largest reference entry. */
    public static double relErr(INDArray a, INDArray b) {
        double[] x = a.castTo(DataType.DOUBLE).dup('c').data().asDouble();
        double[] y = b.castTo(DataType.DOUBLE).dup('c').data().asDouble();
        if (x.length != y.length) {
            throw new AssertionError("length " + x.length + " vs " + y.length);
        }
        double m = 0;
        double d = 0;
        for (int i = 0; i < x.length; i++) {
            m = Math.max(m, Math.abs(y[i]));
            d = Math.max(d, Math.abs(x[i] - y[i]));
        }
        return d / Math.max(m, 1e-300);
    }
}
