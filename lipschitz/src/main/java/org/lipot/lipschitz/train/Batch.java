package org.lipot.lipschitz.train;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One training batch: the model's inputs, the loss's targets, and for classification the class of each row.
 *
 * @param inputs  {@code B x D} (or the model's input shape), in the model's data type
 * @param targets what the loss compares the outputs with ({@link org.lipot.lipschitz.loss.Loss}: one-hot rows,
 *                binary labels, signed weights...), {@code B} rows
 * @param labels  the class of each row, for the training accuracy; {@code null} when the task has no classes
 */
public record Batch(INDArray inputs, INDArray targets, int[] labels) {

    /** @throws IllegalArgumentException if an array is missing or the row counts differ */
    public Batch {
        if (inputs == null || targets == null) {
            throw new IllegalArgumentException((inputs == null ? "inputs" : "targets") + " must not be null");
        }
        if (inputs.size(0) != targets.size(0) || labels != null && labels.length != inputs.size(0)) {
            throw new IllegalArgumentException("inputs have " + inputs.size(0) + " rows, targets " + targets.size(0)
                    + (labels == null ? "" : ", labels " + labels.length) + ": they must agree");
        }
    }

    /** {@code B}, the number of rows. */
    public int size() {
        return (int) inputs.size(0);
    }
}
