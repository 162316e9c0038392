package org.lipot.transport.internal;

/**
 * The argument checks the builders share, each failing with an {@link IllegalArgumentException} that names the
 * argument and its value.
 */
public final class Arguments {

    private Arguments() {
    }

    /** {@code value}, if it is positive and finite. */
    public static double positive(double value, String name) {
        if (!(value > 0) || value == Double.POSITIVE_INFINITY) {
            throw new IllegalArgumentException(name + " must be positive and finite, got " + value);
        }
        return value;
    }

    /** {@code value}, if it is at least 1. */
    public static int atLeastOne(int value, String name) {
        if (value < 1) {
            throw new IllegalArgumentException(name + " must be >= 1, got " + value);
        }
        return value;
    }

    /** {@code value}, if it is at least 1. */
    public static long atLeastOne(long value, String name) {
        if (value < 1) {
            throw new IllegalArgumentException(name + " must be >= 1, got " + value);
        }
        return value;
    }
}
