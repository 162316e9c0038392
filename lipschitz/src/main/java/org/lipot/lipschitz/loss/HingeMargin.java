package org.lipot.lipschitz.loss;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Binary hinge loss with margin {@code m} (deel-lip {@code HingeMargin(min_margin)}):
 *
 * <pre>  H = mean_i relu(m/2 - s_i f_i),   s_i = +1 if y_i > 0 else -1</pre>
 *
 * It is zero once every sample is on its side of the decision boundary with {@code |f| >= m/2}; for a
 * 1-Lipschitz {@code f} that is a certified radius of {@code m/2}. Gradient {@code -s_i / B} where
 * {@code m/2 - s_i f_i > 0}, 0 elsewhere (relu'(0) = 0).
 *
 * @param margin {@code m >= 0}, in the units of {@code f}
 */
public record HingeMargin(double margin) implements BatchLoss {

    public HingeMargin {
        Batch.checkMargin(margin);
    }

    /** The same loss with another margin. */
    public HingeMargin withMargin(double newMargin) {
        return new HingeMargin(newMargin);
    }

    @Override
    public String name() {
        return "HingeMargin(margin=" + margin + ")";
    }

    @Override
    public Batch batch(INDArray yPred, INDArray yTrue) {
        return Batch.binary(yPred, yTrue);
    }

    @Override
    public double compute(Batch b, double[] perSample, double[] grad) {
        return Terms.binaryHinge(b, margin, 1.0, perSample, grad);
    }
}
