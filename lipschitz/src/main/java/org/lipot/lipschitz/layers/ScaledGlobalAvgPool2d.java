package org.lipot.lipschitz.layers;

/**
 * Global average pooling times sqrt(H W) (deel-lip's ScaledGlobalAveragePooling2D): {@code y_c = sum_{h,w} x_chw /
 * sqrt(H W)}, from {@code (N, C, H, W)} to {@code (N, C)}; 1-Lipschitz by Cauchy-Schwarz.
 */
public final class ScaledGlobalAvgPool2d extends WindowPooling {

    /** Pools each channel over the whole image. */
    public ScaledGlobalAvgPool2d() {
        super(Kind.SCALED_SUM, 0, 0);
    }

    @Override
    public ScaledGlobalAvgPool2d export() {
        return new ScaledGlobalAvgPool2d();
    }
}
