package org.lipot.lipschitz.io;

import org.lipot.lipschitz.nn.Layer;

/**
 * How one layer type is stored in a model file ({@link ModelFiles}): its {@code "type"} name in {@code model.json},
 * its hyper-parameters and its arrays. Each layer type has one format in {@link ModelFiles}'s registry, so a new
 * layer type is saved and loaded by {@link ModelFiles#register registering} its format, without editing the file
 * format's code.
 *
 * <p>A format writes with {@link LayerWriter} (hyper-parameters, arrays by role, child layers) and reads with
 * {@link LayerReader}, which checks every field and names the file and the place in errors. Arrays a format
 * declares on reading are filled from the file after {@link #read} returns, checked against the declared shape and
 * data type; the Lipschitz factor of a {@link org.lipot.lipschitz.nn.ScalableLayer} is written and restored by
 * {@link ModelFiles} itself.
 *
 * @param <L> the layer class
 */
public interface LayerFormat<L extends Layer> {

    /** The {@code "type"} value in {@code model.json}; by convention the layer's simple class name. */
    String type();

    /** The layer class this format writes (exactly this class, not subclasses). */
    Class<L> layerClass();

    /** Writes {@code layer}'s hyper-parameters, arrays and children. */
    void write(L layer, LayerWriter out);

    /**
     * A new layer from the hyper-parameters in {@code in}, with its arrays declared on {@code in} (they are filled in
     * afterwards) and its children read through {@code in}.
     *
     * @throws IllegalArgumentException (from {@code in}'s methods) naming the file and the place
     */
    Layer read(LayerReader in);
}
