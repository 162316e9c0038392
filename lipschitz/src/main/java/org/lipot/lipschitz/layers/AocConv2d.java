package org.lipot.lipschitz.layers;

import org.lipot.lipschitz.param.ConvGeometry;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * An exactly orthogonal convolution with any stride and channel counts, composed as AOC does (Boissin et al.,
 * "Adaptive Orthogonal Convolution", 2025): BCOP projector blocks on the {@code cin} input channels at stride 1, then
 * an orthonormal {@code sh x sw} kernel {@code cin -> cout} on non-overlapping patches with stride {@code (sh, sw)},
 * merged into one {@code kh x kw} kernel applied with stride {@code (sh, sw)}:
 * <pre>
 *   y = conv(x, k K, stride (sh, sw)) + b,     K = R o B_n o ... o B_1,    n = (kh - sh) + (kw - sw)
 * </pre>
 * with {@code R} as in {@link OrthogonalPatchConv2d} and the blocks {@code B_i} as in {@link BcopConv2d} (math on
 * {@link org.lipot.lipschitz.param.OrthogonalKernel}). The kernel must be at least as large as the stride; at stride 1
 * {@code R} is a 1 x 1 orthogonal ({@code cin = cout}, BCOP's {@code H}), isometric ({@code cout > cin}) or
 * row-orthonormal ({@code cout < cin}) channel map.
 *
 * <p><b>Exactly orthogonal</b> (all singular values 1 up to Björck's convergence; an isometry when
 * {@code cout >= cin sh sw}, orthonormal rows when {@code cout <= cin sh sw}): circular padding (the default) on
 * images whose height and width the strides divide. <b>Only 1-Lipschitz</b>: zero padding ("same" or "valid", any
 * size). <b>Not 1-Lipschitz</b>: circular padding with a stride that does not divide its size (the wrapped windows
 * overlap; the sound bound reports it). Its transpose is {@code new ConvTranspose2d(aoc, bias)}.
 */
public final class AocConv2d extends OrthogonalConv2d {

    private AocConv2d(Builder b) {
        super(b);
    }

    /**
     * A builder for the {@code kh x kw} convolution {@code cin -> cout} with stride 1, circular padding, bias,
     * {@link #DEFAULT_BJORCK}, float32, seed 0.
     *
     * @throws IllegalArgumentException if a size is not positive
     */
    public static Builder builder(int cin, int cout, int kh, int kw) {
        return new Builder(cin, cout, kh, kw);
    }

    @Override
    protected AocConv2d blank(DataType t) {
        return sameSettings(builder(cin, cout, kh, kw), t).stride(sh, sw).build();
    }

    /** Builder for {@link AocConv2d}. */
    public static final class Builder extends OrthogonalConv2d.Builder<Builder> {
        private Builder(int cin, int cout, int kh, int kw) {
            super(ConvGeometry.Padding.CIRCULAR, cin, cout, kh, kw, 1, 1);
        }

        /**
         * Strides along the rows and columns (default 1), at most the kernel's size.
         *
         * @throws IllegalArgumentException if a stride is not positive or exceeds the kernel
         */
        public Builder stride(int sh, int sw) {
            setStride(sh, sw);
            return this;
        }

        @Override
        protected Builder self() {
            return this;
        }

        @Override
        public AocConv2d build() {
            return new AocConv2d(this);
        }
    }
}
