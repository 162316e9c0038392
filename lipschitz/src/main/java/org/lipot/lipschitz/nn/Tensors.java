package org.lipot.lipschitz.nn;

import java.nio.ByteOrder;
import java.nio.IntBuffer;
import java.util.Arrays;

import org.lipot.transport.io.Npy;
import org.lipot.transport.io.NpyArray;
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
     * Checks that a sample shape (batch dimension excluded) is {@code [size]}, the input of a dense layer.
     *
     * @throws IllegalArgumentException showing both shapes otherwise
     */
    public static void checkVectorShape(int[] shape, int size) {
        if (shape == null || shape.length != 1 || shape[0] != size) {
            throw new IllegalArgumentException("samples have shape " + Arrays.toString(shape)
                    + " but the layer expects [" + size + "]");
        }
    }

    /**
     * Checks that {@code x} is a float32/float64 NCHW batch of images and returns its sample shape
     * {@code [C, H, W]}.
     *
     * @throws IllegalArgumentException naming {@code name} and showing the shape otherwise
     */
    public static int[] checkImages(INDArray x, String name) {
        if (x == null || x.rank() != 4) {
            throw new IllegalArgumentException(name + " must be NCHW (rank 4), got "
                    + (x == null ? null : Arrays.toString(x.shape())));
        }
        checkType(x, name);
        return new int[] {(int) x.size(1), (int) x.size(2), (int) x.size(3)};
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

    /** {@code a} itself if it is a dense C-order array (not a view), otherwise a dense C-order copy. */
    public static INDArray dense(INDArray a) {
        return a.ordering() == 'c' && !a.isView() ? a : a.dup('c');
    }

    /**
     * The native buffer of a dense C-order array as native-order 32-bit words (a float32 is one, a float64 two), for
     * loops that only move values.
     */
    public static IntBuffer words(INDArray a) {
        return a.data().asNio().order(ByteOrder.nativeOrder()).asIntBuffer();
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

    /**
     * {@code x} as an {@link NpyArray} for {@link Npy}: float32 arrays as dtype {@code f4} (written bit for bit),
     * float64 as {@code f8}.
     *
     * @throws IllegalArgumentException if {@code x} is neither float32 nor float64, or has a dimension above 2^31
     */
    public static NpyArray toNpy(INDArray x) {
        DataType t = x.dataType();
        if (t != DataType.FLOAT && t != DataType.DOUBLE) {
            throw new IllegalArgumentException("only float32 and float64 arrays can be saved, got " + t);
        }
        long[] s = x.shape();
        int[] shape = new int[s.length];
        for (int k = 0; k < s.length; k++) {
            shape[k] = Math.toIntExact(s[k]);
        }
        return new NpyArray(shape, toDoubles(x), t == DataType.FLOAT ? "f4" : "f8");
    }

    /**
     * The array an {@link NpyArray} holds, in C order: dtype {@code f4} as float32 (exactly the stored values), every
     * other dtype as float64 (exact for all but 64-bit integers beyond 2^53).
     */
    public static INDArray fromNpy(NpyArray a) {
        DataType type = a.dtype().equals("f4") ? DataType.FLOAT : DataType.DOUBLE;
        double[] data = a.data();
        int[] shape = a.shape();
        if (shape.length == 0) {
            return Nd4j.scalar(data[0]).castTo(type);
        }
        long[] s = new long[shape.length];
        for (int k = 0; k < s.length; k++) {
            s[k] = shape[k];
        }
        return fromDoubles(data, s, type);
    }
}
