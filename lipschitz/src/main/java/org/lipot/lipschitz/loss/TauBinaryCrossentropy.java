package org.lipot.lipschitz.loss;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Binary cross-entropy of {@code sigmoid(tau f)}, divided by {@code tau} (deel-lip
 * {@code TauBinaryCrossentropy}, deel-torchlip {@code TauBCEWithLogitsLoss}):
 *
 * <pre>  per_i = (softplus(tau f_i) - t_i tau f_i) / tau = softplus(-s_i tau f_i) / tau,
 *  t_i = 1 if y_i > 0 else 0,   s_i = 2 t_i - 1.</pre>
 *
 * Gradient {@code (sigmoid(tau f_i) - t_i) / B}. The second form is used, with
 * {@code softplus(x) = max(x, 0) + log1p(exp(-|x|))}, so it neither overflows nor cancels.
 *
 * @param tau the temperature, {@code > 0}, in 1 / (units of {@code f})
 */
public record TauBinaryCrossentropy(double tau) implements BatchLoss {

    public TauBinaryCrossentropy {
        Batch.checkPositive("tau", tau);
    }

    /** The same loss with another temperature. */
    public TauBinaryCrossentropy withTau(double newTau) {
        return new TauBinaryCrossentropy(newTau);
    }

    @Override
    public String name() {
        return "TauBinaryCrossentropy(tau=" + tau + ")";
    }

    @Override
    public Batch batch(INDArray yPred, INDArray yTrue) {
        return Batch.binary(yPred, yTrue);
    }

    @Override
    public double compute(Batch b, double[] perSample, double[] grad) {
        int rows = b.rows;
        double total = 0;
        for (int i = 0; i < rows; i++) {
            double s = b.positive(i) ? 1.0 : -1.0;
            double x = -s * tau * b.f[i];
            double per = (Math.max(x, 0.0) + Math.log1p(Math.exp(-Math.abs(x)))) / tau;
            perSample[i] = per;
            total += per;
            if (grad != null) {
                grad[i] = -s / (1.0 + Math.exp(-x)) / rows; // -s * sigmoid(-s tau f) / B
            }
        }
        return total / rows;
    }
}
