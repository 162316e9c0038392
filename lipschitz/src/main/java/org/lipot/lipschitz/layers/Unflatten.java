package org.lipot.lipschitz.layers;

import java.util.Arrays;

import org.lipot.lipschitz.nn.Layer;
import org.lipot.lipschitz.nn.Tensors;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Reshapes {@code (N, C H W)} rows to NCHW images {@code (N, C, H, W)} in C order (channel, row, col), the inverse of
 * {@link Flatten} (PyTorch's {@code nn.Unflatten(1, (C, H, W))}): how a convolutional network takes the flattened
 * images of a {@link org.lipot.lipschitz.data.Dataset}. An isometry: Lipschitz constant 1.
 */
public final class Unflatten implements Layer {

    private final int c;
    private final int h;
    private final int w;
    private long rows = -1;

    /**
     * Images of {@code channels x height x width}.
     *
     * @throws IllegalArgumentException if a size is not positive
     */
    public Unflatten(int channels, int height, int width) {
        if (channels < 1 || height < 1 || width < 1) {
            throw new IllegalArgumentException("image shape must be positive, got " + channels + " x " + height + " x "
                    + width);
        }
        this.c = channels;
        this.h = height;
        this.w = width;
    }

    /** The image shape {@code [C, H, W]}. */
    public int[] imageShape() {
        return new int[] {c, h, w};
    }

    /** {@code [C, H, W]} for samples {@code [C H W]}. */
    @Override
    public int[] outputShape(int[] input) {
        if (input == null || input.length != 1 || input[0] != c * h * w) {
            throw new IllegalArgumentException("samples have shape " + Arrays.toString(input) + " but the layer expects ["
                    + c * h * w + "] (" + c + " x " + h + " x " + w + " images)");
        }
        return imageShape();
    }

    @Override
    public INDArray forward(INDArray input, boolean training) {
        if (input == null || input.rank() != 2 || input.size(1) != (long) c * h * w) {
            throw new IllegalArgumentException("input has shape " + (input == null ? null : Arrays.toString(input.shape()))
                    + " but the layer expects (N, " + c * h * w + ")");
        }
        rows = input.size(0);
        INDArray x = Tensors.dense(input);
        return x.reshape('c', rows, c, h, w);
    }

    @Override
    public INDArray backward(INDArray gradOutput) {
        if (rows < 0) {
            throw new IllegalStateException("backward called before forward");
        }
        if (gradOutput == null || !Arrays.equals(gradOutput.shape(), new long[] {rows, c, h, w})) {
            throw new IllegalArgumentException("gradOutput has shape "
                    + (gradOutput == null ? null : Arrays.toString(gradOutput.shape())) + " but the output is ("
                    + rows + ", " + c + ", " + h + ", " + w + ")");
        }
        INDArray g = Tensors.dense(gradOutput);
        return g.reshape('c', rows, (long) c * h * w);
    }

    /** 1: an isometry. */
    @Override
    public double lipschitzBound() {
        return 1.0;
    }

    @Override
    public Unflatten export() {
        return new Unflatten(c, h, w);
    }
}
