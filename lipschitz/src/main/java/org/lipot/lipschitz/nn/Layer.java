package org.lipot.lipschitz.nn;

import java.util.List;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One differentiable stage of a network, with a sound bound on its Lipschitz constant.
 *
 * <p><b>Shapes.</b> Inputs and outputs hold one sample per row: a dense layer maps {@code (N, in)} to
 * {@code (N, out)}; image layers use NCHW {@code (N, C, H, W)}. The data type follows the layer's parameters
 * (float32 for training, float64 for checks); parameter-free layers follow their input.
 *
 * <p><b>Training and inference.</b> {@code forward(x, true)} recomputes any reparametrised weight from the raw
 * parameters (power iteration, Björck, ...) exactly once, caches it for inference and keeps what
 * {@link #backward} needs. {@code forward(x, false)} uses the cached weights and keeps only what the input
 * gradient needs. {@link #backward} always returns {@code dL/dx} for the last forward pass; it also
 * <em>adds</em> {@code dL/dtheta} to every {@link Parameter#gradient()} when that pass was a training pass.
 *
 * <p><b>Lipschitz bound.</b> {@link #lipschitzBound(int[])} returns an upper bound {@code L} with
 * {@code ||f(x) - f(y)||_2 <= L ||x - y||_2} for the function computed in inference mode on samples of a given shape,
 * derived from the effective weights with rigorous float64 error margins (never an assumed 1). The shape matters for
 * convolutions, whose operator norm depends on padding, stride and image size; dense layers and activations have
 * one bound for every shape they accept, {@link #lipschitzBound()}. A layer whose constant cannot be bounded throws
 * {@link UnsupportedOperationException} with the reason.
 *
 * <p><b>Sample shapes</b> exclude the batch dimension: {@code [in]} for a dense layer, {@code [C, H, W]} for images.
 * {@link #outputShape} infers a layer's output shape, so that a {@link Sequential} can thread the shape of its input
 * through its layers.
 *
 * <p>Layers are stateful and not thread-safe.
 */
public interface Layer {

    /**
     * Computes the layer's output.
     *
     * @param input    a batch, one sample per row (not modified)
     * @param training {@code true} to recompute reparametrised weights and record what backward needs
     * @return a new array (callers may keep it; the layer may keep a reference too)
     * @throws IllegalArgumentException if the input's shape does not fit the layer
     */
    INDArray forward(INDArray input, boolean training);

    /**
     * Back-propagates through the last forward pass.
     *
     * @param gradOutput {@code dL/dy}, same shape as the last output (not modified)
     * @return {@code dL/dx}, same shape as the last input
     * @throws IllegalStateException    if no forward pass preceded
     * @throws IllegalArgumentException if {@code gradOutput} has the wrong shape
     */
    INDArray backward(INDArray gradOutput);

    /**
     * {@link #backward} for a caller that does not need {@code dL/dx}, as a training step does not for the network's
     * input: accumulates the parameter gradients and may skip the input gradient (a first convolution then skips its
     * transposed convolution). This default calls {@link #backward}.
     *
     * @param gradOutput {@code dL/dy}, same shape as the last output (not modified)
     * @throws IllegalStateException    if no forward pass preceded
     * @throws IllegalArgumentException if {@code gradOutput} has the wrong shape
     */
    default void backwardParameters(INDArray gradOutput) {
        backward(gradOutput);
    }

    /** The trainable parameters (live objects), empty for parameter-free layers. */
    default List<Parameter> parameters() {
        return List.of();
    }

    /**
     * Recomputes the cached reparametrised weights from the current raw parameters without recording anything
     * for backward (deel-lip's {@code condense()}); a no-op for layers without such a cache. Call it after the
     * last optimiser step so that inference and {@link #export()} see the final parameters.
     */
    default void refreshWeights() {
    }

    /**
     * The shape of one output sample for one input sample of shape {@code input} (batch dimension excluded).
     * This default is for layers that keep the shape.
     *
     * @throws IllegalArgumentException if {@code input} does not fit the layer
     */
    default int[] outputShape(int[] input) {
        return input.clone();
    }

    /**
     * A sound upper bound on the Lipschitz constant (l2 to l2) of this layer in inference mode on samples of shape
     * {@code input} (batch dimension excluded). This default checks the shape with {@link #outputShape} and returns
     * the shape-independent {@link #lipschitzBound()}; layers whose bound depends on the shape override it.
     *
     * @throws IllegalArgumentException      if {@code input} does not fit the layer
     * @throws UnsupportedOperationException if the layer cannot be bounded
     */
    default double lipschitzBound(int[] input) {
        outputShape(input);
        return lipschitzBound();
    }

    /**
     * A sound upper bound on the Lipschitz constant (l2 to l2) of this layer in inference mode, valid for every input
     * shape the layer accepts.
     *
     * @throws UnsupportedOperationException if the layer cannot be bounded, or if its bound depends on the input
     *                                       shape (a convolution): then use {@link #lipschitzBound(int[])}
     */
    double lipschitzBound();

    /**
     * A layer with fixed weights (plain affine maps, fixed activations) whose inference output equals this layer's
     * inference output; it shares no mutable state with this layer.
     */
    Layer export();

    /**
     * A copy of this layer for inference in float64: the same arrays (parameters and inference caches) widened
     * exactly to float64, and scalar factors (a Lipschitz factor {@code k}, a mixing weight {@code t}) used unrounded.
     * Certificates evaluate it ({@link org.lipot.lipschitz.certify.Certificates#certify}), so that margins and bound
     * describe one function, computed without float32 rounding. The copy shares no mutable state with this layer.
     * This default returns the layer itself when it has no parameters (such layers compute in their input's type).
     *
     * @throws UnsupportedOperationException if the layer has parameters but does not define its float64 copy
     */
    default Layer toFloat64() {
        if (!parameters().isEmpty()) {
            throw new UnsupportedOperationException(getClass().getSimpleName() + " has no float64 copy");
        }
        return this;
    }
}
