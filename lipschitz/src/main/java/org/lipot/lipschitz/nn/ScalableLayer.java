package org.lipot.lipschitz.nn;

/**
 * A layer whose effective linear map can be multiplied by a constant {@code k > 0}, which multiplies its
 * Lipschitz constant by {@code k}: for an affine layer {@code y = x (k W_eff)^T + b}.
 * {@link Sequential} uses it to spread a global Lipschitz factor over the weighted layers.
 */
public interface ScalableLayer extends Layer {

    /** The current factor {@code k} (1 unless set). */
    double lipschitzFactor();

    /**
     * Sets the factor {@code k} applied to the effective weight.
     *
     * @throws IllegalArgumentException if {@code k} is not finite and positive
     */
    void setLipschitzFactor(double k);
}
