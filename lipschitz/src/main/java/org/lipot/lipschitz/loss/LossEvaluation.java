package org.lipot.lipschitz.loss;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A loss value and its gradient with respect to the network outputs, as one pass of {@link Loss#evaluate}
 * computes them.
 *
 * @param value    the loss (mean reduction over the batch)
 * @param gradient {@code d value / d yPred}, same shape and data type as {@code yPred}; a fresh array
 *                 that the caller owns (it may be modified, for example scaled in place)
 */
public record LossEvaluation(double value, INDArray gradient) {

    public LossEvaluation {
        if (gradient == null) {
            throw new IllegalArgumentException("gradient must not be null");
        }
    }
}
