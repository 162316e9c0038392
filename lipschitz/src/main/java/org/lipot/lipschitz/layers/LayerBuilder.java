package org.lipot.lipschitz.layers;

import org.nd4j.linalg.api.buffer.DataType;

/**
 * The settings every layer builder has: whether the layer has a bias, the seed of its random initialisation, and the
 * parameter data type.
 *
 * @param <B> the concrete builder, which every setter returns
 */
public abstract class LayerBuilder<B extends LayerBuilder<B>> {

    boolean bias = true;
    long seed;
    DataType type = DataType.FLOAT;

    LayerBuilder() {
    }

    /** This builder, as its concrete type. */
    abstract B self();

    /** Whether the layer has a bias (default true). */
    public B bias(boolean bias) {
        this.bias = bias;
        return self();
    }

    /** Seed of the random initialisation (default 0); each layer says what it seeds with it. */
    public B seed(long seed) {
        this.seed = seed;
        return self();
    }

    /**
     * Parameter data type: {@link DataType#FLOAT} (default, training) or {@link DataType#DOUBLE} (checks).
     *
     * @throws IllegalArgumentException for other types
     */
    public B dataType(DataType type) {
        if (type != DataType.FLOAT && type != DataType.DOUBLE) {
            throw new IllegalArgumentException("dataType must be FLOAT or DOUBLE, got " + type);
        }
        this.type = type;
        return self();
    }
}
