package org.lipot.lipschitz.nn;

import java.util.Arrays;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Small validation and conversion helpers shared by the layers.
 *
 * <p>Only {@link DataType#FLOAT} and {@link DataType#DOUBLE} are supported: float32 for training, float64 for
 * gradient checks and certificates.
 */
public final class Tensors {

    private Tensors() {
    }

    /**
     * Checks that {@code x} is a finite-shaped float32/float64 matrix with {@code cols} columns.
     *
     * @param name the argument's name for the message
     * @throws IllegalArgumentException naming {@code name} and showing the shapes otherwise
     */
    public static void checkMatrix(INDArray x, long cols, String name) {
        if (x == null) {
            throw new IllegalArgumentException(name + " must not be null");
        }
        if (x.rank() != 2 || x.size(1) != cols) {
            throw new IllegalArgumentException(name + " has shape " + Arrays.toString(x.shape())
                    + " but the layer expects (N, " + cols + ")");
        }
        checkType(x, name);
    }

    /**
     * Checks that {@code x} is float32 or float64.
     *
     * @throws IllegalArgumentException naming {@code name} otherwise
     */
    public static void checkType(INDArray x, String name) {
        DataType t = x.dataType();
        if (t != DataType.FLOAT && t != DataType.DOUBLE) {
            throw new IllegalArgumentException(name + " has data type " + t + "; only FLOAT and DOUBLE are supported");
        }
    }

    /**
     * Checks that {@code g} has exactly the shape of {@code reference}.
     *
     * @throws IllegalArgumentException naming {@code name} otherwise
     */
    public static void checkSameShape(INDArray g, INDArray reference, String name) {
        if (g == null) {
            throw new IllegalArgumentException(name + " must not be null");
        }
        if (!Arrays.equals(g.shape(), reference.shape())) {
            throw new IllegalArgumentException(name + " has shape " + Arrays.toString(g.shape()) + " but expected "
                    + Arrays.toString(reference.shape()));
        }
    }

    /** {@code x} itself if it already has type {@code type}, otherwise a converted copy. */
    public static INDArray as(INDArray x, DataType type) {
        return x.dataType() == type ? x : x.castTo(type);
    }

    /** The entries of {@code x} in C (row-major) order as a new {@code double[]}. */
    public static double[] toDoubles(INDArray x) {
        INDArray c = x.isView() || x.ordering() != 'c' ? x.dup('c') : x;
        return c.data().asDouble();
    }

    /** A new C-order array of type {@code type} and shape {@code shape} holding {@code data}. */
    public static INDArray fromDoubles(double[] data, long[] shape, DataType type) {
        return Nd4j.create(data, shape, 'c').castTo(type);
    }
}
