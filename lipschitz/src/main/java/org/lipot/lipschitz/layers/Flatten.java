package org.lipot.lipschitz.layers;

import java.util.Arrays;

import org.lipot.lipschitz.nn.Layer;
import org.lipot.lipschitz.nn.Tensors;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Reshapes (N, C, H, W) (or any rank &ge; 2) to (N, C H W) in C order, i.e. (channel, row, col) as
 * {@code torch.flatten(x, 1)}. An isometry: Lipschitz constant 1; backward reshapes the gradient back.
 */
public final class Flatten implements Layer {

    private long[] inputShape;

    @Override
    public INDArray forward(INDArray input, boolean training) {
        if (input == null || input.rank() < 2) {
            throw new IllegalArgumentException("input must have rank >= 2, got "
                    + (input == null ? null : Arrays.toString(input.shape())));
        }
        inputShape = input.shape();
        long n = inputShape[0];
        INDArray c = Tensors.dense(input);
        return c.reshape('c', n, input.length() / Math.max(1, n));
    }

    @Override
    public INDArray backward(INDArray gradOutput) {
        if (inputShape == null) {
            throw new IllegalStateException("backward called before forward");
        }
        long n = inputShape[0];
        if (gradOutput == null || gradOutput.rank() != 2 || gradOutput.size(0) != n
                || gradOutput.length() != Arrays.stream(inputShape).reduce(1, (a, b) -> a * b)) {
            throw new IllegalArgumentException("gradOutput has shape "
                    + (gradOutput == null ? null : Arrays.toString(gradOutput.shape())) + " but the output is ("
                    + n + ", " + Arrays.stream(inputShape).skip(1).reduce(1, (a, b) -> a * b) + ")");
        }
        INDArray c = Tensors.dense(gradOutput);
        return c.reshape('c', inputShape);
    }

    /** {@code [d1 d2 ... dk]} for samples of shape {@code [d1, ..., dk]}. */
    @Override
    public int[] outputShape(int[] input) {
        if (input == null || input.length < 1) {
            throw new IllegalArgumentException("samples must have at least one dimension, got "
                    + Arrays.toString(input));
        }
        long size = 1;
        for (int d : input) {
            size *= d;
        }
        if (size > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("samples of shape " + Arrays.toString(input) + " have " + size
                    + " entries, too many to flatten");
        }
        return new int[] {(int) size};
    }

    /** 1: an isometry. */
    @Override
    public double lipschitzBound() {
        return 1.0;
    }

    @Override
    public Flatten export() {
        return new Flatten();
    }
}
