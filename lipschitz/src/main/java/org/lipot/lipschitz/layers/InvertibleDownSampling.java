package org.lipot.lipschitz.layers;

/**
 * Space-to-depth (PyTorch's {@code PixelUnshuffle(k)}, deel-lip's {@code InvertibleDownSampling}): {@code (N, C, H, W)}
 * to {@code (N, C k^2, H / k, W / k)} with {@code out[n][c k^2 + i k + j][y][z] = x[n][c][k y + i][k z + j]}; an
 * isometry, inverted by {@link InvertibleUpSampling}.
 */
public final class InvertibleDownSampling extends PixelShuffling {

    /**
     * Blocks of {@code factor x factor} pixels become channels.
     *
     * @throws IllegalArgumentException if {@code factor < 1}
     */
    public InvertibleDownSampling(int factor) {
        super(factor, true);
    }

    @Override
    public InvertibleDownSampling export() {
        return new InvertibleDownSampling(factor());
    }
}
