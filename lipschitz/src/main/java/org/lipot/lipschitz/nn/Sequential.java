package org.lipot.lipschitz.nn;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The composition {@code f = f_n o ... o f_1} of layers.
 *
 * <p><b>Lipschitz bound.</b> {@code Lip(g o h) <= Lip(g) Lip(h)}, so {@link #lipschitzBound(int[])} is the product
 * of the layers' sound bounds, each on the sample shape it receives ({@link #lipschitzBound()}: of their
 * shape-independent bounds).
 *
 * <p><b>Global Lipschitz factor.</b> {@link #withLipschitzFactor(double, List)} targets a network constant
 * {@code k} instead of 1: each of the {@code n} {@link ScalableLayer}s in the list gets the factor
 * {@code k^(1/n)} (set on the layer objects, which are shared, not copied), so the product of their bounds is
 * {@code k} times the product at factor 1. This mirrors deel-lip's {@code k_coef_lip}.
 *
 * <p>Backward runs the layers in reverse order; parameter gradients accumulate in each layer's
 * {@link Parameter}s.
 *
 * <p><b>Memory.</b> ND4J frees an array's native buffer only once the garbage collector finds the array unreachable,
 * and a pass's activations are large native buffers behind small Java objects: left to the collector, every conv
 * training step took fresh pages from the kernel (a page fault per 4 KB, about 12 us each here: 0.5-1 s of a 2 s
 * step), and so did every batch of a certificate's inference. So {@code forward} first closes the arrays that the
 * previous pass (forward and backward) passed between the layers: every layer's output but the last, and every
 * gradient that {@code backward} passed on but the one it returned; and {@code backward} first closes the gradients
 * of the previous {@code backward} of the same forward pass (several backward passes reuse one forward: a Jacobian
 * row by row). Never closed: anything that shares memory with an array the caller passed or received, or with an
 * activation the coming {@code backward} needs. They are dead by contract: a
 * layer's cache of its input serves only the {@code backward} of the same pass. Outputs of earlier passes are never
 * touched.
 */
public final class Sequential implements Layer {

    private final List<Layer> layers;
    private final double lipschitzFactor;
    /** The activations passed between layers in the last forward (closed at the next forward, see "Memory"). */
    private final List<INDArray> activations = new ArrayList<>();
    /** The gradients passed between layers in the last backward (closed at the next forward or backward). */
    private final List<INDArray> gradients = new ArrayList<>();
    /** The caller's arrays of the last pass (input, output, output gradient, input gradient), never closed. */
    private final INDArray[] callers = new INDArray[4];

    private Sequential(List<? extends Layer> layers, double lipschitzFactor) {
        if (layers == null || layers.isEmpty()) {
            throw new IllegalArgumentException("layers must not be empty");
        }
        for (int i = 0; i < layers.size(); i++) {
            if (layers.get(i) == null) {
                throw new IllegalArgumentException("layers[" + i + "] is null");
            }
        }
        this.layers = Collections.unmodifiableList(new ArrayList<>(layers));
        this.lipschitzFactor = lipschitzFactor;
    }

    /** The composition of {@code layers} in order, each keeping its own Lipschitz factor. */
    public static Sequential of(Layer... layers) {
        return new Sequential(List.of(layers), 1.0);
    }

    /** The composition of {@code layers} in order, each keeping its own Lipschitz factor. */
    public static Sequential of(List<? extends Layer> layers) {
        return new Sequential(layers, 1.0);
    }

    /**
     * The composition of {@code layers} with a global Lipschitz factor {@code k}: each of the {@code n}
     * {@link ScalableLayer}s gets factor {@code k^(1/n)}.
     *
     * @throws IllegalArgumentException if {@code k} is not finite and positive, or {@code k != 1} and no layer is
     *                                  scalable
     */
    public static Sequential withLipschitzFactor(double k, List<? extends Layer> layers) {
        if (!(k > 0) || Double.isInfinite(k)) {
            throw new IllegalArgumentException("k (Lipschitz factor) must be finite and positive, got " + k);
        }
        Sequential s = new Sequential(layers, k);
        List<ScalableLayer> scalable = new ArrayList<>();
        for (Layer l : s.layers) {
            if (l instanceof ScalableLayer sl) {
                scalable.add(sl);
            }
        }
        if (scalable.isEmpty() && k != 1.0) {
            throw new IllegalArgumentException("k (Lipschitz factor) = " + k + " but no layer is a ScalableLayer");
        }
        double each = Math.pow(k, 1.0 / Math.max(1, scalable.size()));
        for (ScalableLayer l : scalable) {
            l.setLipschitzFactor(each);
        }
        return s;
    }

    /** The layers, in order (unmodifiable). */
    public List<Layer> layers() {
        return layers;
    }

    /** The global factor {@code k} given at construction (1 for {@link #of}). */
    public double lipschitzFactor() {
        return lipschitzFactor;
    }

    /**
     * Runs the layers in order.
     *
     * @throws IllegalArgumentException if the input holds NaN or infinite values, or naming the position and type of
     *                                  the layer that refused its input (bad input or bad arrays)
     * @throws ArithmeticException      naming the position and type of the layer that failed numerically (a
     *                                  diverged Björck iteration) or whose output holds NaN or infinite values
     */
    @Override
    public INDArray forward(INDArray input, boolean training) {
        if (input != null && !finite(input)) {
            throw new IllegalArgumentException("input holds NaN or infinite values");
        }
        close(gradients, input);
        close(activations, input);
        Arrays.fill(callers, null);
        callers[0] = input;
        INDArray x = input;
        for (int i = 0; i < layers.size(); i++) {
            if (i > 0) {
                activations.add(x);
            }
            try {
                x = layers.get(i).forward(x, training);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(name(i) + ": " + e.getMessage(), e);
            } catch (ArithmeticException e) {
                ArithmeticException named = new ArithmeticException(name(i) + ": " + e.getMessage());
                named.initCause(e);
                throw named;
            }
        }
        if (!finite(x)) {
            int i = 0;
            while (i < activations.size() && finite(activations.get(i))) {
                i++;
            }
            throw new ArithmeticException(name(i) + ": output holds NaN or infinite values");
        }
        callers[1] = x;
        return x;
    }

    /**
     * Closes the arrays of {@code list} that share no memory with {@code arriving} (the caller's new input or output
     * gradient), the caller's last arrays, or (for gradients) the activations; empties the list.
     */
    private void close(List<INDArray> list, INDArray arriving) {
        for (INDArray a : list) {
            if (!a.closeable()) {
                continue; // a view, or closed already
            }
            boolean kept = shares(a, arriving);
            for (INDArray c : callers) {
                kept |= shares(a, c);
            }
            for (int k = 0; list == gradients && !kept && k < activations.size(); k++) {
                kept = shares(a, activations.get(k));
            }
            if (!kept) {
                a.close();
            }
        }
        list.clear();
    }

    /** Whether the native buffers of {@code a} and {@code b} overlap (whole underlying buffers, views included). */
    private static boolean shares(INDArray a, INDArray b) {
        if (b == null || b.wasClosed()) {
            return false;
        }
        if (a == b) {
            return true;
        }
        long a0 = a.data().address();
        long b0 = b.data().address();
        return a0 < b0 + b.data().length() * b.data().getElementSize()
                && b0 < a0 + a.data().length() * a.data().getElementSize();
    }

    /**
     * Whether every entry is finite (a NaN or infinity makes the sum NaN or infinite). {@code forward} checks its
     * output only, and on failure finds the first layer whose output is not finite: a NaN or infinity that a layer
     * makes reaches the network's output through every layer of this library (products and sums keep it, even
     * times 0; sorts and pixel shuffles move it; pooling's square roots keep it), and checking each of a conv
     * step's activations took 10-15 ms of a 0.4 s step.
     */
    private static boolean finite(INDArray x) {
        return Double.isFinite(x.sumNumber().doubleValue());
    }

    private String name(int i) {
        return "layer " + i + " (" + layers.get(i).getClass().getSimpleName() + ")";
    }

    @Override
    public INDArray backward(INDArray gradOutput) {
        return propagate(gradOutput, 0, true);
    }

    /**
     * Back-propagates to the parameters only: the layers before the first one with parameters are skipped and that
     * one is asked for its parameter gradients alone ({@link Layer#backwardParameters}), so a training step does not
     * compute the gradient with respect to the network's input.
     */
    @Override
    public void backwardParameters(INDArray gradOutput) {
        int first = 0;
        while (first < layers.size() && layers.get(first).parameters().isEmpty()) {
            first++;
        }
        propagate(gradOutput, first, false);
    }

    /**
     * Runs the backward of layers {@code last .. first}; layer {@code first} returns the input gradient when
     * {@code inputGradient}, else it computes its parameter gradients only and the result is null.
     */
    private INDArray propagate(INDArray gradOutput, int first, boolean inputGradient) {
        close(gradients, gradOutput);
        callers[2] = gradOutput;
        INDArray g = gradOutput;
        for (int i = layers.size() - 1; i >= first; i--) {
            if (i < layers.size() - 1) {
                gradients.add(g);
            }
            if (i > first || inputGradient) {
                g = layers.get(i).backward(g);
            } else {
                layers.get(i).backwardParameters(g);
                g = null;
            }
        }
        callers[3] = inputGradient ? g : null;
        return callers[3];
    }

    @Override
    public List<Parameter> parameters() {
        List<Parameter> all = new ArrayList<>();
        for (Layer l : layers) {
            all.addAll(l.parameters());
        }
        return Collections.unmodifiableList(all);
    }

    /** Sets every parameter's accumulated gradient to zero. */
    public void zeroGradients() {
        for (Layer l : layers) {
            for (Parameter p : l.parameters()) {
                p.zeroGradient();
            }
        }
    }

    @Override
    public void refreshWeights() {
        for (Layer l : layers) {
            l.refreshWeights();
        }
    }

    /**
     * The product of the layers' sound bounds, rounded up after each multiplication.
     *
     * @throws UnsupportedOperationException naming the position and type of the first layer that cannot be bounded
     * @throws IllegalArgumentException      naming the position and type of a layer whose arrays cannot be bounded
     *                                       (NaN or infinite entries)
     */
    @Override
    public double lipschitzBound() {
        double b = 1.0;
        for (int i = 0; i < layers.size(); i++) {
            try {
                b = Math.nextUp(b * layers.get(i).lipschitzBound());
            } catch (UnsupportedOperationException e) {
                throw new UnsupportedOperationException(name(i) + " cannot be bounded: " + e.getMessage(), e);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(name(i) + ": " + e.getMessage(), e);
            }
        }
        return b;
    }

    /**
     * The product of the layers' sound bounds for samples of shape {@code input}, each layer bounded on the shape its
     * predecessors produce ({@link Layer#outputShape}), rounded up after each multiplication.
     *
     * @throws UnsupportedOperationException naming the position and type of the first layer that cannot be bounded
     * @throws IllegalArgumentException      naming the position and type of the first layer that does not accept the
     *                                       shape it receives, or whose arrays cannot be bounded
     */
    @Override
    public double lipschitzBound(int[] input) {
        double b = 1.0;
        int[] shape = input.clone();
        for (int i = 0; i < layers.size(); i++) {
            try {
                b = Math.nextUp(b * layers.get(i).lipschitzBound(shape));
                shape = layers.get(i).outputShape(shape);
            } catch (UnsupportedOperationException e) {
                throw new UnsupportedOperationException(name(i) + " cannot be bounded: " + e.getMessage(), e);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(name(i) + " on samples of shape " + Arrays.toString(shape) + ": "
                        + e.getMessage(), e);
            }
        }
        return b;
    }

    /** The output shape after every layer, in order. */
    @Override
    public int[] outputShape(int[] input) {
        int[] shape = input.clone();
        for (int i = 0; i < layers.size(); i++) {
            try {
                shape = layers.get(i).outputShape(shape);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(name(i) + " on samples of shape " + Arrays.toString(shape) + ": "
                        + e.getMessage(), e);
            }
        }
        return shape;
    }

    /** A {@link Sequential} of the layers' float64 copies, with the same recorded factor. */
    @Override
    public Sequential toFloat64() {
        List<Layer> out = new ArrayList<>(layers.size());
        for (int i = 0; i < layers.size(); i++) {
            try {
                out.add(layers.get(i).toFloat64());
            } catch (UnsupportedOperationException e) {
                throw new UnsupportedOperationException(name(i) + ": " + e.getMessage(), e);
            }
        }
        return new Sequential(out, lipschitzFactor);
    }

    /** A {@link Sequential} of the exported layers (factors already folded into the exported weights). */
    @Override
    public Sequential export() {
        List<Layer> out = new ArrayList<>(layers.size());
        for (Layer l : layers) {
            out.add(l.export());
        }
        return new Sequential(out, lipschitzFactor);
    }
}
