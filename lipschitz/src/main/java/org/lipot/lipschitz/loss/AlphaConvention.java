package org.lipot.lipschitz.loss;

/**
 * How the {@code alpha} of a hinge-Kantorovich-Rubinstein (HKR) loss weighs its two terms. The two peers
 * disagree, so every HKR loss here records which one it was built with.
 *
 * <p>With {@code KR} the (batch) Kantorovich-Rubinstein term and {@code H} the hinge term of the loss:
 * <ul>
 *   <li>{@link #DEEL_LIP}: {@code loss = -KR + alpha * H}, {@code alpha >= 0} unbounded (typical 10 to 200);
 *       {@code alpha = +infinity} means hinge only. This is deel-lip's {@code HKR} / {@code MulticlassHKR}
 *       and the convention of the benchmark peer.</li>
 *   <li>{@link #DEEL_TORCHLIP}: {@code loss = alpha' * H - (1 - alpha') * KR}, {@code alpha'} in
 *       {@code [0, 1]}: 0 is KR only, 1 hinge only. This is deel-torchlip's ({@code >= 1.x})
 *       {@code HKRMulticlassLoss}, {@code SoftHKRMulticlassLoss} and {@code LseHKRMulticlassLoss}.</li>
 * </ul>
 * The two agree up to a positive factor: deel-lip with {@code alpha} equals {@code (1 + alpha)} times
 * deel-torchlip with {@code alpha' = alpha / (1 + alpha)}. The minimisers are the same; the gradient
 * scale (and so a learning rate tuned for one) is not.
 */
public enum AlphaConvention {

    /** {@code -KR + alpha * H}, {@code alpha} in {@code [0, +infinity]}. */
    DEEL_LIP,

    /** {@code alpha * H - (1 - alpha) * KR}, {@code alpha} in {@code [0, 1]}. */
    DEEL_TORCHLIP;

    /** Weight of the (negated) KR term for this {@code alpha}. */
    double krWeight(double alpha) {
        if (this == DEEL_LIP) {
            return alpha == Double.POSITIVE_INFINITY ? 0.0 : 1.0;
        }
        return 1.0 - alpha;
    }

    /** Weight of the hinge term for this {@code alpha}. */
    double hingeWeight(double alpha) {
        return this == DEEL_LIP && alpha == Double.POSITIVE_INFINITY ? 1.0 : alpha;
    }

    /** @throws IllegalArgumentException if {@code alpha} is outside this convention's range */
    double validate(double alpha) {
        if (this == DEEL_LIP && !(alpha >= 0)) {
            throw new IllegalArgumentException("alpha must be >= 0 (deel-lip convention: -KR + alpha * hinge), got "
                    + alpha);
        }
        if (this == DEEL_TORCHLIP && !(alpha >= 0 && alpha <= 1)) {
            throw new IllegalArgumentException("alpha must be in [0, 1] (deel-torchlip convention: alpha * hinge"
                    + " - (1 - alpha) * KR), got " + alpha);
        }
        return alpha;
    }

    /** The same trade-off in the other convention, up to the positive factor described above. */
    public double convert(double alpha) {
        validate(alpha);
        if (this == DEEL_LIP) {
            return alpha == Double.POSITIVE_INFINITY ? 1.0 : alpha / (1.0 + alpha);
        }
        return alpha == 1.0 ? Double.POSITIVE_INFINITY : alpha / (1.0 - alpha);
    }

    String label() {
        return this == DEEL_LIP ? "deel-lip" : "deel-torchlip";
    }
}
