package org.lipot.lipschitz.loss;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Binary hinge-Kantorovich-Rubinstein loss (Serrurier et al., "Achieving robustness in classification using
 * optimal transport with hinge regularization", CVPR 2021): the negated {@link KR} term regularised by the
 * {@link HingeMargin} term,
 *
 * <pre>  deel-lip:       HKR = -KR + alpha * H                 (alpha >= 0; +infinity = hinge only)
 *  deel-torchlip:  HKR = alpha * H - (1 - alpha) * KR    (alpha in [0, 1])</pre>
 *
 * with {@code H = mean_i relu(m/2 - s_i f_i)}. See {@link AlphaConvention}; build with {@link #deelLip} or
 * {@link #torchlip}. Per-sample values and gradients are the same combinations of those of the two terms.
 *
 * @param convention how {@code alpha} weighs the terms
 * @param alpha      the trade-off, in the range of {@code convention}
 * @param margin     {@code m >= 0}, in the units of {@code f}
 */
public record HKR(AlphaConvention convention, double alpha, double margin) implements BatchLoss {

    public HKR {
        if (convention == null) {
            throw new IllegalArgumentException("convention must not be null");
        }
        convention.validate(alpha);
        Batch.checkMargin(margin);
    }

    /** {@code -KR + alpha * hinge} (deel-lip {@code HKR(alpha, min_margin)}), {@code alpha >= 0}. */
    public static HKR deelLip(double alpha, double margin) {
        return new HKR(AlphaConvention.DEEL_LIP, alpha, margin);
    }

    /** {@code alpha * hinge - (1 - alpha) * KR} (deel-torchlip), {@code alpha} in {@code [0, 1]}. */
    public static HKR torchlip(double alpha, double margin) {
        return new HKR(AlphaConvention.DEEL_TORCHLIP, alpha, margin);
    }

    /** The same loss with another alpha (same convention). */
    public HKR withAlpha(double newAlpha) {
        return new HKR(convention, newAlpha, margin);
    }

    /** The same loss with another margin. */
    public HKR withMargin(double newMargin) {
        return new HKR(convention, alpha, newMargin);
    }

    @Override
    public String name() {
        return "HKR(alpha=" + alpha + " [" + convention.label() + "], margin=" + margin + ")";
    }

    @Override
    public Batch batch(INDArray yPred, INDArray yTrue) {
        return Batch.binary(yPred, yTrue);
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
            v += Terms.binaryHinge(b, margin, hw, perSample, grad);
        }
        return v;
    }
}
