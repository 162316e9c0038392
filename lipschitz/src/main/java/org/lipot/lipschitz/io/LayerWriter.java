package org.lipot.lipschitz.io;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.lipot.lipschitz.nn.Layer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * What a {@link LayerFormat} writes for one layer: fields of its {@code model.json} object, arrays by role (saved as
 * NPY entries named after the layer's position and the role), and child layers. One writer per layer.
 */
public final class LayerWriter {

    private final ObjectNode node;
    private final Map<String, INDArray> arrays;
    private final ModelFiles.Children children;

    LayerWriter(ObjectNode node, Map<String, INDArray> arrays, ModelFiles.Children children) {
        this.node = node;
        this.arrays = arrays;
        this.children = children;
    }

    /** Writes an integer field. */
    public void put(String field, long value) {
        node.put(field, value);
    }

    /** Writes a number field (written exactly: it reads back to the same double). */
    public void put(String field, double value) {
        node.put(field, value);
    }

    /** Writes a true/false field. */
    public void put(String field, boolean value) {
        node.put(field, value);
    }

    /** Writes a string field. */
    public void put(String field, String value) {
        node.put(field, value);
    }

    /** Writes a nested settings object. */
    void set(String field, JsonNode value) {
        node.set(field, value);
    }

    /**
     * Writes the {@code "dtype"} field, {@code "float32"} or {@code "float64"}.
     *
     * @throws IllegalArgumentException for another data type
     */
    public void dtype(DataType type) {
        node.put("dtype", ModelFiles.dtypeName(type));
    }

    /** Saves {@code value} under {@code role} (written as it is when the model is saved). */
    public void array(String role, INDArray value) {
        arrays.put(role, value);
    }

    /** Saves every array of {@code values}, by role. */
    public void arrays(Map<String, INDArray> values) {
        arrays.putAll(values);
    }

    /** Writes {@code child} as the object in {@code field}; its arrays are named {@code field.role}. */
    public void child(String field, Layer child) {
        node.set(field, children.describe(child, "." + field, field + "."));
    }

    /** Writes {@code list} as the array in {@code field}; the arrays of element {@code i} are named {@code i.role}. */
    public void children(String field, List<Layer> list) {
        ArrayNode a = node.putArray(field);
        for (int i = 0; i < list.size(); i++) {
            a.add(children.describe(list.get(i), "." + field + "[" + i + "]", i + "."));
        }
    }
}
