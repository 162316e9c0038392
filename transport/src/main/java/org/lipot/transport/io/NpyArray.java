package org.lipot.transport.io;

import java.util.Arrays;

/**
 * An n-dimensional array in C (row-major) order, as stored in an NPY file: the last index varies fastest, so a
 * matrix of shape {@code (n, d)} has entry {@code (i, j)} at {@code data[i * d + j]}. A shape of rank 0, {@code ()},
 * is a scalar holding one value. The values are held as doubles, widened exactly from the stored element type
 * {@code dtype} (except 64-bit integers beyond 2^53, which round). Immutable: the constructor and the accessors copy.
 *
 * @param shape the length of each axis, each non-negative
 * @param data  the values in C order; its length is the product of the shape (1 for a scalar)
 * @param dtype the stored element type as numpy's code without the byte order: {@code f8}, {@code f4}, {@code i8},
 *              {@code i4}, {@code i2}, {@code i1}, {@code u8}, {@code u4}, {@code u2}, {@code u1} or {@code b1};
 *              {@link Npy} writes {@code f4} arrays as float32 and all others as float64
 */
public record NpyArray(int[] shape, double[] data, String dtype) {

    /**
     * Validates and copies.
     *
     * @throws IllegalArgumentException if an argument is null, a dimension is negative, the data length is not
     *                                  the product of the shape, the dtype is unknown, or a value of an {@code f4}
     *                                  array is not a float32 value
     */
    public NpyArray {
        if (shape == null || data == null || dtype == null) {
            throw new IllegalArgumentException((shape == null ? "shape" : data == null ? "data" : "dtype")
                    + " must not be null");
        }
        if (NpyHeader.Dtype.ofCode(dtype) == null) {
            throw new IllegalArgumentException("dtype '" + dtype + "' is not one of f8, f4, i8, i4, i2, i1, u8, u4,"
                    + " u2, u1, b1");
        }
        for (int d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("shape " + shapeString(shape) + " has a negative dimension");
            }
        }
        long count = elementCount(shape);
        if (count != data.length) {
            throw new IllegalArgumentException("shape " + shapeString(shape) + " holds "
                    + (count > Integer.MAX_VALUE ? "more than " + Integer.MAX_VALUE : count)
                    + " values but data has length " + data.length);
        }
        if (dtype.equals("f4")) {
            for (int k = 0; k < data.length; k++) {
                if ((float) data[k] != data[k] && !Double.isNaN(data[k])) {
                    throw new IllegalArgumentException("dtype f4: value " + k + " = " + data[k] + " is not a float32");
                }
            }
        }
        shape = shape.clone();
        data = data.clone();
    }

    /** An array of float64 values ({@code dtype} {@code f8}). */
    public NpyArray(int[] shape, double[] data) {
        this(shape, data, "f8");
    }

    /**
     * A 2-D array of shape {@code (rows.length, rows[0].length)}; no rows gives shape {@code (0, 0)}.
     *
     * @throws IllegalArgumentException if {@code rows} or a row is null, or the rows have different lengths
     */
    public static NpyArray ofMatrix(double[][] rows) {
        if (rows == null) {
            throw new IllegalArgumentException("rows must not be null");
        }
        int n = rows.length;
        int d = n == 0 || rows[0] == null ? 0 : rows[0].length;
        double[] data = new double[Math.multiplyExact(n, d)];
        for (int i = 0; i < n; i++) {
            if (rows[i] == null) {
                throw new IllegalArgumentException("rows: row " + i + " is null");
            }
            if (rows[i].length != d) {
                throw new IllegalArgumentException("rows are ragged: row 0 has " + d + " columns but row " + i
                        + " has " + rows[i].length);
            }
            System.arraycopy(rows[i], 0, data, i * d, d);
        }
        return new NpyArray(new int[] {n, d}, data);
    }

    /**
     * A 1-D array of shape {@code (values.length,)}.
     *
     * @throws IllegalArgumentException if {@code values} is null
     */
    public static NpyArray ofVector(double[] values) {
        if (values == null) {
            throw new IllegalArgumentException("values must not be null");
        }
        return new NpyArray(new int[] {values.length}, values);
    }

    /** A copy of the shape. */
    @Override
    public int[] shape() {
        return shape.clone();
    }

    /** A copy of the values, in C order. */
    @Override
    public double[] data() {
        return data.clone();
    }

    /**
     * The array as rows: shape {@code (n, d)} gives {@code n} rows of length {@code d}, and a vector of shape
     * {@code (n,)} gives {@code n} rows of length 1 (a column).
     *
     * @param name how the error message names the array (for example the file it came from)
     * @throws IllegalArgumentException naming {@code name} and the shape if the rank is not 1 or 2
     */
    public double[][] toMatrix(String name) {
        if (shape.length != 1 && shape.length != 2) {
            throw new IllegalArgumentException(name + " must be a matrix (n, d) or a vector (n,) but has shape "
                    + shapeString(shape));
        }
        int n = shape[0];
        int d = shape.length == 2 ? shape[1] : 1;
        double[][] rows = new double[n][];
        for (int i = 0; i < n; i++) {
            rows[i] = Arrays.copyOfRange(data, i * d, i * d + d);
        }
        return rows;
    }

    /**
     * The values as a vector, for shapes {@code (n,)}, {@code (n, 1)} and {@code (1, n)}.
     *
     * @param name how the error message names the array (for example the file it came from)
     * @throws IllegalArgumentException naming {@code name} and the shape for any other shape
     */
    public double[] toVector(String name) {
        boolean vector = shape.length == 1 || (shape.length == 2 && (shape[0] == 1 || shape[1] == 1));
        if (!vector) {
            throw new IllegalArgumentException(name + " must be a vector (n,), (n, 1) or (1, n) but has shape "
                    + shapeString(shape));
        }
        return data.clone();
    }

    /**
     * Equal shapes, dtypes and bit-for-bit equal values (all NaNs compare equal, as in {@link Double#equals}).
     */
    @Override
    public boolean equals(Object o) {
        return o instanceof NpyArray a && Arrays.equals(shape, a.shape) && dtype.equals(a.dtype)
                && Arrays.equals(data, a.data);
    }

    /** Consistent with {@link #equals(Object)}. */
    @Override
    public int hashCode() {
        return 31 * (31 * Arrays.hashCode(shape) + dtype.hashCode()) + Arrays.hashCode(data);
    }

    /** The shape and dtype only: the data may hold millions of values. */
    @Override
    public String toString() {
        return "NpyArray[shape=" + shapeString(shape) + ", dtype=" + dtype + "]";
    }

    /** Python's notation for a shape: {@code ()}, {@code (3,)}, {@code (3, 2)}. */
    static String shapeString(int[] shape) {
        StringBuilder s = new StringBuilder("(");
        for (int k = 0; k < shape.length; k++) {
            s.append(k == 0 ? "" : ", ").append(shape[k]);
        }
        return s.append(shape.length == 1 ? ",)" : ")").toString();
    }

    /**
     * The product of non-negative dimensions (1 for a scalar). A product above {@link Integer#MAX_VALUE}, too
     * large for any Java array, is reported as some value above it, without overflowing.
     */
    static long elementCount(int[] shape) {
        for (int d : shape) {
            if (d == 0) {
                return 0;
            }
        }
        long count = 1;
        for (int d : shape) {
            // capping at 2^32 keeps count * d below 2^63
            count = Math.min(count * d, 1L << 32);
        }
        return count;
    }
}
