package org.lipot.lipschitz.loss;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Soft multiclass HKR (deel-lip {@code MulticlassSoftHKR}, deel-torchlip {@code SoftHKRMulticlassLoss};
 * Serrurier, Mamalet, Fel et al., "On the explainable properties of 1-Lipschitz neural networks: an optimal
 * transport perspective", 2023). Instead of the batch-wise one-versus-rest KR term and the hinge on every
 * column, each sample is compared with a softmax-weighted mixture of its <em>other</em> classes, so the
 * classes that are closest to the true one dominate:
 *
 * <pre>  p_ik   = exp(T f_ik) / sum_{j != y_i} exp(T f_ij)     for k != y_i     (softmax over the other classes)
 *  KR_i   = f_{i,y_i} - sum_{k != y_i} p_ik f_ik
 *  H_i    = relu(m/2 - f_{i,y_i}) + sum_{k != y_i} p_ik relu(m/2 + f_ik)
 *  per_i  = -w_KR KR_i + w_H H_i,      value = mean_i per_i</pre>
 *
 * with {@code (w_KR, w_H) = (1, alpha)} in the deel-lip convention and {@code (1 - alpha, alpha)} in the
 * deel-torchlip one ({@link AlphaConvention}). The peers' own soft-HKR classes take {@code alpha} in
 * {@code [0, 1]}: use {@link #torchlip} to reproduce them. Note there is no {@code 1/C} factor (the sum over
 * the other classes has softmax weights summing to 1).
 *
 * <p><b>Gradient.</b> The softmax weights are differentiated (as in the peers, where only the temperature
 * is detached): with {@code g_ik = w_KR f_ik + w_H relu(m/2 + f_ik)} and {@code gbar_i = sum_k p_ik g_ik},
 * {@code d per_i / d f_ik = p_ik (w_KR + w_H [m/2 + f_ik > 0]) + T p_ik (g_ik - gbar_i)} for
 * {@code k != y_i}, and {@code d per_i / d f_{i,y_i} = -w_KR - w_H [m/2 - f_{i,y_i} > 0]}; the mean adds a
 * factor {@code 1/B}.
 *
 * <p><b>Temperature.</b> {@code T} here is the softmax temperature actually applied. The peers adapt it
 * during training from a running mean of {@code |f|} (it starts at their base {@code temperature} and falls
 * as the outputs grow beyond the margin); that running state lives in {@link SoftHkrTemperature}, which
 * builds the loss for each step with {@link #withTemperature}, so this record stays immutable. Needs one-hot labels and
 * {@code C >= 2}.
 *
 * @param convention  how {@code alpha} weighs the terms
 * @param alpha       the trade-off, in the range of {@code convention}
 * @param margin      {@code m >= 0}, in the units of {@code f}
 * @param temperature softmax temperature {@code T > 0}, in 1 / (units of {@code f})
 */
public record MulticlassSoftHKR(AlphaConvention convention, double alpha, double margin, double temperature)
        implements BatchLoss {

    public MulticlassSoftHKR {
        if (convention == null) {
            throw new IllegalArgumentException("convention must not be null");
        }
        convention.validate(alpha);
        Batch.checkMargin(margin);
        Batch.checkPositive("temperature", temperature);
    }

    /** {@code -KR_soft + alpha * H_soft}, {@code alpha >= 0}. */
    public static MulticlassSoftHKR deelLip(double alpha, double margin, double temperature) {
        return new MulticlassSoftHKR(AlphaConvention.DEEL_LIP, alpha, margin, temperature);
    }

    /** {@code alpha * H_soft - (1 - alpha) KR_soft}, alpha in [0, 1]: the peers' own soft-HKR. */
    public static MulticlassSoftHKR torchlip(double alpha, double margin, double temperature) {
        return new MulticlassSoftHKR(AlphaConvention.DEEL_TORCHLIP, alpha, margin, temperature);
    }

    /** The same loss with another alpha (same convention). */
    public MulticlassSoftHKR withAlpha(double newAlpha) {
        return new MulticlassSoftHKR(convention, newAlpha, margin, temperature);
    }

    /** The same loss with another margin. */
    public MulticlassSoftHKR withMargin(double newMargin) {
        return new MulticlassSoftHKR(convention, alpha, newMargin, temperature);
    }

    /** The same loss with another softmax temperature. */
    public MulticlassSoftHKR withTemperature(double newTemperature) {
        return new MulticlassSoftHKR(convention, alpha, margin, newTemperature);
    }

    @Override
    public String name() {
        return "MulticlassSoftHKR(alpha=" + alpha + " [" + convention.label() + "], margin=" + margin
                + ", temperature=" + temperature + ")";
    }

    @Override
    public Batch batch(INDArray yPred, INDArray yTrue) {
        return Batch.multiclass(yPred, yTrue).requireClasses(2, "a softmax over the other classes");
    }

    @Override
    public double compute(Batch b, double[] perSample, double[] grad) {
        int rows = b.rows;
        int cols = b.cols;
        int[] labels = b.labels();
        double kw = convention.krWeight(alpha);
        double hw = convention.hingeWeight(alpha);
        double half = margin / 2;
        double[] p = new double[cols];
        double total = 0;
        for (int i = 0; i < rows; i++) {
            int base = i * cols;
            int y = labels[i];
            double max = Double.NEGATIVE_INFINITY;
            for (int k = 0; k < cols; k++) {
                if (k != y) {
                    max = Math.max(max, b.f[base + k]);
                }
            }
            double norm = 0;
            for (int k = 0; k < cols; k++) {
                p[k] = k == y ? 0.0 : Math.exp(temperature * (b.f[base + k] - max));
                norm += p[k];
            }
            double fy = b.f[base + y];
            double mixed = 0; // sum_k p_k g_k = the weighted negative part of per_i
            for (int k = 0; k < cols; k++) {
                if (k != y) {
                    p[k] /= norm;
                    double fk = b.f[base + k];
                    mixed += p[k] * (kw * fk + hw * Batch.relu(half + fk));
                }
            }
            double per = -kw * fy + hw * Batch.relu(half - fy) + mixed;
            perSample[i] = per;
            total += per;
            if (grad != null) {
                for (int k = 0; k < cols; k++) {
                    double fk = b.f[base + k];
                    if (k == y) {
                        grad[base + k] = (-kw - (half - fk > 0 ? hw : 0.0)) / rows;
                    } else {
                        double gk = kw * fk + hw * Batch.relu(half + fk);
                        double direct = kw + (half + fk > 0 ? hw : 0.0);
                        grad[base + k] = p[k] * (direct + temperature * (gk - mixed)) / rows;
                    }
                }
            }
        }
        return total / rows;
    }
}
