package org.lipot.lipschitz.layers;

import org.lipot.lipschitz.param.ConvGeometry;

/**
 * deel-lip's {@code SpectralConv2DTranspose}: the {@link ConvTranspose2d transposed convolution} of a
 * {@link SpectralConv2d} {@code T} ({@code cout -> cin}, no bias), {@code y = T^T x + b} mapping {@code cin} to
 * {@code cout} channels and upsampling by the stride. {@code T}'s kernel (cin, cout, kh, kw) is orthonormalised by
 * RKO as a (cin, cout kh kw) matrix and scaled by {@code 1/sqrt(ceil(kh/sh) ceil(kw/sw))}, so {@code ||T|| <= 1} and
 * hence {@code ||T^T|| <= 1}; the certificate uses {@code T}'s sound bound on the output size.
 */
public final class SpectralConv2dTranspose {

    private SpectralConv2dTranspose() {
    }

    /**
     * A builder for a {@code kh x kw} transposed convolution {@code cin -> cout}: the settings of
     * {@link SpectralConv2d.Builder} (stride, padding, RKO, type, seed), for {@code T = SpectralConv2d(cout -> cin)}.
     *
     * @throws IllegalArgumentException if a size is not positive
     */
    public static Builder builder(int cin, int cout, int kh, int kw) {
        return new Builder(cin, cout, kh, kw);
    }

    /** Builder for a {@link SpectralConv2dTranspose}: {@code T}'s builder, and the bias of the transpose. */
    public static final class Builder {
        private final SpectralConv2d.Builder conv;
        private boolean bias = true;

        private Builder(int cin, int cout, int kh, int kw) {
            this.conv = SpectralConv2d.builder(cout, cin, kh, kw).bias(false);
        }

        /** {@code T}'s builder, to set its stride, padding, RKO settings, data type and seed. */
        public SpectralConv2d.Builder convolution() {
            return conv;
        }

        /** Strides, the upsampling factors (default 1). */
        public Builder stride(int sh, int sw) {
            conv.stride(sh, sw);
            return this;
        }

        /** The padding of {@code T} (default zero "same"). */
        public Builder padding(ConvGeometry.Padding padding) {
            conv.padding(padding);
            return this;
        }

        /** Whether the transpose has a bias (default true). */
        public Builder bias(boolean bias) {
            this.bias = bias;
            return this;
        }

        /** The layer. */
        public ConvTranspose2d build() {
            return new ConvTranspose2d(conv.build(), bias);
        }
    }
}
