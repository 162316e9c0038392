package org.lipot.lipschitz.data;

import java.util.Arrays;

/**
 * The content of an IDX file of unsigned bytes (type code {@code 0x08}, the type of MNIST and
 * Fashion-MNIST): its dimensions and its values in row-major order.
 *
 * @param dims   the dimensions, for example {@code {60000, 28, 28}} for images, {@code {60000}} for labels
 * @param values {@code prod(dims)} bytes, to be read as unsigned ({@code values[i] & 0xff})
 */
public record IdxData(int[] dims, byte[] values) {

    public IdxData {
        if (dims == null || values == null || dims.length == 0) {
            throw new IllegalArgumentException("dims and values must not be null, dims not empty");
        }
        long n = 1;
        for (int d : dims) {
            if (d < 0) {
                throw new IllegalArgumentException("dims must be >= 0, got " + Arrays.toString(dims));
            }
            n *= d;
        }
        if (n != values.length) {
            throw new IllegalArgumentException("dims " + Arrays.toString(dims) + " hold " + n + " values but values has"
                    + " length " + values.length);
        }
        dims = dims.clone();
    }

    /** A copy of the dimensions. */
    @Override
    public int[] dims() {
        return dims.clone();
    }

    /** The first dimension: the number of items (images or labels). */
    public int count() {
        return dims[0];
    }

    /** Values per item: the product of the dimensions after the first. */
    public int itemSize() {
        int s = 1;
        for (int i = 1; i < dims.length; i++) {
            s *= dims[i];
        }
        return s;
    }

    /** The unsigned value at flat index {@code i}. */
    public int get(int i) {
        return values[i] & 0xff;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof IdxData d && Arrays.equals(dims, d.dims) && Arrays.equals(values, d.values);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(dims) + Arrays.hashCode(values);
    }

    @Override
    public String toString() {
        return "IdxData" + Arrays.toString(dims);
    }
}
