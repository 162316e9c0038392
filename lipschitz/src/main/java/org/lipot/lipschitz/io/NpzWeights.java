package org.lipot.lipschitz.io;

import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.lipot.lipschitz.layers.Conv2d;
import org.lipot.lipschitz.layers.Dense;
import org.lipot.lipschitz.layers.Flatten;
import org.lipot.lipschitz.layers.GroupSort2;
import org.lipot.lipschitz.layers.ReparametrisedConv2d;
import org.lipot.lipschitz.nn.Layer;
import org.lipot.lipschitz.nn.Parameter;
import org.lipot.lipschitz.nn.Sequential;
import org.lipot.lipschitz.nn.Tensors;
import org.lipot.transport.io.Npz;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Dense weights written elsewhere (for example by numpy's {@code np.savez}) as a plain lipot network.
 *
 * <p>Layout (the benchmark peer's {@code --export}): for each dense layer at position {@code k} of the source
 * network, {@code l{k}_weight} of shape (out, in) (PyTorch layout, {@code y = x W^T + b}) and {@code l{k}_bias} of
 * shape (out). Layers are taken in increasing {@code k}; the network is
 * {@code Flatten, Dense, GroupSort2, Dense, GroupSort2, ..., Dense}, as in the {@code dense} architecture
 * ({@link #denseNetwork}); or the weights go into the dense layers of a given architecture, in order
 * ({@link #assign}).
 */
public final class NpzWeights {

    private static final Pattern WEIGHT = Pattern.compile("l(\\d+)_weight");

    private NpzWeights() {
    }

    /**
     * Reads the arrays of an {@code .npz} file.
     *
     * @throws UncheckedIOException naming the file if it is missing, not a zip of {@code .npy} arrays, or corrupt
     */
    public static Map<String, INDArray> read(Path npz) {
        Map<String, INDArray> arrays = new LinkedHashMap<>();
        Npz.read(npz).forEach((name, a) -> arrays.put(name, Tensors.fromNpy(a)));
        return arrays;
    }

    /**
     * The plain dense network of the weights in {@code npz}, parameters in {@code type}.
     *
     * @throws UncheckedIOException     as {@link #read}
     * @throws IllegalArgumentException if there is no {@code l{k}_weight}, a bias is missing, or consecutive shapes
     *                                  do not chain (naming the keys and shapes)
     */
    public static Sequential denseNetwork(Path npz, DataType type) {
        Map<String, INDArray> arrays = read(npz);
        TreeMap<Integer, String> layers = weightKeys(arrays);
        List<Layer> list = new ArrayList<>();
        list.add(new Flatten());
        long previousOut = -1;
        String previousKey = null;
        for (Map.Entry<Integer, String> e : layers.entrySet()) {
            INDArray w = arrays.get(e.getValue());
            String biasKey = "l" + e.getKey() + "_bias";
            INDArray b = arrays.get(biasKey);
            if (w.rank() != 2) {
                throw new IllegalArgumentException(e.getValue() + " in " + npz + " must be a matrix (out, in), shape "
                        + Arrays.toString(w.shape()));
            }
            if (b == null) {
                throw new IllegalArgumentException(npz + " has " + e.getValue() + " but no " + biasKey);
            }
            if (previousOut >= 0 && w.size(1) != previousOut) {
                throw new IllegalArgumentException(e.getValue() + " takes " + w.size(1) + " inputs but " + previousKey
                        + " gives " + previousOut + " outputs");
            }
            if (previousOut >= 0) {
                list.add(new GroupSort2());
            }
            list.add(new Dense(w.castTo(type).dup('c'), b.castTo(type)));
            previousOut = w.size(0);
            previousKey = e.getValue();
        }
        return Sequential.of(list);
    }

    /**
     * The plain network of {@code architecture} with the weights in {@code npz} as its applied weights: each layer
     * with a weight parameter, in order ({@code l{k}_weight} in increasing {@code k}), becomes a {@link Conv2d} (a
     * (cout, cin, kh, kw) kernel, with the layer's stride and padding) or a {@link Dense} (an (out, in) matrix) with
     * that weight and {@code l{k}_bias}; the other layers (activations, pooling, reshaping) are kept. This reads an
     * exported network of a known architecture, such as the peer's {@code conv} weights, whose kernels already include
     * the conv correction factor.
     *
     * @throws UncheckedIOException     as {@link #read}
     * @throws IllegalArgumentException if the number of weights, a shape, or a bias differs from the architecture's
     *                                  (naming the key and the shapes)
     */
    public static Sequential plainNetwork(Sequential architecture, Path npz, DataType type) {
        Map<String, INDArray> arrays = read(npz);
        List<Map.Entry<Integer, String>> keys = new ArrayList<>(weightKeys(arrays).entrySet());
        List<Layer> out = new ArrayList<>();
        int next = 0;
        for (Layer layer : architecture.layers()) {
            Parameter weight = parameter(layer, "weight");
            if (weight == null) {
                out.add(layer);
                continue;
            }
            if (next == keys.size()) {
                throw new IllegalArgumentException(npz + " holds " + keys.size() + " weights but the architecture has "
                        + "more layers with weights (" + layer.getClass().getSimpleName() + " at " + out.size() + ")");
            }
            Map.Entry<Integer, String> e = keys.get(next++);
            INDArray w = arrays.get(e.getValue());
            if (!Arrays.equals(w.shape(), weight.value().shape())) {
                throw new IllegalArgumentException(e.getValue() + " in " + npz + " has shape "
                        + Arrays.toString(w.shape()) + " but layer " + out.size() + " ("
                        + layer.getClass().getSimpleName() + ") has a weight of shape "
                        + Arrays.toString(weight.value().shape()));
            }
            String biasKey = "l" + e.getKey() + "_bias";
            INDArray b = arrays.get(biasKey);
            if (b == null || b.length() != w.size(0)) {
                throw new IllegalArgumentException(npz + " needs " + biasKey + " of length " + w.size(0) + ", got "
                        + (b == null ? "none" : Arrays.toString(b.shape())));
            }
            INDArray wt = w.castTo(type).dup('c');
            INDArray bt = b.reshape(w.size(0)).castTo(type).dup('c');
            out.add(layer instanceof ReparametrisedConv2d c
                    ? new Conv2d(wt, bt, c.strideHeight(), c.strideWidth(), c.padding())
                    : new Dense(wt, bt));
        }
        if (next != keys.size()) {
            throw new IllegalArgumentException(npz + " holds " + keys.size() + " weights " + keys + " but the "
                    + "architecture has " + next + " layers with weights");
        }
        return Sequential.of(out);
    }

    /**
     * Loads the weights into a given model: the {@code l{k}_weight} / {@code l{k}_bias} arrays, in increasing
     * {@code k}, go to the model's layers that have a matrix parameter named {@code weight} (and {@code bias}), in
     * order ({@link Sequential}s are walked depth first), as their raw values; then the reparametrised weights are
     * recomputed ({@link Layer#refreshWeights()}). For a plain exported network this reproduces the source network
     * exactly; for a reparametrised one (SpectralDense) the loaded matrix is the starting point of its
     * orthonormalisation.
     *
     * @throws UncheckedIOException     as {@link #read}
     * @throws IllegalArgumentException if the number of weight matrices or a shape differs from the model's, or a
     *                                  bias is missing on either side (naming the key and the shapes)
     */
    public static void assign(Layer model, Path npz) {
        Map<String, INDArray> arrays = read(npz);
        TreeMap<Integer, String> keys = weightKeys(arrays);
        List<Layer> targets = new ArrayList<>();
        collectAffine(model, targets);
        if (targets.size() != keys.size()) {
            throw new IllegalArgumentException(npz + " holds " + keys.size() + " weight matrices " + keys.values()
                    + " but the model has " + targets.size() + " layers with a weight matrix");
        }
        int t = 0;
        for (Map.Entry<Integer, String> e : keys.entrySet()) {
            Layer layer = targets.get(t++);
            INDArray w = arrays.get(e.getValue());
            Parameter weight = parameter(layer, "weight");
            if (!Arrays.equals(w.shape(), weight.value().shape())) {
                throw new IllegalArgumentException(e.getValue() + " in " + npz + " has shape "
                        + Arrays.toString(w.shape()) + " but layer " + (t - 1) + " (" + layer.getClass().getSimpleName()
                        + ") has a weight of shape " + Arrays.toString(weight.value().shape()));
            }
            String biasKey = "l" + e.getKey() + "_bias";
            INDArray b = arrays.get(biasKey);
            Parameter bias = parameter(layer, "bias");
            if ((b == null) != (bias == null)) {
                throw new IllegalArgumentException(b == null ? npz + " has no " + biasKey + " but layer " + (t - 1)
                        + " has a bias" : npz + " has " + biasKey + " but layer " + (t - 1) + " has no bias");
            }
            if (b != null && b.length() != bias.value().length()) {
                throw new IllegalArgumentException(biasKey + " in " + npz + " has length " + b.length()
                        + " but layer " + (t - 1) + " has a bias of length " + bias.value().length());
            }
            weight.value().assign(w.castTo(weight.value().dataType()));
            if (b != null) {
                bias.value().assign(b.reshape(bias.value().shape()).castTo(bias.value().dataType()));
            }
        }
        model.refreshWeights();
    }

    private static void collectAffine(Layer layer, List<Layer> out) {
        if (layer instanceof Sequential s) {
            for (Layer l : s.layers()) {
                collectAffine(l, out);
            }
        } else {
            Parameter w = parameter(layer, "weight");
            if (w != null && w.value().rank() == 2) {
                out.add(layer);
            }
        }
    }

    private static Parameter parameter(Layer layer, String name) {
        for (Parameter p : layer.parameters()) {
            if (p.name().equals(name)) {
                return p;
            }
        }
        return null;
    }

    private static TreeMap<Integer, String> weightKeys(Map<String, INDArray> arrays) {
        TreeMap<Integer, String> layers = new TreeMap<>();
        for (String key : arrays.keySet()) {
            Matcher m = WEIGHT.matcher(key);
            if (m.matches()) {
                layers.put(Integer.parseInt(m.group(1)), key);
            }
        }
        if (layers.isEmpty()) {
            throw new IllegalArgumentException("no l{k}_weight arrays (keys: " + arrays.keySet() + ")");
        }
        return layers;
    }
}
