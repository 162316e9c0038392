package org.lipot.lipschitz.param;

/**
 * How the gradient flows back through Björck's iterations {@code W_{t+1} = (1+beta) W_t - beta W_t W_t^T W_t}
 * ({@code t} counts from 0, {@code T} = the maximum number of iterations).
 *
 * <p>A <em>detached</em> iteration treats its cubic term {@code W_t W_t^T W_t} as a constant, so its Jacobian is
 * {@code (1+beta) I}: it is run without storing anything and multiplies the back-propagated gradient by
 * {@code 1+beta}. The forward values are identical in every mode.
 *
 * <ul>
 *   <li>{@link Kind#FULL}: gradient through every iteration (deel-lip).</li>
 *   <li>{@link Kind#DETACH_FIRST} {@code K}: iterations {@code t >= K} are detached, full gradient through the
 *       first {@code K} (what deel-torchlip's code does, {@code K = 4}).</li>
 *   <li>{@link Kind#DETACH_LAST} {@code K}: iterations {@code t < T - K} are detached, full gradient through the
 *       last {@code K} of the budget {@code T} (the reading "all but the last K").</li>
 * </ul>
 *
 * @param kind  the mode
 * @param count {@code K} (0 for {@link Kind#FULL})
 */
public record GradientMode(Kind kind, int count) {

    /** The three modes. */
    public enum Kind {
        /** Gradient through every iteration. */
        FULL,
        /** Full gradient through the first K iterations only. */
        DETACH_FIRST,
        /** Full gradient through the last K iterations of the budget only. */
        DETACH_LAST
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

    /** Full gradient through the first {@code k} iterations, detached after (deel-torchlip: {@code k = 4}). */
    public static GradientMode detachFirst(int k) {
        return new GradientMode(Kind.DETACH_FIRST, k);
    }

    /** Detached except the last {@code k} iterations of the budget. */
    public static GradientMode detachLast(int k) {
        return new GradientMode(Kind.DETACH_LAST, k);
    }

    /** Whether iteration {@code t} (0-based) of a budget of {@code maxIterations} is detached. */
    public boolean isDetached(int t, int maxIterations) {
        return switch (kind) {
            case FULL -> false;
            case DETACH_FIRST -> t >= count;
            case DETACH_LAST -> t < maxIterations - count;
        };
    }
}
