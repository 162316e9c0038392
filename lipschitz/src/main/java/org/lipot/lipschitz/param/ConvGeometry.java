package org.lipot.lipschitz.param;

/**
 * The shape of one 2-D convolution as applied: channels, kernel size, stride, padding and the input's spatial size.
 * Immutable and validated; every derived size follows from the components.
 *
 * <p><b>Convention</b> (PyTorch {@code conv2d}, NCHW tensors, kernels (cout, cin, kh, kw), cross-correlation
 * without kernel flip):
 * <pre>
 *   out[n][o][y][z] = sum_{c,i,j} k[o][c][i][j] * xpad[n][c][sh*y + i - padTop][sw*z + j - padLeft]
 * </pre>
 * where {@code xpad} reads {@code x} inside the {@code h x w} input and, outside it, 0 (zero padding) or
 * {@code x} at the row and column taken modulo {@code h} and {@code w} (circular padding).
 *
 * <p><b>Padding modes and sizes</b> (integer division rounds down):
 * <table>
 *   <caption>padding and output size</caption>
 *   <tr><th>mode</th><th>padTop / padBottom</th><th>outH</th></tr>
 *   <tr><td>{@link Padding#ZERO_SAME}</td><td>{@code (kh-1)/2} / {@code kh-1-padTop}</td>
 *       <td>{@code (h - 1)/sh + 1 = ceil(h/sh)}</td></tr>
 *   <tr><td>{@link Padding#ZERO_VALID}</td><td>0 / 0</td><td>{@code (h - kh)/sh + 1} (needs {@code h >= kh})</td></tr>
 *   <tr><td>{@link Padding#CIRCULAR}</td><td>as ZERO_SAME, read modulo h</td><td>{@code ceil(h/sh)}</td></tr>
 * </table>
 * and the same along the width with {@code kw, sw, w}. For odd kernels {@code padTop = padBottom = kh/2}, exactly
 * PyTorch's {@code padding=kh//2} (and {@code padding_mode='circular'}), so the output is {@code h x w} at stride
 * 1. For even kernels the one extra row and column of padding go to the bottom and right, as PyTorch's
 * {@code padding='same'} does at stride 1 (TensorFlow's "SAME" puts them there too at stride 1; at larger strides
 * TensorFlow's split depends on {@code h mod sh}, ours never does). Circular padding may be wider than the input:
 * rows wrap as many times as needed.
 *
 * @param cin     input channels, &ge; 1
 * @param cout    output channels, &ge; 1
 * @param kh      kernel height, &ge; 1
 * @param kw      kernel width, &ge; 1
 * @param sh      stride along the height, &ge; 1
 * @param sw      stride along the width, &ge; 1
 * @param padding the padding mode
 * @param h       input height (pixels), &ge; 1
 * @param w       input width (pixels), &ge; 1
 */
public record ConvGeometry(int cin, int cout, int kh, int kw, int sh, int sw, Padding padding, int h, int w) {

    /** How the input is extended beyond its borders. */
    public enum Padding {
        /** Zeros, {@code kh - 1} rows and {@code kw - 1} columns in all (top/left gets {@code (k-1)/2}). */
        ZERO_SAME,
        /** No padding: only windows that fit inside the input. */
        ZERO_VALID,
        /** Periodic wrap with the offsets of {@link #ZERO_SAME}. */
        CIRCULAR
    }

    /**
     * Validates the components.
     *
     * @throws IllegalArgumentException naming the first offending argument
     */
    public ConvGeometry {
        positive("cin", cin);
        positive("cout", cout);
        positive("kh", kh);
        positive("kw", kw);
        positive("sh", sh);
        positive("sw", sw);
        positive("h", h);
        positive("w", w);
        if (padding == null) {
            throw new IllegalArgumentException("padding must not be null");
        }
        if (padding == Padding.ZERO_VALID && (h < kh || w < kw)) {
            throw new IllegalArgumentException("valid padding needs an input at least as large as the kernel: input "
                    + h + " x " + w + ", kernel " + kh + " x " + kw);
        }
        long cols = (long) cin * kh * kw;
        long pixels = (long) h * w;
        // float64 gather tables hold two words per entry: keep every per-sample index below 2^30
        if (cols * pixels > Integer.MAX_VALUE / 2 || (long) cout * pixels > Integer.MAX_VALUE / 2) {
            throw new IllegalArgumentException("geometry too large for one sample: cin*kh*kw = " + cols
                    + ", cout = " + cout + ", h*w = " + pixels);
        }
    }

    /** Stride 1 in both directions. */
    public static ConvGeometry of(int cin, int cout, int kh, int kw, Padding padding, int h, int w) {
        return new ConvGeometry(cin, cout, kh, kw, 1, 1, padding, h, w);
    }

    /** The same geometry on an {@code h x w} input. */
    public ConvGeometry withInput(int h, int w) {
        return new ConvGeometry(cin, cout, kh, kw, sh, sw, padding, h, w);
    }

    /** The same geometry with stride {@code sh x sw}. */
    public ConvGeometry withStride(int sh, int sw) {
        return new ConvGeometry(cin, cout, kh, kw, sh, sw, padding, h, w);
    }

    /** Rows of padding (zero or wrapped) above the input: {@code (kh-1)/2}, 0 for valid padding. */
    public int padTop() {
        return padding == Padding.ZERO_VALID ? 0 : (kh - 1) / 2;
    }

    /** Columns of padding left of the input: {@code (kw-1)/2}, 0 for valid padding. */
    public int padLeft() {
        return padding == Padding.ZERO_VALID ? 0 : (kw - 1) / 2;
    }

    /** Output height: {@code ceil(h/sh)}, or {@code (h - kh)/sh + 1} for valid padding. */
    public int outH() {
        return padding == Padding.ZERO_VALID ? (h - kh) / sh + 1 : (h - 1) / sh + 1;
    }

    /** Output width: {@code ceil(w/sw)}, or {@code (w - kw)/sw + 1} for valid padding. */
    public int outW() {
        return padding == Padding.ZERO_VALID ? (w - kw) / sw + 1 : (w - 1) / sw + 1;
    }

    /** Entries of one input sample: {@code cin * h * w}. */
    public int inputSize() {
        return cin * h * w;
    }

    /** Entries of one output sample: {@code cout * outH * outW}. */
    public int outputSize() {
        return cout * outH() * outW();
    }

    /** The kernel's shape {@code (cout, cin, kh, kw)}. */
    public long[] kernelShape() {
        return new long[] {cout, cin, kh, kw};
    }

    /** The shape {@code (n, cin, h, w)} of a batch of {@code n} inputs. */
    public long[] inputShape(long n) {
        return new long[] {n, cin, h, w};
    }

    /** The shape {@code (n, cout, outH, outW)} of a batch of {@code n} outputs. */
    public long[] outputShape(long n) {
        return new long[] {n, cout, outH(), outW()};
    }

    private static void positive(String name, int v) {
        if (v < 1) {
            throw new IllegalArgumentException(name + " must be >= 1, got " + v);
        }
    }
}
