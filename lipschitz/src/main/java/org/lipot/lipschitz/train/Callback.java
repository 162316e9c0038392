package org.lipot.lipschitz.train;

import java.util.Optional;

/**
 * Observes a training run. Every method has an empty default, so a callback implements only what it needs. Called on
 * the training thread; a callback must not change the model.
 */
public interface Callback {

    /** Before the first epoch. */
    default void onTrainStart(int epochs, int stepsPerEpoch) {
    }

    /** After each optimiser step: {@code epoch} 1-based, {@code step} 1-based within the epoch, the batch loss. */
    default void onStep(int epoch, int step, double batchLoss) {
    }

    /** After each epoch, with its record (metrics included). */
    default void onEpochEnd(EpochRecord record) {
    }

    /** After the last epoch (completed or stopped early). */
    default void onTrainEnd(TrainingHistory history) {
    }

    /** Asked after {@link #onEpochEnd}: a reason to stop now, or empty to go on. */
    default Optional<String> stopReason() {
        return Optional.empty();
    }
}
