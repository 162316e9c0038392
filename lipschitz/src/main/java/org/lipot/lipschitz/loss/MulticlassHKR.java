package org.lipot.lipschitz.loss;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Multiclass hinge-Kantorovich-Rubinstein loss: {@link MulticlassKR} regularised by {@link MulticlassHinge},
 *
 * <pre>  deel-lip:       L = -KR + alpha * H                 (alpha >= 0; +infinity = hinge only)
 *  deel-torchlip:  L = alpha * H - (1 - alpha) * KR    (alpha in [0, 1])</pre>
 *
 * with {@code KR = (1/C) sum_k [mean_{y_i = k} f_ik - mean_{y_i != k} f_ik]} (empty group: 0) and
 * {@code H = (1/(B C)) sum_i sum_k w_ik relu(m/2 - s_ik f_ik)} ({@code w = C - 1} on the true class, 1
 * elsewhere). deel-lip's {@code MulticlassHKR(alpha, min_margin)} and the benchmark peer use the first form
 * (for example alpha 100, m 1 on Fashion-MNIST); deel-torchlip's {@code HKRMulticlassLoss(alpha')} is the
 * second and equals the first divided by {@code 1 + alpha} when {@code alpha' = alpha / (1 + alpha)}. See
 * {@link AlphaConvention}.
 *
 * @param convention how {@code alpha} weighs the terms
 * @param alpha      the trade-off, in the range of {@code convention}
 * @param margin     {@code m >= 0}, in the units of {@code f}
 */
public record MulticlassHKR(AlphaConvention convention, double alpha, double margin) implements BatchLoss {

    public MulticlassHKR {
        if (convention == null) {
            throw new IllegalArgumentException("convention must not be null");
        }
        convention.validate(alpha);
        Batch.checkMargin(margin);
    }

    /** {@code -KR + alpha * hinge} (deel-lip {@code MulticlassHKR(alpha, min_margin)}), {@code alpha >= 0}. */
    public static MulticlassHKR deelLip(double alpha, double margin) {
        return new MulticlassHKR(AlphaConvention.DEEL_LIP, alpha, margin);
    }

    /** {@code alpha * hinge - (1 - alpha) * KR} (deel-torchlip {@code HKRMulticlassLoss}), alpha in [0, 1]. */
    public static MulticlassHKR torchlip(double alpha, double margin) {
        return new MulticlassHKR(AlphaConvention.DEEL_TORCHLIP, alpha, margin);
    }

    /** The same loss with another alpha (same convention). */
    public MulticlassHKR withAlpha(double newAlpha) {
        return new MulticlassHKR(convention, newAlpha, margin);
    }

    /** The same loss with another margin. */
    public MulticlassHKR withMargin(double newMargin) {
        return new MulticlassHKR(convention, alpha, newMargin);
    }

    @Override
    public String name() {
        return "MulticlassHKR(alpha=" + alpha + " [" + convention.label() + "], margin=" + margin + ")";
    }

    @Override
    public Batch batch(INDArray yPred, INDArray yTrue) {
        return Batch.multiclass(yPred, yTrue).requireClasses(2, "multiclass hinge");
    }

    @Override
    public double compute(Batch b, double[] perSample, double[] grad) {
        double v = 0;
        double kw = convention.krWeight(alpha);
        double hw = convention.hingeWeight(alpha);
        if (kw != 0) {
            v += Terms.kr(b, -kw, perSample, grad);
        }
        if (hw != 0) {
            v += Terms.multiclassHinge(b, margin, hw, perSample, grad);
        }
        return v;
    }
}
