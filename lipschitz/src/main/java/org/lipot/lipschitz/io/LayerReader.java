package org.lipot.lipschitz.io;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.JsonNode;
import org.lipot.lipschitz.nn.Layer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * What a {@link LayerFormat} reads for one layer: checked fields of its {@code model.json} object, child layers, and
 * the declaration of its arrays. Every error is an {@link IllegalArgumentException} naming the file, the layer's
 * place ({@code model.layers[3] (SpectralDense)}) and what is wrong.
 */
public final class LayerReader {

    private final ModelFiles.Loading loading;
    private final JsonNode node;
    private final String where;
    private final String at;
    final Map<String, INDArray> live = new LinkedHashMap<>();
    Map<String, INDArray> state = Map.of();
    Consumer<Map<String, INDArray>> restoreState = m -> { };
    Runnable checkState = () -> { };

    /** A reader of the layer object {@code node} of the given type at {@code where} ({@code model.layers[3]}). */
    static LayerReader of(ModelFiles.Loading loading, JsonNode node, String where, String type) {
        return new LayerReader(loading, node, where, where + " (" + type + ")");
    }

    private LayerReader(ModelFiles.Loading loading, JsonNode node, String where, String at) {
        this.loading = loading;
        this.node = node;
        this.where = where;
        this.at = at;
    }

    /** A reader of the nested settings object {@code value} of field {@code field} (no arrays, no children). */
    LayerReader nested(JsonNode value, String field) {
        if (!value.isObject()) {
            throw bad("field '" + field + "' must be a JSON object, got " + value);
        }
        return new LayerReader(loading, value, where, at + "." + field);
    }

    /** The layer's place and type, as errors name it. */
    String at() {
        return at;
    }

    /** The JSON object being read. */
    JsonNode node() {
        return node;
    }

    /** An error naming the file and this layer. */
    public IllegalArgumentException bad(String what) {
        return loading.bad(at, what);
    }

    /** A string field. */
    public String text(String field) {
        return loading.text(node, field, at);
    }

    /** An integer field (within {@code int} range). */
    public int integer(String field) {
        return loading.integer(node, field, at);
    }

    /** A number field. */
    public double number(String field) {
        return loading.number(node, field, at);
    }

    /** A true/false field. */
    public boolean bool(String field) {
        return loading.bool(node, field, at);
    }

    /** The {@code "dtype"} field as a data type (float32 or float64). */
    public DataType dtype() {
        return loading.dtype(node, at);
    }

    /** The JSON value of a field that must be present (for nested settings). */
    public JsonNode field(String field) {
        return loading.field(node, field, at);
    }

    /** The child layer in {@code field}. */
    public Layer child(String field) {
        return loading.layer(field(field), where + "." + field);
    }

    /** The child layers in the non-empty array {@code field}. */
    public List<Layer> children(String field) {
        JsonNode list = field(field);
        if (!list.isArray() || list.isEmpty()) {
            throw bad("field '" + field + "' must be a non-empty array");
        }
        List<Layer> out = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            out.add(loading.layer(list.get(i), where + "." + field + "[" + i + "]"));
        }
        return out;
    }

    /** Runs a constructor, turning its validation error into one naming the file and this layer. */
    public <T> T build(Supplier<T> constructor) {
        try {
            return constructor.get();
        } catch (IllegalArgumentException e) {
            throw bad("has invalid settings: " + e.getMessage());
        }
    }

    /**
     * Declares array {@code role}: after {@link LayerFormat#read} returns, the saved array (which must have
     * {@code target}'s shape and data type) is copied into {@code target}, a live array of the new layer (a parameter
     * value, a power-iteration vector).
     */
    public void array(String role, INDArray target) {
        live.put(role, target);
    }

    /**
     * Declares the layer's inference state (arrays that inference uses besides its parameters, such as a cached
     * effective weight): the saved arrays, with the shapes and data types of {@code template}'s, are passed to
     * {@code restore}; for certification ({@link ModelFiles#loadForCertification}) {@code check} must then accept the
     * restored state (it throws {@link IllegalArgumentException} otherwise).
     */
    public void inferenceState(Map<String, INDArray> template, Consumer<Map<String, INDArray>> restore,
                               Runnable check) {
        this.state = template;
        this.restoreState = restore;
        this.checkState = check;
    }
}
