package org.lipot.lipschitz.train;

import java.util.SplittableRandom;

import org.lipot.lipschitz.data.Dataset;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Where a {@link Trainer} gets its batches: a fixed data set walked in a fresh order every epoch
 * ({@link #shuffled}), or a sampler that draws new points every epoch or every batch (signed distance fields, the
 * Kantorovich dual). {@link #beginEpoch} is called before each epoch, then {@link #batch} for
 * {@code 0 .. batches() - 1} in order. Randomness comes only from the generator the trainer passes (seeded by its
 * {@code seed}), so the same seed gives the same batches. Mutable, used by one training run at a time.
 */
public interface BatchSource {

    /** Batches per epoch, at least 1. */
    int batches();

    /** Prepares epoch {@code epoch} (0-based): reshuffles or resamples with {@code random}. */
    void beginEpoch(int epoch, SplittableRandom random);

    /** Batch {@code index} of the current epoch. */
    Batch batch(int index);

    /**
     * The samples of {@code data} in batches of {@code batchSize} (the last one may be smaller), in a fresh random
     * order every epoch, as inputs of type {@code type} with one-hot targets and the labels.
     *
     * @throws IllegalArgumentException if the data set is empty or {@code batchSize < 1}
     */
    static BatchSource shuffled(Dataset data, int batchSize, DataType type) {
        return new ShuffledBatches(data, batchSize, type);
    }
}
