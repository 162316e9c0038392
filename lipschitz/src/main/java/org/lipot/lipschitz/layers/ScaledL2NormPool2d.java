package org.lipot.lipschitz.layers;

/**
 * The Euclidean norm of each non-overlapping kh x kw window (deel-lip's ScaledL2NormPooling2D, PyTorch's {@code
 * LPPool2d(2, k)}): {@code y = sqrt(sum(window^2))}, 1-Lipschitz; deel-lip's safe gradient {@code x / (||x|| + 1e-6)},
 * 0 on an all-zero window (where PyTorch's LPPool2d gives NaN). Stride = window, floor mode.
 */
public final class ScaledL2NormPool2d extends WindowPooling {

    /**
     * Windows of {@code kh x kw}.
     *
     * @throws IllegalArgumentException if a size is not positive
     */
    public ScaledL2NormPool2d(int kh, int kw) {
        super(Kind.L2_NORM, positive(kh, "kh"), positive(kw, "kw"));
    }

    @Override
    public ScaledL2NormPool2d export() {
        return new ScaledL2NormPool2d(poolHeight(), poolWidth());
    }
}
