package org.lipot.lipschitz.loss;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The adaptive softmax temperature of the peers' soft-HKR, as an immutable state that a training loop
 * carries from step to step (deel-lip {@code MulticlassSoftHKR}, deel-torchlip
 * {@code SoftHKRMulticlassLoss}: parameters {@code temperature}, {@code min_margin}, {@code alpha_mean}).
 *
 * <p>It tracks a running mean {@code mu} of the mean absolute output, starting at {@code mu_0 = m}. Each
 * step, <em>before</em> the loss of the batch is computed:
 * <pre>  mu_t = clamp(a mu_{t-1} + (1 - a) mean_{i,k} |f_ik|, 0.005, 1000)
 *  T_t  = clamp(temperature * m / clamp(mu_t, m, 20000), 0.005, 250)</pre>
 * with {@code a = meanDecay} (the peers' {@code alpha_mean}, default 0.99). So the softmax of
 * {@link MulticlassSoftHKR} sharpens relative to the scale the outputs have reached. (deel-torchlip clamps
 * the mean it stores to [0.005, 1000] but divides by the unclamped one; the two differ only when
 * {@code mu} leaves [0.005, 1000].)
 *
 * <p>Use: {@code state = state.update(yPred); loss = state.apply(loss);} then evaluate {@code loss}.
 *
 * @param temperature  the base temperature factor ({@code > 0}; the peers' {@code temperature}, default 1)
 * @param margin       {@code m > 0}, the loss margin
 * @param meanDecay    {@code a} in {@code [0, 1)}
 * @param runningMean  {@code mu}, the current running mean of {@code |f|}
 */
public record SoftHkrTemperature(double temperature, double margin, double meanDecay, double runningMean) {

    private static final double MEAN_MIN = 0.005;
    private static final double MEAN_MAX = 1000.0;
    private static final double SCALE_MAX = 20000.0;
    private static final double T_MIN = 0.005;
    private static final double T_MAX = 250.0;

    public SoftHkrTemperature {
        Batch.checkPositive("temperature", temperature);
        Batch.checkPositive("margin", margin);
        if (!(meanDecay >= 0 && meanDecay < 1)) {
            throw new IllegalArgumentException("meanDecay must be in [0, 1), got " + meanDecay);
        }
        Batch.checkPositive("runningMean", runningMean);
    }

    /** The state before the first step: {@code mu_0 = margin}. */
    public static SoftHkrTemperature initial(double temperature, double margin, double meanDecay) {
        return new SoftHkrTemperature(temperature, margin, meanDecay, margin);
    }

    /**
     * The state after seeing a batch of outputs.
     *
     * @throws IllegalArgumentException if {@code yPred} is empty or has a NaN or infinite entry
     */
    public SoftHkrTemperature update(INDArray yPred) {
        if (yPred == null || yPred.length() == 0) {
            throw new IllegalArgumentException("yPred must not be null or empty");
        }
        double[] f = Batch.doubles(yPred);
        double s = 0;
        for (int i = 0; i < f.length; i++) {
            if (!Double.isFinite(f[i])) {
                throw new IllegalArgumentException("yPred: flat entry " + i + " is " + f[i]);
            }
            s += Math.abs(f[i]);
        }
        double mu = meanDecay * runningMean + (1 - meanDecay) * (s / f.length);
        return new SoftHkrTemperature(temperature, margin, meanDecay, clamp(mu, MEAN_MIN, MEAN_MAX));
    }

    /** {@code T = clamp(temperature * m / clamp(mu, m, 20000), 0.005, 250)}. */
    public double effectiveTemperature() {
        return clamp(temperature * margin / clamp(runningMean, margin, SCALE_MAX), T_MIN, T_MAX);
    }

    /** {@code loss} with this state's {@link #effectiveTemperature()}. */
    public MulticlassSoftHKR apply(MulticlassSoftHKR loss) {
        return loss.withTemperature(effectiveTemperature());
    }

    private static double clamp(double v, double lo, double hi) {
        return Math.max(lo, Math.min(hi, v));
    }
}
