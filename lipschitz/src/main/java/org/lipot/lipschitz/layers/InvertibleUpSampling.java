package org.lipot.lipschitz.layers;

/**
 * Depth-to-space (PyTorch's {@code PixelShuffle(k)}, deel-lip's {@code InvertibleUpSampling}): {@code (N, C k^2, H, W)}
 * to {@code (N, C, H k, W k)}, the inverse of {@link InvertibleDownSampling}; an isometry.
 */
public final class InvertibleUpSampling extends PixelShuffling {

    /**
     * Groups of {@code factor^2} channels become blocks of {@code factor x factor} pixels.
     *
     * @throws IllegalArgumentException if {@code factor < 1}
     */
    public InvertibleUpSampling(int factor) {
        super(factor, false);
    }

    @Override
    public InvertibleUpSampling export() {
        return new InvertibleUpSampling(factor());
    }
}
