package org.lipot.lipschitz.train;

import java.util.Map;

/**
 * What one training epoch did.
 *
 * @param epoch         1-based epoch number
 * @param seconds       wall-clock training time of this epoch (forward, backward, optimiser steps; not evaluation)
 * @param loss          mean training loss over the epoch's samples (each batch weighted by its size), computed on
 *                      the outputs of the training passes
 * @param trainAccuracy fraction of the labelled training samples whose argmax output was the label, during the
 *                      training passes; NaN when the batches carry no labels ({@link Batch#labels()})
 * @param metrics       further named values (validation metrics, hyper-parameters in force, ...), in insertion order
 */
public record EpochRecord(int epoch, double seconds, double loss, double trainAccuracy, Map<String, Double> metrics) {

    public EpochRecord {
        metrics = Map.copyOf(metrics);
    }
}
