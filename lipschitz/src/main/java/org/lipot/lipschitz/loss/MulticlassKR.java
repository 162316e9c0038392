package org.lipot.lipschitz.loss;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Multiclass Kantorovich-Rubinstein term (deel-lip {@code MulticlassKR}): the binary {@link KR} of each
 * output column "class k versus the rest", averaged over the {@code C} columns,
 *
 * <pre>  KR = (1/C) sum_k [ mean_{i: y_ik > 0} f_ik - mean_{i: y_ik <= 0} f_ik ]</pre>
 *
 * A group that is empty in the batch (a class absent from it) contributes 0, so that column only has its
 * negative term. {@code dKR/df_ik = (1/C)(1/n_k)} if {@code y_ik > 0}, else {@code -(1/C)(1/(B - n_k))};
 * per-sample values {@code B sum_k f_ik dKR/df_ik} average to KR. {@code yTrue} may be one-hot or
 * multi-label (each column is its own binary problem). A quantity to maximise; {@link MulticlassHKR}
 * minimises {@code -KR}.
 */
public record MulticlassKR() implements BatchLoss {

    @Override
    public String name() {
        return "MulticlassKR";
    }

    @Override
    public Batch batch(INDArray yPred, INDArray yTrue) {
        return Batch.multiclass(yPred, yTrue);
    }

    @Override
    public double compute(Batch b, double[] perSample, double[] grad) {
        return Terms.kr(b, 1.0, perSample, grad);
    }
}
