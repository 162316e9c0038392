package org.lipot.lipschitz.train;

/**
 * A hyper-parameter as a function of training progress: the learning rate, or a loss parameter such as HKR's alpha
 * or margin. {@code epoch} counts from 0; {@code step} is the step within the epoch, from 0.
 */
@FunctionalInterface
public interface Schedule {

    /** The value at the given epoch and step. */
    double at(int epoch, int step);

    /** The same value throughout. */
    static Schedule constant(double value) {
        return (epoch, step) -> value;
    }

    /**
     * {@code initial * factor^epoch}: exponential decay per epoch when {@code 0 < factor < 1}.
     *
     * @throws IllegalArgumentException if {@code factor} is not positive
     */
    static Schedule exponential(double initial, double factor) {
        if (!(factor > 0)) {
            throw new IllegalArgumentException("factor must be > 0, got " + factor);
        }
        return (epoch, step) -> initial * Math.pow(factor, epoch);
    }

    /**
     * Linear interpolation from {@code from} at epoch 0 to {@code to} at epoch {@code epochs}, constant after.
     *
     * @throws IllegalArgumentException if {@code epochs < 1}
     */
    static Schedule linear(double from, double to, int epochs) {
        if (epochs < 1) {
            throw new IllegalArgumentException("epochs must be >= 1, got " + epochs);
        }
        return (epoch, step) -> epoch >= epochs ? to : from + (to - from) * epoch / epochs;
    }

    /**
     * {@code value * factor^floor(epoch / every)} (step decay: multiplied by {@code factor} every {@code every}
     * epochs).
     *
     * @throws IllegalArgumentException if {@code every < 1} or {@code factor} is not positive
     */
    static Schedule stepDecay(double value, int every, double factor) {
        if (every < 1) {
            throw new IllegalArgumentException("every must be >= 1, got " + every);
        }
        if (!(factor > 0)) {
            throw new IllegalArgumentException("factor must be > 0, got " + factor);
        }
        return (epoch, step) -> value * Math.pow(factor, epoch / every);
    }
}
