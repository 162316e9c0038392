package org.lipot.lipschitz.loss;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Multiclass hinge loss with margin {@code m} (deel-lip {@code MulticlassHinge}): the binary hinge of each
 * output column, with the positive entry weighted {@code C - 1} so that it balances the {@code C - 1}
 * negative ones,
 *
 * <pre>  H = (1/(B C)) sum_i sum_k w_ik relu(m/2 - s_ik f_ik),
 *  s_ik = +1 if y_ik > 0 else -1,   w_ik = C - 1 if y_ik > 0 else 1.</pre>
 *
 * Per-sample {@code (1/C) sum_k w_ik relu(...)}; gradient {@code -w_ik s_ik / (B C)} where the argument is
 * {@code > 0}, 0 elsewhere (relu'(0) = 0). Needs {@code C >= 2}.
 *
 * @param margin {@code m >= 0}, in the units of {@code f}
 */
public record MulticlassHinge(double margin) implements BatchLoss {

    public MulticlassHinge {
        Batch.checkMargin(margin);
    }

    /** The same loss with another margin. */
    public MulticlassHinge withMargin(double newMargin) {
        return new MulticlassHinge(newMargin);
    }

    @Override
    public String name() {
        return "MulticlassHinge(margin=" + margin + ")";
    }

    @Override
    public Batch batch(INDArray yPred, INDArray yTrue) {
        return Batch.multiclass(yPred, yTrue).requireClasses(2, "multiclass hinge");
    }

    @Override
    public double compute(Batch b, double[] perSample, double[] grad) {
        return Terms.multiclassHinge(b, margin, 1.0, perSample, grad);
    }
}
