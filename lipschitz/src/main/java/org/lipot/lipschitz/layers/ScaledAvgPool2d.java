package org.lipot.lipschitz.layers;

/**
 * Average pooling over non-overlapping kh x kw windows times sqrt(kh kw) (deel-lip's ScaledAveragePooling2D): {@code y
 * = sum(window) / sqrt(kh kw)}, 1-Lipschitz by Cauchy-Schwarz. Stride = window, floor mode.
 */
public final class ScaledAvgPool2d extends WindowPooling {

    /**
     * Windows of {@code kh x kw}.
     *
     * @throws IllegalArgumentException if a size is not positive
     */
    public ScaledAvgPool2d(int kh, int kw) {
        super(Kind.SCALED_SUM, positive(kh, "kh"), positive(kw, "kw"));
    }

    @Override
    public ScaledAvgPool2d export() {
        return new ScaledAvgPool2d(poolHeight(), poolWidth());
    }
}
