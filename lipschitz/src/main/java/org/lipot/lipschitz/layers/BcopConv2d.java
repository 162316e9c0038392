package org.lipot.lipschitz.layers;

import org.lipot.lipschitz.param.ConvGeometry;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * An exactly orthogonal stride-1 convolution {@code c -> c} built from block convolution projectors (BCOP, Li et al.
 * 2019, "Preventing Gradient Attenuation in Lipschitz Constrained Convolutional Networks"):
 * <pre>
 *   y = conv(x, k K) + b,     K = H o B_{kh+kw-2} o ... o B_1          (kernel composition, kh x kw taps)
 *   B_i = [P_i ; I - P_i] (2 x 1 taps, the first kh - 1) or [P_i, I - P_i] (1 x 2 taps, the other kw - 1)
 *   P_i = Q_i Q_i^T,  Q_i = Björck(V_i / ||V_i||_F)  (c x max(1, c/2), orthonormal columns)
 *   H   = Björck(W / ||W||_F)                          (c x c orthogonal, the 1 x 1 factor)
 * </pre>
 * Each block's DFT symbol {@code P + (I - P) e^{-i omega}} is unitary at every frequency, so with circular padding
 * each block, and their composition, is an orthogonal operator on images of every size (kernels larger than the image
 * included): the layer preserves norms and gradients. The raw parameters are {@code weight} ({@code W} as (c, c, 1,
 * 1)) and {@code projectors} ({@code V_i} as (kh + kw - 2, c, max(1, c/2))); see {@link OrthogonalConv2d}.
 *
 * <p><b>Exactly orthogonal</b> (all singular values 1 up to Björck's convergence): circular padding (the default), any
 * image size. <b>Only 1-Lipschitz</b>: zero "same" or "valid" padding (a restriction of an orthogonal circular
 * operator on a larger grid: norm at most 1, below 1 on small images). For strides or {@code cin != cout} use
 * {@link AocConv2d}, of which this is the special case of stride 1 and equal channels.
 */
public final class BcopConv2d extends OrthogonalConv2d {

    private BcopConv2d(Builder b) {
        super(b);
    }

    /**
     * A builder for the {@code kh x kw} stride-1 convolution {@code channels -> channels} with circular padding, bias,
     * {@link #DEFAULT_BJORCK}, float32, seed 0.
     *
     * @throws IllegalArgumentException if a size is not positive
     */
    public static Builder builder(int channels, int kh, int kw) {
        return new Builder(channels, kh, kw);
    }

    @Override
    protected BcopConv2d blank(DataType t) {
        return sameSettings(builder(cin, kh, kw), t).build();
    }

    /** Builder for {@link BcopConv2d}. */
    public static final class Builder extends OrthogonalConv2d.Builder<Builder> {
        private Builder(int channels, int kh, int kw) {
            super(ConvGeometry.Padding.CIRCULAR, positive("channels", channels), channels, kh, kw, 1, 1);
        }

        @Override
        protected Builder self() {
            return this;
        }

        @Override
        public BcopConv2d build() {
            return new BcopConv2d(this);
        }
    }
}
