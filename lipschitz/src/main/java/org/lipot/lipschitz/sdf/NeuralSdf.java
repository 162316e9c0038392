package org.lipot.lipschitz.sdf;

import java.nio.file.Path;

import org.lipot.lipschitz.io.ModelFiles;
import org.lipot.lipschitz.layers.AffineLayer;
import org.lipot.lipschitz.nn.Layer;
import org.lipot.lipschitz.nn.Sequential;
import org.lipot.lipschitz.nn.Tensors;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A fitted signed distance field: a network {@code f} from points in the shape's units to signed distances in the
 * same units, negative inside. The network is a plain {@link Sequential} whose first and last layers carry the
 * change of units ({@code u = (x - c) / s} in, times {@code s} out), so it saves and loads like any model and its
 * sound Lipschitz bound ({@link #lipschitzBound}) is computed from the arrays inference uses. With a bound
 * {@code L <= 1}, {@code |f(x)| <= L dist(x, {f = 0})}: {@code f} never overestimates the distance to its own zero
 * level set, so a sphere-tracing step of {@code |f| / L} cannot cross it.
 */
public final class NeuralSdf {

    private final Sequential network;
    private final int dimension;

    /**
     * @param network   maps {@code N x d} points to {@code N x 1} signed distances
     * @param dimension {@code d}, 2 or 3
     * @throws IllegalArgumentException if the network does not map {@code d} inputs to 1 output
     */
    public NeuralSdf(Sequential network, int dimension) {
        if (network == null) {
            throw new IllegalArgumentException("network must not be null");
        }
        if (dimension != 2 && dimension != 3) {
            throw new IllegalArgumentException("dimension must be 2 or 3, got " + dimension);
        }
        int[] out = network.outputShape(new int[] {dimension});
        if (out.length != 1 || out[0] != 1) {
            throw new IllegalArgumentException("network must map " + dimension + " inputs to 1 output, got shape "
                    + java.util.Arrays.toString(out));
        }
        this.network = network;
        this.dimension = dimension;
    }

    /**
     * Saves the field ({@link ModelFiles}: the network's layers, parameters and inference state), atomically.
     *
     * @throws java.io.UncheckedIOException naming the file if it cannot be written
     */
    public void save(Path zip) {
        ModelFiles.save(network, zip);
    }

    /**
     * Reads a field written by {@link #save}: a {@link Sequential} whose first layer is affine with 2 or 3 inputs and
     * whose output is one value. Its bound is recomputed from the loaded arrays.
     *
     * @throws java.io.UncheckedIOException naming the file if it is missing or corrupt
     * @throws IllegalArgumentException      naming the file if it holds another kind of model
     */
    public static NeuralSdf load(Path zip) {
        Layer model = ModelFiles.loadForCertification(zip);
        if (!(model instanceof Sequential s) || s.layers().isEmpty() || !(s.layers().get(0) instanceof AffineLayer a)) {
            throw new IllegalArgumentException(zip + ": not a signed distance field (expected a Sequential network"
                    + " starting with an affine layer), got " + model.getClass().getSimpleName());
        }
        int d = a.effectiveWeight().columns();
        try {
            return new NeuralSdf(s, d);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(zip + ": not a signed distance field: " + e.getMessage(), e);
        }
    }

    /** The network, in the shape's units. */
    public Sequential network() {
        return network;
    }

    /** 2 or 3. */
    public int dimension() {
        return dimension;
    }

    /** The sound upper bound on the Lipschitz constant of {@link #distances} ({@link Sequential#lipschitzBound}). */
    public double lipschitzBound() {
        return network.lipschitzBound();
    }

    /**
     * The signed distance at each row of {@code points} ({@code N x d}), in the shape's units.
     *
     * @throws IllegalArgumentException if a row does not have {@code d} finite coordinates
     */
    public double[] distances(double[][] points) {
        WindingNumbers.checkPoints(points, dimension);
        if (points.length == 0) {
            return new double[0];
        }
        return Tensors.toDoubles(network.forward(input(points), false));
    }

    /** The signed distance at one point. */
    public double distance(double... point) {
        return distances(new double[][] {point})[0];
    }

    /**
     * The gradient of the field at each row of {@code points}: {@code N x d}, of norm at most the Lipschitz bound
     * (about 1 where the field is a true distance).
     */
    public double[][] gradients(double[][] points) {
        WindingNumbers.checkPoints(points, dimension);
        if (points.length == 0) {
            return new double[0][];
        }
        INDArray x = input(points);
        network.forward(x, false);
        INDArray g = network.backward(Nd4j.ones(network.parameters().get(0).value().dataType(), points.length, 1));
        double[] flat = Tensors.toDoubles(g);
        double[][] out = new double[points.length][dimension];
        for (int p = 0; p < points.length; p++) {
            System.arraycopy(flat, p * dimension, out[p], 0, dimension);
        }
        return out;
    }

    private INDArray input(double[][] points) {
        double[] flat = new double[points.length * dimension];
        for (int p = 0; p < points.length; p++) {
            System.arraycopy(points[p], 0, flat, p * dimension, dimension);
        }
        DataType type = network.parameters().get(0).value().dataType();
        return Nd4j.create(flat, new long[] {points.length, dimension}, DataType.DOUBLE).castTo(type);
    }
}
