package org.lipot.lipschitz.layers;

import org.lipot.lipschitz.param.ConvGeometry;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * An exactly orthogonal strided convolution whose kernel equals its stride (RKO on non-overlapping patches):
 * {@code y = conv(x, k R, stride (sh, sw)) + b}, {@code R = reshape(Björck(W / ||W||_F), (cout, cin, sh, sw))} with
 * {@code W} the raw kernel as its (cout, cin sh sw) matrix ({@link org.lipot.lipschitz.param.FrobeniusBjorck}). The
 * windows tile the image without overlap, so the convolution applies the orthonormal matrix {@code W_bar} to each
 * patch independently: no correction factor is needed (unlike {@link SpectralConv2d}'s
 * {@code 1 / sqrt(ceil(kh/sh) ceil(kw/sw))}, which is 1 here anyway), and the layer is an isometry when
 * {@code cout >= cin sh sw} and has orthonormal rows when {@code cout <= cin sh sw} (a downsampling that keeps every
 * pixel when {@code cout = cin sh sw}).
 *
 * <p><b>Exactly orthogonal</b> (all singular values 1 up to Björck's convergence) when the strides divide the image's
 * height and width and the padding is zero "valid" (the default), circular, or zero "same" with {@code sh, sw <= 2}
 * ("same" pads {@code (s - 1)/2} rows at the top, 0 for a stride of 1 or 2, so the windows still tile the image).
 * <b>Only 1-Lipschitz</b>: with zero padding, a stride that does not divide its size (trailing rows are dropped or
 * zero-padded), or zero
 * "same" padding with a stride of 3 or more (the windows are shifted by the padding and the last rows are never read).
 * (Where rows are dropped and {@code cout <= cin sh sw}, the rows stay orthonormal: an orthonormal map of the pixels
 * it reads, but not an isometry of the image.) Circular padding with a stride that does not divide the size wraps
 * the last window onto the first: not 1-Lipschitz ({@link OrthogonalConv2d}).
 * A special case of {@link AocConv2d} (kernel = stride: no projectors).
 */
public final class OrthogonalPatchConv2d extends OrthogonalConv2d {

    private OrthogonalPatchConv2d(Builder b) {
        super(b);
    }

    /**
     * A builder for the {@code sh x sw} convolution {@code cin -> cout} with stride {@code (sh, sw)}, zero "valid"
     * padding, bias, {@link #DEFAULT_BJORCK}, float32, seed 0.
     *
     * @throws IllegalArgumentException if a size is not positive
     */
    public static Builder builder(int cin, int cout, int sh, int sw) {
        return new Builder(cin, cout, sh, sw);
    }

    @Override
    protected OrthogonalPatchConv2d blank(DataType t) {
        return sameSettings(builder(cin, cout, sh, sw), t).build();
    }

    /** Builder for {@link OrthogonalPatchConv2d}. */
    public static final class Builder extends OrthogonalConv2d.Builder<Builder> {
        private Builder(int cin, int cout, int sh, int sw) {
            super(ConvGeometry.Padding.ZERO_VALID, cin, cout, sh, sw, sh, sw);
        }

        @Override
        protected Builder self() {
            return this;
        }

        @Override
        public OrthogonalPatchConv2d build() {
            return new OrthogonalPatchConv2d(this);
        }
    }
}
