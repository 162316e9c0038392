package org.lipot.lipschitz.kr;

import java.util.Objects;

import org.lipot.lipschitz.layers.Dense;
import org.lipot.lipschitz.nn.Sequential;
import org.lipot.lipschitz.nn.Tensors;

/**
 * The result of {@link KantorovichDual#estimate}: a certified lower bound of the Wasserstein-1 distance between
 * two weighted point clouds, and the trained potential that attains it.
 *
 * <p>With {@code f} the exported potential, {@code L} a sound upper bound on its Lipschitz constant and
 * {@code a}, {@code b} the normalised weights of the clouds {@code x}, {@code y}:
 *
 * <pre>  objective = sum_i a_i f(x_i) - sum_j b_j f(y_j),        value = objective / L</pre>
 *
 * {@code f / L} is 1-Lipschitz for the Euclidean norm, so by Kantorovich-Rubinstein duality
 * {@code value <= W_1(sum_i a_i delta_{x_i}, sum_j b_j delta_{y_j})} (up to float64 rounding of the forward pass,
 * about 1e-15 relative). Units: {@code value} is a distance in the units of the points, {@code W_1} under the
 * Euclidean cost {@code |x - y|_2} (not squared). It is a lower bound of the population {@code W_1} only up to
 * sampling error.
 *
 * @param value            the certified estimate {@code objective / lipschitzBound}, a lower bound of the
 *                         empirical {@code W_1}
 * @param objective        {@code E_a f(x) - E_b f(y)} of the exported potential, evaluated on every point in
 *                         float64
 * @param lipschitzBound   a sound upper bound {@code L} on the Lipschitz constant of {@code potential}
 *                         ({@link Sequential#lipschitzBound()}), at least about 1 for a trained network
 * @param potential        the exported potential {@code f: R^d -> R} (plain float64 {@code Dense} layers and sorting
 *                         activations) acting on the original coordinates; stateful, not thread-safe
 * @param objectiveHistory the training objective of every step, {@code E f(x_batch) - E f(y_batch)} on the step's
 *                         batches before its update, in the units of the points (not divided by {@code L})
 * @param iterations       optimiser steps taken
 */
public record DualEstimate(double value, double objective, double lipschitzBound, Sequential potential,
                           double[] objectiveHistory, int iterations) {

    /**
     * Validates and copies the history.
     *
     * @throws IllegalArgumentException if a number is not finite, the bound is not positive, the potential is null
     *                                  or the history length differs from {@code iterations}
     */
    public DualEstimate {
        if (!Double.isFinite(value) || !Double.isFinite(objective)) {
            throw new IllegalArgumentException("value and objective must be finite, got " + value + " and " + objective);
        }
        if (!(lipschitzBound > 0) || Double.isInfinite(lipschitzBound)) {
            throw new IllegalArgumentException("lipschitzBound must be finite and positive, got " + lipschitzBound);
        }
        Objects.requireNonNull(potential, "potential");
        Objects.requireNonNull(objectiveHistory, "objectiveHistory");
        if (objectiveHistory.length != iterations) {
            throw new IllegalArgumentException("objectiveHistory has length " + objectiveHistory.length
                    + " but iterations = " + iterations);
        }
        objectiveHistory = objectiveHistory.clone();
    }

    /** A copy of the per-step training objective. */
    @Override
    public double[] objectiveHistory() {
        return objectiveHistory.clone();
    }

    /** The training objective of the last step (the last entry of the history), NaN if no step was taken. */
    public double finalTrainingObjective() {
        return iterations == 0 ? Double.NaN : objectiveHistory[iterations - 1];
    }

    /**
     * The certified 1-Lipschitz potential {@code f(p) / L} at each point, in the units of the points; its weighted
     * mean over {@code x} minus that over {@code y} is {@link #value()}.
     *
     * @param points one point per row, each with the dimension the potential was trained on
     * @throws IllegalArgumentException if {@code points} is empty, ragged, of the wrong dimension or holds NaN or
     *                                  infinite coordinates
     */
    public double[] evaluate(double[][] points) {
        int d = ((Dense) potential.layers().get(0)).inputSize();
        double[] f = Tensors.toDoubles(potential.forward(PointClouds.matrix("points", points, d), false));
        for (int i = 0; i < f.length; i++) {
            f[i] /= lipschitzBound;
        }
        return f;
    }
}
