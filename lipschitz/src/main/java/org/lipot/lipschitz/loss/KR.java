package org.lipot.lipschitz.loss;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Binary Kantorovich-Rubinstein (KR) term, the dual estimate of the Wasserstein-1 distance between the
 * positive and the negative samples of a batch when {@code f} is 1-Lipschitz:
 *
 * <pre>  KR = mean_{i: y_i > 0} f_i  -  mean_{i: y_i <= 0} f_i</pre>
 *
 * The mean over an empty group is 0 (deel-torchlip's {@code nan_to_num}; deel-lip adds 1e-7 to the group
 * counts instead, a relative difference below 1e-7). Per-sample values {@code B f_i / n_pos} (positive) and
 * {@code -B f_i / n_neg} (negative) have KR as their mean; {@code dKR/df_i = 1/n_pos} or {@code -1/n_neg}.
 * KR is a quantity to <em>maximise</em>; {@link HKR} minimises {@code -KR}. Units: those of {@code f}.
 */
public record KR() implements BatchLoss {

    @Override
    public String name() {
        return "KR";
    }

    @Override
    public Batch batch(INDArray yPred, INDArray yTrue) {
        return Batch.binary(yPred, yTrue);
    }

    @Override
    public double compute(Batch b, double[] perSample, double[] grad) {
        return Terms.kr(b, 1.0, perSample, grad);
    }
}
