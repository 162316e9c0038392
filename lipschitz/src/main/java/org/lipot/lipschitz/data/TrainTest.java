package org.lipot.lipschitz.data;

/**
 * A training set and a test set with the same features and classes.
 *
 * @param train the training samples
 * @param test  the held-out samples
 */
public record TrainTest(Dataset train, Dataset test) {

    public TrainTest {
        if (train == null || test == null) {
            throw new IllegalArgumentException((train == null ? "train" : "test") + " must not be null");
        }
        if (train.numFeatures() != test.numFeatures() || train.numClasses() != test.numClasses()) {
            throw new IllegalArgumentException("train has " + train.numFeatures() + " features and "
                    + train.numClasses() + " classes but test has " + test.numFeatures() + " and "
                    + test.numClasses());
        }
    }

    /** Both parts limited to their first samples ({@code <= 0} means no limit), as {@code --limit-train}. */
    public TrainTest limit(int trainLimit, int testLimit) {
        return new TrainTest(train.limit(trainLimit), test.limit(testLimit));
    }
}
