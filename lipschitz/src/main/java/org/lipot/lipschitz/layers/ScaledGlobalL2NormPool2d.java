package org.lipot.lipschitz.layers;

/**
 * Global L2-norm pooling (deel-lip's ScaledGlobalL2NormPooling2D): {@code y_c = sqrt(sum_{h,w} x_chw^2)}, from {@code
 * (N, C, H, W)} to {@code (N, C)}; 1-Lipschitz, safe gradient {@code x / (||x|| + 1e-6)} as in {@link ScaledL2NormPool2d}.
 */
public final class ScaledGlobalL2NormPool2d extends WindowPooling {

    /** Pools each channel over the whole image. */
    public ScaledGlobalL2NormPool2d() {
        super(Kind.L2_NORM, 0, 0);
    }

    @Override
    public ScaledGlobalL2NormPool2d export() {
        return new ScaledGlobalL2NormPool2d();
    }
}
