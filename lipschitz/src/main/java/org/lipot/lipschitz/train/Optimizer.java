package org.lipot.lipschitz.train;

import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import org.lipot.lipschitz.nn.Parameter;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.AdamUpdater;
import org.nd4j.linalg.learning.GradientUpdater;
import org.nd4j.linalg.learning.NesterovsUpdater;
import org.nd4j.linalg.learning.SgdUpdater;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.learning.config.Sgd;

/**
 * A first-order optimiser over {@link Parameter}s, backed by ND4J's fused updaters (one native op per parameter and
 * step). Each step reads {@link Parameter#gradient()}, turns it into the update in place (so the gradient array is
 * consumed) and subtracts the update from {@link Parameter#value()}; the caller zeroes the gradients before the next
 * backward pass. The optimiser keeps per-parameter state (Adam's moments, momentum) keyed by parameter identity.
 *
 * <ul>
 *   <li>{@link #adam}: {@code m = b1 m + (1 - b1) g}, {@code v = b2 v + (1 - b2) g^2},
 *       {@code theta -= lr m_hat / (sqrt(v_hat) + eps)} with {@code m_hat = m / (1 - b1^t)},
 *       {@code v_hat = v / (1 - b2^t)} (Kingma and Ba's algorithm 1, PyTorch's and TensorFlow's form). ND4J's
 *       updater adds its epsilon to {@code sqrt(v)} instead, which is this form with {@code eps / sqrt(1 - b2^t)}
 *       (32 eps at the first step), so each step hands it {@code eps sqrt(1 - b2^t)}.</li>
 *   <li>{@link #sgd}: {@code theta -= lr g}; with momentum {@code mu > 0} Nesterov momentum.</li>
 * </ul>
 */
public final class Optimizer {

    private final String name;
    private final Supplier<GradientUpdater<?>> factory;
    private final Map<Parameter, GradientUpdater<?>> updaters = new IdentityHashMap<>();
    private final double adamEpsilon;
    private int iteration;

    private Optimizer(String name, Supplier<GradientUpdater<?>> factory, double adamEpsilon) {
        this.name = name;
        this.factory = factory;
        this.adamEpsilon = adamEpsilon;
    }

    /**
     * Adam with the given moment decay rates and epsilon (PyTorch's and deel-lip's defaults are 0.9, 0.999, 1e-8).
     *
     * @throws IllegalArgumentException if a rate is outside [0, 1) or epsilon is not positive
     */
    public static Optimizer adam(double beta1, double beta2, double epsilon) {
        if (!(beta1 >= 0 && beta1 < 1)) {
            throw new IllegalArgumentException("beta1 must be in [0, 1), got " + beta1);
        }
        if (!(beta2 >= 0 && beta2 < 1)) {
            throw new IllegalArgumentException("beta2 must be in [0, 1), got " + beta2);
        }
        if (!(epsilon > 0)) {
            throw new IllegalArgumentException("epsilon must be > 0, got " + epsilon);
        }
        return new Optimizer(String.format("Adam(beta1=%s, beta2=%s, eps=%s)", beta1, beta2, epsilon),
                () -> new AdamUpdater(new Adam(1e-3, beta1, beta2, epsilon)), epsilon);
    }

    /** Adam with beta1 0.9, beta2 0.999, epsilon 1e-8. */
    public static Optimizer adam() {
        return adam(0.9, 0.999, 1e-8);
    }

    /**
     * Stochastic gradient descent, with Nesterov momentum {@code momentum} if it is positive.
     *
     * @throws IllegalArgumentException if momentum is outside [0, 1)
     */
    public static Optimizer sgd(double momentum) {
        if (!(momentum >= 0 && momentum < 1)) {
            throw new IllegalArgumentException("momentum must be in [0, 1), got " + momentum);
        }
        return new Optimizer(momentum == 0 ? "SGD" : "SGD(nesterov momentum=" + momentum + ")",
                () -> momentum == 0 ? new SgdUpdater(new Sgd(1e-2)) : new NesterovsUpdater(new Nesterovs(1e-2, momentum)),
                Double.NaN);
    }

    /**
     * One step on every parameter with the given learning rate. Consumes the gradients (they hold the updates
     * afterwards).
     *
     * @throws IllegalArgumentException if the learning rate is not a positive finite number
     */
    public void step(List<Parameter> parameters, double learningRate) {
        if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
            throw new IllegalArgumentException("learning rate must be a positive finite number, got " + learningRate);
        }
        for (Parameter p : parameters) {
            GradientUpdater<?> u = updaters.computeIfAbsent(p, this::newUpdater);
            u.getConfig().setLrAndSchedule(learningRate, null);
            if (u.getConfig() instanceof Adam adam) {
                // ND4J adds its epsilon to sqrt(v): sqrt(1 - b2^t) eps there is eps on sqrt(v_hat)
                adam.setEpsilon(adamEpsilon * Math.sqrt(1 - Math.pow(adam.getBeta2(), iteration + 1)));
            }
            INDArray g = p.gradient();
            u.applyUpdater(g, iteration, 0);
            p.value().subi(g);
        }
        iteration++;
    }

    /** Steps taken so far. */
    public int iterations() {
        return iteration;
    }

    private GradientUpdater<?> newUpdater(Parameter p) {
        GradientUpdater<?> u = factory.get();
        long state = u.getConfig().stateSize(p.size());
        if (state > 0) {
            INDArray view = Nd4j.zeros(p.value().dataType(), 1, state);
            u.setStateViewArray(view, p.value().shape(), 'c', true);
        }
        return u;
    }

    @Override
    public String toString() {
        return name;
    }
}
