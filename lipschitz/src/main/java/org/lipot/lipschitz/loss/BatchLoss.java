package org.lipot.lipschitz.loss;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A {@link Loss} computed by one kernel over a validated {@link Batch}: {@link #value}, {@link #perSample} and
 * {@link #evaluate} all run {@link #compute} on {@link #batch}, asking only for what they return.
 */
interface BatchLoss extends Loss {

    /** The validated batch of {@code yPred} and {@code yTrue} (binary or multiclass, with this loss's needs). */
    Batch batch(INDArray yPred, INDArray yTrue);

    /**
     * Fills {@code perSample} (length B) and, unless null, {@code grad} (the shape of {@code yPred}, flattened);
     * returns the mean loss.
     */
    double compute(Batch b, double[] perSample, double[] grad);

    @Override
    default double value(INDArray yPred, INDArray yTrue) {
        return Batch.value(batch(yPred, yTrue), this::compute);
    }

    @Override
    default INDArray perSample(INDArray yPred, INDArray yTrue) {
        return Batch.perSample(batch(yPred, yTrue), this::compute);
    }

    @Override
    default LossEvaluation evaluate(INDArray yPred, INDArray yTrue) {
        return Batch.evaluate(batch(yPred, yTrue), this::compute);
    }
}
