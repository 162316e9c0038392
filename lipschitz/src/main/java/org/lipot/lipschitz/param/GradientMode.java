package org.lipot.lipschitz.param;

/**
 * Which of Björck's iterations {@code W_{t+1} = (1+beta) W_t - beta W_t W_t^T W_t} the gradient flows through
 * ({@code t} counts from 0; {@code n} is the number of iterations the pass actually ran, which the early stop may
 * make smaller than the budget).
 *
 * <p>A <em>detached</em> iteration treats its cubic term {@code W_t W_t^T W_t} as a constant, so its Jacobian is
 * {@code (1+beta) I}: it multiplies the back-propagated gradient by {@code 1+beta}. The forward values are identical
 * in every mode.
 *
 * <ul>
 *   <li>{@link Kind#FULL}: gradient through every iteration (deel-lip).</li>
 *   <li>{@link Kind#THROUGH_FIRST} {@code K}: gradient through iterations {@code t < K}, the later ones detached
 *       (what deel-torchlip's code does, {@code K = 4}).</li>
 *   <li>{@link Kind#THROUGH_LAST} {@code K}: gradient through the last {@code K} iterations run,
 *       {@code t >= n - K}, the earlier ones detached.</li>
 * </ul>
 * With {@code K >= n} both keep every iteration.
 *
 * @param kind  the mode
 * @param count {@code K} (0 for {@link Kind#FULL})
 */
public record GradientMode(Kind kind, int count) {

    /** The three modes. */
    public enum Kind {
        /** Gradient through every iteration. */
        FULL,
        /** Gradient through the first K iterations only. */
        THROUGH_FIRST,
        /** Gradient through the last K iterations run only. */
        THROUGH_LAST
    }

    /**
     * @throws IllegalArgumentException if {@code kind} is null, {@code count} is negative, or {@code count != 0}
     *                                  for {@link Kind#FULL}
     */
    public GradientMode {
        if (kind == null) {
            throw new IllegalArgumentException("kind must not be null");
        }
        if (count < 0) {
            throw new IllegalArgumentException("count (K) must be >= 0, got " + count);
        }
        if (kind == Kind.FULL && count != 0) {
            throw new IllegalArgumentException("count (K) must be 0 for FULL, got " + count);
        }
    }

    /** Gradient through every iteration. */
    public static GradientMode full() {
        return new GradientMode(Kind.FULL, 0);
    }

    /** Gradient through the first {@code k} iterations, detached after (deel-torchlip: {@code k = 4}). */
    public static GradientMode gradientThroughFirst(int k) {
        return new GradientMode(Kind.THROUGH_FIRST, k);
    }

    /** Gradient through the last {@code k} iterations actually run, detached before. */
    public static GradientMode gradientThroughLast(int k) {
        return new GradientMode(Kind.THROUGH_LAST, k);
    }

    /** Whether iteration {@code t} (0-based) of a pass that ran {@code iterationsRun} iterations keeps its gradient. */
    public boolean keepsGradient(int t, int iterationsRun) {
        return switch (kind) {
            case FULL -> true;
            case THROUGH_FIRST -> t < count;
            case THROUGH_LAST -> t >= iterationsRun - count;
        };
    }
}
