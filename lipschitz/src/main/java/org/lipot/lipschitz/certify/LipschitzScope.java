package org.lipot.lipschitz.certify;

/**
 * What a Lipschitz bound {@code L} of a classifier {@code f: R^d -> R^C} bounds, which decides how an
 * output margin becomes a certified radius (all norms Euclidean).
 *
 * <ul>
 *   <li>{@link #NETWORK}: the whole output vector, {@code ||f(x) - f(x')||_2 <= L ||x - x'||_2} (a network
 *       built of 1-Lipschitz layers, with {@code L} the product of the layer bounds). The difference
 *       {@code f_y - f_j} is then {@code sqrt(2) L}-Lipschitz, so a margin {@code f_y - max_{j != y} f_j}
 *       certifies the radius {@code margin / (sqrt(2) L)}.</li>
 *   <li>{@link #PER_OUTPUT}: each output separately, {@code |f_k(x) - f_k(x')| <= L ||x - x'||_2} for every
 *       {@code k} (for example a last layer whose rows are normalised one by one, a "disjoint" or
 *       "classwise" last layer). Then {@code f_y - f_j} is only {@code 2L}-Lipschitz and the radius is
 *       {@code margin / (2 L)}.</li>
 * </ul>
 * For a single output (binary classification) both give {@code |f(x)| / L}.
 */
public enum LipschitzScope {

    /** {@code L} bounds the Lipschitz constant of the whole output vector: radius = margin / (sqrt(2) L). */
    NETWORK,

    /** {@code L} bounds each output separately: radius = margin / (2 L). */
    PER_OUTPUT;

    /** The factor {@code c} with radius = margin / (c L) for two or more outputs. */
    double marginFactor() {
        return this == NETWORK ? Math.sqrt(2.0) : 2.0;
    }
}
