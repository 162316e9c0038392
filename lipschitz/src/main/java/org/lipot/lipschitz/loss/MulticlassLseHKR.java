package org.lipot.lipschitz.loss;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Log-sum-exp multiclass HKR (deel-torchlip {@code LseHKRMulticlassLoss}): a per-sample HKR in which the
 * largest other-class output is replaced by a smooth maximum, a log-sum-exp whose sharpness is chosen so
 * that it overestimates the maximum by at most {@code penalty * m / 2}.
 *
 * <p>Exact definition used here. With {@code g = T f} (the outputs times the temperature {@code T};
 * everything below, the margin included, applies to {@code g}), {@code C >= 2} classes and true class
 * {@code y}:
 * <pre>  t     = log(C - 1) / (penalty * m / 2)
 *  N_i   = (1/t) log sum_{k != y} exp(t g_ik)           (for C = 2: N_i = the single other output, the
 *                                                         limit t -> 0)
 *  KR_i  = g_{i,y} - N_i
 *  H_i   = relu(m/2 - g_{i,y}) + relu(m/2 + N_i)
 *  per_i = -w_KR KR_i + w_H H_i,      value = mean_i per_i</pre>
 * {@code max_{k != y} g_k <= N_i <= max_{k != y} g_k + penalty * m / 2}. {@code (w_KR, w_H)} =
 * {@code (1, alpha)} (deel-lip convention) or {@code (1 - alpha, alpha)} (deel-torchlip convention, the
 * one of the peer's class; see {@link AlphaConvention}).
 *
 * <p>Gradient: {@code dN_i/dg_ik = softmax_k(t g_i, k != y)}; {@code d per_i/dg_{i,y} = -w_KR - w_H
 * [m/2 - g_y > 0]}, {@code d per_i/dN_i = w_KR + w_H [m/2 + N_i > 0]}; times {@code T} for {@code f} and
 * {@code 1/B} for the mean. The hinge kinks remain (relu'(0) = 0); what is smooth is the maximum.
 *
 * @param convention  how {@code alpha} weighs the terms
 * @param alpha       the trade-off, in the range of {@code convention}
 * @param margin      {@code m > 0}, in the units of {@code g}
 * @param temperature {@code T > 0}, the factor applied to the outputs (the peer's default 1)
 * @param penalty     {@code > 0}, the log-sum-exp overestimate in units of {@code m / 2} (the peer's default 1)
 */
public record MulticlassLseHKR(AlphaConvention convention, double alpha, double margin, double temperature,
                               double penalty) implements BatchLoss {

    public MulticlassLseHKR {
        if (convention == null) {
            throw new IllegalArgumentException("convention must not be null");
        }
        convention.validate(alpha);
        Batch.checkPositive("margin", margin);
        Batch.checkPositive("temperature", temperature);
        Batch.checkPositive("penalty", penalty);
    }

    /** {@code -KR_lse + alpha * H_lse}, {@code alpha >= 0}. */
    public static MulticlassLseHKR deelLip(double alpha, double margin, double temperature, double penalty) {
        return new MulticlassLseHKR(AlphaConvention.DEEL_LIP, alpha, margin, temperature, penalty);
    }

    /** {@code alpha * H_lse - (1 - alpha) KR_lse}, alpha in [0, 1]: deel-torchlip's LseHKRMulticlassLoss. */
    public static MulticlassLseHKR torchlip(double alpha, double margin, double temperature, double penalty) {
        return new MulticlassLseHKR(AlphaConvention.DEEL_TORCHLIP, alpha, margin, temperature, penalty);
    }

    /** The same loss with another alpha (same convention). */
    public MulticlassLseHKR withAlpha(double newAlpha) {
        return new MulticlassLseHKR(convention, newAlpha, margin, temperature, penalty);
    }

    /** The same loss with another margin. */
    public MulticlassLseHKR withMargin(double newMargin) {
        return new MulticlassLseHKR(convention, alpha, newMargin, temperature, penalty);
    }

    /** The same loss with another temperature. */
    public MulticlassLseHKR withTemperature(double newTemperature) {
        return new MulticlassLseHKR(convention, alpha, margin, newTemperature, penalty);
    }

    @Override
    public String name() {
        return "MulticlassLseHKR(alpha=" + alpha + " [" + convention.label() + "], margin=" + margin
                + ", temperature=" + temperature + ", penalty=" + penalty + ")";
    }

    @Override
    public Batch batch(INDArray yPred, INDArray yTrue) {
        return Batch.multiclass(yPred, yTrue).requireClasses(2, "a maximum over the other classes");
    }

    @Override
    public double compute(Batch b, double[] perSample, double[] grad) {
        int rows = b.rows;
        int cols = b.cols;
        int[] labels = b.labels();
        double kw = convention.krWeight(alpha);
        double hw = convention.hingeWeight(alpha);
        double half = margin / 2;
        double sharp = cols > 2 ? Math.log(cols - 1.0) / (penalty * half) : 0.0;
        double[] w = new double[cols];
        double total = 0;
        for (int i = 0; i < rows; i++) {
            int base = i * cols;
            int y = labels[i];
            double max = Double.NEGATIVE_INFINITY;
            for (int k = 0; k < cols; k++) {
                if (k != y) {
                    max = Math.max(max, temperature * b.f[base + k]);
                }
            }
            double lse;
            if (cols == 2) {
                lse = max;
                w[1 - y] = 1.0;
            } else {
                double s = 0;
                for (int k = 0; k < cols; k++) {
                    w[k] = k == y ? 0.0 : Math.exp(sharp * (temperature * b.f[base + k] - max));
                    s += w[k];
                }
                lse = max + Math.log(s) / sharp;
                for (int k = 0; k < cols; k++) {
                    w[k] /= s;
                }
            }
            double gy = temperature * b.f[base + y];
            double per = kw * (lse - gy) + hw * (Batch.relu(half - gy) + Batch.relu(half + lse));
            perSample[i] = per;
            total += per;
            if (grad != null) {
                double dy = -kw - (half - gy > 0 ? hw : 0.0);
                double dn = kw + (half + lse > 0 ? hw : 0.0);
                double scale = temperature / rows;
                for (int k = 0; k < cols; k++) {
                    grad[base + k] = (k == y ? dy : dn * w[k]) * scale;
                }
            }
        }
        return total / rows;
    }
}
