package org.lipot.lipschitz.loss;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A training loss of a batch of network outputs, with its gradient with respect to the outputs.
 *
 * <p><b>Shapes.</b> {@code yPred} holds the outputs {@code f} of a batch of {@code B} inputs:
 * {@code B x C} for multiclass losses; {@code B x 1} or a vector of length {@code B} for binary losses.
 * {@code yTrue} has the same shape: one-hot rows for multiclass losses (an entry is "positive" iff it is
 * {@code > 0}); for binary losses one label per sample, positive iff {@code y > 0} (so {0, 1} and {-1, 1}
 * labels both work), with sign {@code s = +1} for positives and {@code -1} otherwise.
 *
 * <p><b>Reduction.</b> {@link #value} is the mean of {@link #perSample} over the batch (deel-lip's and
 * deel-torchlip's "mean" and "none" reductions). Losses whose terms are batch-wise (KR: a difference of
 * group means) define per-sample values whose mean is the loss, exactly as deel-lip does.
 *
 * <p><b>Gradients.</b> {@link #evaluate} returns {@code d value / d yPred}, of the shape of {@code yPred}.
 * At a hinge kink ({@code relu} argument exactly 0) the derivative of {@code relu} is taken as 0, as in
 * PyTorch and TensorFlow.
 *
 * <p><b>Types.</b> Inputs may be float32 or float64 (or any floating type); the computation is carried out
 * in double precision and the per-sample values and gradients come back in the data type of {@code yPred}.
 * Inputs are never modified.
 *
 * <p><b>Immutability.</b> Losses are immutable values. Hyper-parameters that a schedule changes (alpha,
 * margin, temperature) are changed by building a new instance ({@code withAlpha}, {@code withMargin}, ...).
 *
 * <p>Bad input (mismatched shapes, an empty batch, NaN or infinite entries, a multiclass row without
 * exactly one positive label where the loss needs one) raises {@link IllegalArgumentException} naming the
 * argument.
 */
public interface Loss {

    /** A short name, for example {@code "MulticlassHKR(alpha=100.0 [deel-lip], margin=1.0)"}. */
    String name();

    /** The loss: mean over the batch of {@link #perSample}. */
    double value(INDArray yPred, INDArray yTrue);

    /** The per-sample values, a vector of length {@code B} in the data type of {@code yPred}. */
    INDArray perSample(INDArray yPred, INDArray yTrue);

    /** The loss and its gradient {@code d value / d yPred} in one pass. */
    LossEvaluation evaluate(INDArray yPred, INDArray yTrue);
}
