package org.lipot.examples.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * One-line JSON output for {@code --json}. JSON has no NaN or infinity: a non-finite number is written as
 * {@code null}, and the output's {@code status} (or the exit status) says why.
 */
final class Json {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private Json() {
    }

    /** The map as one JSON object on one line (keys in the map's iteration order). */
    static String line(Map<String, ?> values) {
        try {
            return MAPPER.writeValueAsString(finite(values));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON: " + e.getMessage(), e);
        }
    }

    /** A copy with every non-finite float or double, also inside maps, lists and arrays, replaced by null. */
    private static Object finite(Object v) {
        if (v instanceof Double d) {
            return Double.isFinite(d) ? d : null;
        }
        if (v instanceof Float f) {
            return Float.isFinite(f) ? f : null;
        }
        if (v instanceof Map<?, ?> map) {
            Map<Object, Object> copy = new LinkedHashMap<>();
            map.forEach((k, x) -> copy.put(k, finite(x)));
            return copy;
        }
        if (v instanceof Iterable<?> items) {
            List<Object> copy = new ArrayList<>();
            items.forEach(x -> copy.add(finite(x)));
            return copy;
        }
        if (v instanceof double[] array) {
            List<Object> copy = new ArrayList<>(array.length);
            for (double x : array) {
                copy.add(finite(x));
            }
            return copy;
        }
        return v;
    }
}
