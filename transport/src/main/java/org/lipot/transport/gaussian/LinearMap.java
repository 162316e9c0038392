package org.lipot.transport.gaussian;

import org.lipot.transport.map.TransportMap;

/**
 * An affine map {@code T(x) = A x + b} (column vectors), the Monge map between two Gaussians
 * ({@link BuresWasserstein}). Immutable; {@link #a()} and {@link #b()} return copies.
 *
 * @param a {@code A}, {@code d x d}
 * @param b {@code b}, length {@code d}
 */
public record LinearMap(double[][] a, double[] b) implements TransportMap {

    /** @throws IllegalArgumentException if the shapes disagree or an entry is not finite */
    public LinearMap {
        if (b == null || b.length == 0 || a == null || a.length != b.length) {
            throw new IllegalArgumentException("A must be d x d and b of length d, with d >= 1");
        }
        double[][] copy = new double[a.length][];
        for (int i = 0; i < a.length; i++) {
            if (a[i] == null || a[i].length != b.length) {
                throw new IllegalArgumentException("row " + i + " of A must have " + b.length + " entries");
            }
            for (double v : a[i]) {
                if (!Double.isFinite(v)) {
                    throw new IllegalArgumentException("A holds " + v);
                }
            }
            copy[i] = a[i].clone();
        }
        for (double v : b) {
            if (!Double.isFinite(v)) {
                throw new IllegalArgumentException("b holds " + v);
            }
        }
        a = copy;
        b = b.clone();
    }

    @Override
    public int dimension() {
        return b.length;
    }

    @Override
    public double[] apply(double[] x) {
        TransportMap.checkPoint(x, b.length);
        double[] y = b.clone();
        for (int i = 0; i < y.length; i++) {
            for (int j = 0; j < y.length; j++) {
                y[i] += a[i][j] * x[j];
            }
        }
        return y;
    }

    @Override
    public double[][] a() {
        double[][] out = new double[a.length][];
        for (int i = 0; i < a.length; i++) {
            out[i] = a[i].clone();
        }
        return out;
    }

    @Override
    public double[] b() {
        return b.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LinearMap m && java.util.Arrays.deepEquals(a, m.a) && java.util.Arrays.equals(b, m.b);
    }

    @Override
    public int hashCode() {
        return 31 * java.util.Arrays.deepHashCode(a) + java.util.Arrays.hashCode(b);
    }

    @Override
    public String toString() {
        return "LinearMap[d=" + b.length + "]";
    }
}
