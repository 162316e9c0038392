package org.lipot.lipschitz.param;

import java.util.Arrays;

import org.lipot.lipschitz.nn.Tensors;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The kernel of two convolutions applied one after the other, and its gradient, in float64.
 *
 * <p>For {@link ConvGeometry}'s cross-correlation, {@code conv(conv(x, B, stride 1), A, stride s)} reads
 * {@code x[c][s y + a + b - offsets]} for the taps {@code a} of {@code A} and {@code b} of {@code B}, so it is the
 * convolution with stride {@code s} by
 * <pre>
 *   (A o B)[o][c][t1][t2] = sum_m sum_{a + b = t} A[o][m][a1][a2] B[m][c][b1][b2]       ((kA + kB - 1) taps a side)
 * </pre>
 * up to the padding offsets: with circular padding the composite convolution is the composition followed (or
 * preceded) by a circular shift of the image, a permutation, so one is orthogonal exactly when the other is. The
 * gradients, for {@code G = dL/d(A o B)}:
 * <pre>
 *   dL/dA[o][m][a] = sum_{c,b} G[o][c][a + b] B[m][c][b],     dL/dB[m][c][b] = sum_{o,a} A[o][m][a] G[o][c][a + b]
 * </pre>
 * Cost {@code cout m cin kA kB} multiply-adds (kA, kB the tap counts); plain loops, no allocation besides the result.
 */
public final class KernelComposition {

    private KernelComposition() {
    }

    /**
     * A kernel (cout, cin, kh, kw) as a C-order float64 array.
     *
     * @param v the entries, {@code v[((o cin + c) kh + i) kw + j]}; not copied
     */
    public record Kernel(int cout, int cin, int kh, int kw, double[] v) {

        /**
         * @throws IllegalArgumentException if a size is not positive or {@code v} has the wrong length
         */
        public Kernel {
            if (cout < 1 || cin < 1 || kh < 1 || kw < 1 || v == null || v.length != cout * cin * kh * kw) {
                throw new IllegalArgumentException("kernel (" + cout + ", " + cin + ", " + kh + ", " + kw
                        + ") needs " + cout * cin * kh * kw + " entries, got " + (v == null ? null : v.length));
            }
        }

        /** A zero kernel. */
        public static Kernel zeros(int cout, int cin, int kh, int kw) {
            return new Kernel(cout, cin, kh, kw, new double[cout * cin * kh * kw]);
        }

        /** The entries of a 4-D array (any float type, widened exactly). */
        public static Kernel of(INDArray k) {
            if (k == null || k.rank() != 4) {
                throw new IllegalArgumentException("kernel must be 4-D, got "
                        + (k == null ? null : Arrays.toString(k.shape())));
            }
            return new Kernel((int) k.size(0), (int) k.size(1), (int) k.size(2), (int) k.size(3), Tensors.toDoubles(k));
        }

        /** The kernel as a new (cout, cin, kh, kw) array of {@code type}. */
        public INDArray toArray(DataType type) {
            return Tensors.fromDoubles(v, new long[] {cout, cin, kh, kw}, type);
        }

        /** Taps {@code kh kw}. */
        int taps() {
            return kh * kw;
        }
    }

    /**
     * The kernel of {@code conv(conv(x, b), a)}.
     *
     * @throws IllegalArgumentException if {@code a}'s input channels are not {@code b}'s output channels
     */
    public static Kernel compose(Kernel a, Kernel b) {
        checkChain(a, b);
        Kernel k = Kernel.zeros(a.cout, b.cin, a.kh + b.kh - 1, a.kw + b.kw - 1);
        for (int o = 0; o < a.cout; o++) {
            for (int m = 0; m < a.cin; m++) {
                for (int a1 = 0; a1 < a.kh; a1++) {
                    for (int a2 = 0; a2 < a.kw; a2++) {
                        double r = a.v[((o * a.cin + m) * a.kh + a1) * a.kw + a2];
                        if (r == 0) {
                            continue;
                        }
                        for (int c = 0; c < b.cin; c++) {
                            for (int b1 = 0; b1 < b.kh; b1++) {
                                int kRow = ((o * k.cin + c) * k.kh + a1 + b1) * k.kw + a2;
                                int bRow = ((m * b.cin + c) * b.kh + b1) * b.kw;
                                for (int b2 = 0; b2 < b.kw; b2++) {
                                    k.v[kRow + b2] += r * b.v[bRow + b2];
                                }
                            }
                        }
                    }
                }
            }
        }
        return k;
    }

    /** The gradients of a composition with respect to its two factors. */
    public record Gradients(Kernel gradA, Kernel gradB) {
    }

    /**
     * {@code dL/da} and {@code dL/db} from {@code g = dL/d(a o b)}.
     *
     * @throws IllegalArgumentException if the shapes do not chain or {@code g} is not the composite's shape
     */
    public static Gradients backward(Kernel g, Kernel a, Kernel b) {
        checkChain(a, b);
        if (g.cout != a.cout || g.cin != b.cin || g.kh != a.kh + b.kh - 1 || g.kw != a.kw + b.kw - 1) {
            throw new IllegalArgumentException("gradient has shape (" + g.cout + ", " + g.cin + ", " + g.kh + ", "
                    + g.kw + ") but the composite kernel is (" + a.cout + ", " + b.cin + ", " + (a.kh + b.kh - 1)
                    + ", " + (a.kw + b.kw - 1) + ")");
        }
        Kernel ga = Kernel.zeros(a.cout, a.cin, a.kh, a.kw);
        Kernel gb = Kernel.zeros(b.cout, b.cin, b.kh, b.kw);
        for (int o = 0; o < a.cout; o++) {
            for (int m = 0; m < a.cin; m++) {
                for (int a1 = 0; a1 < a.kh; a1++) {
                    for (int a2 = 0; a2 < a.kw; a2++) {
                        int ai = ((o * a.cin + m) * a.kh + a1) * a.kw + a2;
                        double r = a.v[ai];
                        double sum = 0;
                        for (int c = 0; c < b.cin; c++) {
                            for (int b1 = 0; b1 < b.kh; b1++) {
                                int gRow = ((o * g.cin + c) * g.kh + a1 + b1) * g.kw + a2;
                                int bRow = ((m * b.cin + c) * b.kh + b1) * b.kw;
                                for (int b2 = 0; b2 < b.kw; b2++) {
                                    double gv = g.v[gRow + b2];
                                    sum += gv * b.v[bRow + b2];
                                    gb.v[bRow + b2] += r * gv;
                                }
                            }
                        }
                        ga.v[ai] = sum;
                    }
                }
            }
        }
        return new Gradients(ga, gb);
    }

    private static void checkChain(Kernel a, Kernel b) {
        if (a.cin != b.cout) {
            throw new IllegalArgumentException("cannot compose: the outer kernel takes " + a.cin
                    + " channels but the inner one gives " + b.cout);
        }
    }
}
