package org.lipot.lipschitz.loss;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Cross-entropy of the softmax of the outputs scaled by a temperature {@code tau}, divided by {@code tau}
 * (deel-lip {@code TauCategoricalCrossentropy}, deel-torchlip {@code TauCrossEntropyLoss}):
 *
 * <pre>  per_i = sum_k t_ik (logsumexp_j(tau f_ij) - tau f_ik) / tau,    t_ik = max(y_ik, 0)</pre>
 *
 * For one-hot labels that is {@code (logsumexp(tau f_i) - tau f_iy) / tau}. Dividing by {@code tau} keeps
 * the loss in the units of {@code f}: as {@code tau -> infinity} it tends to the multiclass hinge
 * {@code max(0, max_{j != y} f_j - f_y)}, as {@code tau -> 0} to a linear loss; a 1-Lipschitz network
 * trained with a large {@code tau} gets larger margins (certificates) and a lower clean accuracy.
 * Gradient {@code (softmax(tau f_i) sum_k t_ik - t_i) / B}. Computed with the max subtracted and
 * {@code log1p}, so large {@code tau f} neither overflows nor loses the small per-sample values.
 *
 * @param tau the temperature, {@code > 0}, in 1 / (units of {@code f})
 */
public record TauCategoricalCrossentropy(double tau) implements BatchLoss {

    public TauCategoricalCrossentropy {
        Batch.checkPositive("tau", tau);
    }

    /** The same loss with another temperature. */
    public TauCategoricalCrossentropy withTau(double newTau) {
        return new TauCategoricalCrossentropy(newTau);
    }

    @Override
    public String name() {
        return "TauCategoricalCrossentropy(tau=" + tau + ")";
    }

    @Override
    public Batch batch(INDArray yPred, INDArray yTrue) {
        return Batch.multiclass(yPred, yTrue);
    }

    @Override
    public double compute(Batch b, double[] perSample, double[] grad) {
        int rows = b.rows;
        int cols = b.cols;
        double[] e = new double[cols];
        double total = 0;
        for (int i = 0; i < rows; i++) {
            int base = i * cols;
            int argmax = 0;
            for (int k = 1; k < cols; k++) {
                if (b.f[base + k] > b.f[base + argmax]) {
                    argmax = k;
                }
            }
            double zMax = tau * b.f[base + argmax];
            double rest = 0; // sum over k != argmax of exp(z_k - z_max)
            for (int k = 0; k < cols; k++) {
                e[k] = k == argmax ? 1.0 : Math.exp(tau * b.f[base + k] - zMax);
                if (k != argmax) {
                    rest += e[k];
                }
            }
            double logNorm = Math.log1p(rest);
            double per = 0;
            double targetMass = 0;
            for (int k = 0; k < cols; k++) {
                double t = Math.max(b.y[base + k], 0.0);
                if (t != 0) {
                    per += t * ((zMax - tau * b.f[base + k]) + logNorm);
                    targetMass += t;
                }
            }
            per /= tau;
            perSample[i] = per;
            total += per;
            if (grad != null) {
                double norm = 1.0 + rest;
                for (int k = 0; k < cols; k++) {
                    double t = Math.max(b.y[base + k], 0.0);
                    grad[base + k] = (e[k] / norm * targetMass - t) / rows;
                }
            }
        }
        return total / rows;
    }
}
