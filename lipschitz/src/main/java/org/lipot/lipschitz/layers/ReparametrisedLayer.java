package org.lipot.lipschitz.layers;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.lipot.lipschitz.nn.Parameter;
import org.lipot.lipschitz.nn.ScalableLayer;
import org.lipot.lipschitz.nn.Tensors;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Common machinery of the layers whose weight is a reparametrisation of a raw parameter: a raw weight {@code W} (a
 * dense (out, in) matrix, a conv kernel (cout, cin, kh, kw)), an optional bias, a Lipschitz factor {@code k}, and an
 * effective weight {@code W_eff = phi(W)} given by the subclass (identity, Björck, Frobenius or AOL scaling), which
 * the layer applies times {@code k}. The subclass maps {@code dL/dW_eff} to {@code dL/dW}.
 *
 * <p><b>Cache.</b> The effective weight of the last training pass is cached and used in inference, and the sound bound
 * is computed from it: a certificate reads only the arrays inference multiplies by.
 *
 * <p><b>Inference state.</b> Since inference uses the effective weight of the last pass, not one recomputed from the
 * current raw weight (which an optimiser step may have changed since, and which for a power-iterated layer would
 * advance the power iteration), a saved model must carry that cache: {@link #inferenceState()} and
 * {@link #restoreInferenceState} give it to {@link org.lipot.lipschitz.io.ModelFiles}.
 */
public abstract class ReparametrisedLayer implements ScalableLayer {

    /** Relative tolerance of {@link #checkInferenceState()}. */
    public static final double STATE_TOLERANCE = 1e-5;

    protected final DataType type;
    protected final Parameter weight;
    protected final Parameter bias;
    private double factor = 1.0;
    private INDArray cached;
    private boolean lastTraining;

    /**
     * A layer with raw weight {@code w}, which it keeps (not copied), and, if {@code biasSize > 0}, a zero bias of that
     * length.
     *
     * @throws IllegalArgumentException if {@code w} is not float32 or float64
     */
    protected ReparametrisedLayer(INDArray w, int biasSize) {
        Tensors.checkType(w, "weight");
        this.type = w.dataType();
        this.weight = new Parameter("weight", w);
        this.bias = biasSize > 0 ? new Parameter("bias", Nd4j.zeros(type, biasSize)) : null;
    }

    /**
     * The effective weight {@code phi(W)} from the current raw weight; may be a buffer owned by the layer that stays
     * valid until the next call.
     *
     * @param record whether the next {@link #effectiveBackward} call will need this pass
     */
    protected abstract INDArray effectiveWeight(boolean record);

    /**
     * Maps {@code dL/dW_eff} to {@code dL/dW} through the last recorded {@link #effectiveWeight} pass; returns
     * {@code gradEffective} itself or a new array, never one this layer keeps ({@link AffineLayer} closes both once
     * the gradient is accumulated).
     */
    protected abstract INDArray effectiveBackward(INDArray gradEffective);

    /** The raw weight parameter. */
    public Parameter weight() {
        return weight;
    }

    /** The bias parameter, or {@code null} if the layer has none. */
    public Parameter bias() {
        return bias;
    }

    /**
     * The effective weight for a forward pass: recomputed from the raw weight (and recorded for backward) when
     * {@code training}, else the cache (computed once if there is none).
     */
    protected final INDArray passWeight(boolean training) {
        if (training || cached == null) {
            cached = effectiveWeight(training);
        }
        lastTraining = training;
        return cached;
    }

    /** The cached effective weight that inference uses (computed once if there is none), without {@code k}. */
    protected final INDArray cachedWeight() {
        if (cached == null) {
            cached = effectiveWeight(false);
        }
        return cached;
    }

    /** Whether the last forward pass was a training pass (so backward must produce parameter gradients). */
    protected final boolean lastPassTrained() {
        return lastTraining;
    }

    /**
     * Copies of the arrays, besides the parameters, that fix this layer's inference output and Lipschitz bound: the
     * cached effective weight {@code W_eff} of the last pass, without {@code k}, as
     * {@code "effective_weight"}, and whatever else that pass kept (for {@link AolDense} its column
     * scales, {@code "scale"}, which the bound does not read). Empty for {@link Dense} and {@link Conv2d}, whose cache is
     * their raw weight.
     */
    public Map<String, INDArray> inferenceState() {
        return stateWith(cachedWeight());
    }

    /** Copies of {@code effective} and of the pass state, named as in {@link #inferenceState()}. */
    private Map<String, INDArray> stateWith(INDArray effective) {
        Map<String, INDArray> state = new LinkedHashMap<>();
        if (!cacheIsRawWeight()) {
            state.put("effective_weight", effective.dup('c'));
            passState().forEach((name, a) -> state.put(name, a.dup('c')));
        }
        return state;
    }

    /**
     * Sets the inference state to (copies of) arrays in the form {@link #inferenceState()} returns, for loading a
     * saved model. The next training pass or {@link #refreshWeights()} replaces it, as it replaces any cache.
     *
     * @throws IllegalArgumentException if a name is missing or unexpected, or an array's shape or data type differs
     *                                  from this layer's
     */
    public void restoreInferenceState(Map<String, INDArray> state) {
        Map<String, INDArray> expected = inferenceState();
        if (!expected.keySet().equals(state.keySet())) {
            throw new IllegalArgumentException("inference state of " + getClass().getSimpleName() + " must hold "
                    + expected.keySet() + ", got " + state.keySet());
        }
        Map<String, INDArray> copies = new LinkedHashMap<>();
        for (Map.Entry<String, INDArray> e : expected.entrySet()) {
            INDArray a = state.get(e.getKey());
            if (!Arrays.equals(a.shape(), e.getValue().shape()) || a.dataType() != type) {
                throw new IllegalArgumentException(e.getKey() + " has shape " + Arrays.toString(a.shape()) + " and "
                        + a.dataType() + " but the layer needs " + Arrays.toString(e.getValue().shape()) + " and "
                        + type);
            }
            copies.put(e.getKey(), a.dup('c'));
        }
        if (!copies.isEmpty()) {
            cached = copies.remove("effective_weight");
            restorePassState(copies);
            lastTraining = false;
        }
    }

    /**
     * Checks that the inference state agrees with the raw parameters: each array of {@link #inferenceState()} must
     * equal its recomputation from the raw weight (for {@link SpectralDense} from the raw weight and the saved
     * {@code u}, without running the power iteration) within {@code max|a - b| <= }{@value #STATE_TOLERANCE}
     * {@code max(1, max|b|)}. The recomputation repeats the arithmetic of the pass that filled the cache, so the state
     * of a layer refreshed ({@link #refreshWeights()}, as the trainer does after its last step) matches bit for bit;
     * the tolerance only absorbs a different summation order. The inference state is left as it was, but what a
     * pending backward pass needs is not: call it on a loaded layer, not between a training forward and its backward.
     *
     * @throws IllegalArgumentException naming the array that disagrees and by how much (also for NaN entries)
     */
    public void checkInferenceState() {
        Map<String, INDArray> saved = inferenceState();
        Map<String, INDArray> recomputed = recomputedState();
        restoreInferenceState(saved);
        for (Map.Entry<String, INDArray> e : saved.entrySet()) {
            double[] a = Tensors.toDoubles(e.getValue());
            double[] b = Tensors.toDoubles(recomputed.get(e.getKey()));
            double diff = 0;
            double size = 1;
            for (int i = 0; i < a.length; i++) {
                diff = Math.max(diff, Math.abs(a[i] - b[i]));
                size = Math.max(size, Math.abs(b[i]));
            }
            if (!(diff <= STATE_TOLERANCE * size)) {
                throw new IllegalArgumentException("'" + e.getKey() + "' differs from its recomputation from the raw "
                        + "weight by " + diff + " (max abs; tolerance " + STATE_TOLERANCE * size + ")");
            }
        }
    }

    /**
     * The inference state recomputed from the raw parameters, in the form of {@link #inferenceState()}. This default
     * runs {@link #effectiveWeight(boolean)}, which may overwrite the pass state: {@link #checkInferenceState()}
     * restores it.
     */
    protected Map<String, INDArray> recomputedState() {
        return cacheIsRawWeight() ? Map.of() : stateWith(effectiveWeight(false));
    }

    /** Whether the inference cache is the raw weight itself (nothing to save besides the parameters). */
    protected boolean cacheIsRawWeight() {
        return false;
    }

    /** Live arrays of the last pass, other than the effective weight, saved with the model. */
    protected Map<String, INDArray> passState() {
        return Map.of();
    }

    /** Installs arrays in the form {@link #passState()} returns (already validated and copied). */
    protected void restorePassState(Map<String, INDArray> state) {
    }

    @Override
    public double lipschitzFactor() {
        return factor;
    }

    @Override
    public void setLipschitzFactor(double k) {
        if (!(k > 0) || Double.isInfinite(k)) {
            throw new IllegalArgumentException("k (Lipschitz factor) must be finite and positive, got " + k);
        }
        this.factor = k;
    }

    @Override
    public List<Parameter> parameters() {
        List<Parameter> ps = new ArrayList<>(2);
        ps.add(weight);
        if (bias != null) {
            ps.add(bias);
        }
        return Collections.unmodifiableList(ps);
    }

    @Override
    public void refreshWeights() {
        cached = effectiveWeight(false);
        lastTraining = false;
    }

    /**
     * A layer of the same type and settings in float64 with the parameters and the inference state (effective weight,
     * pass state) widened exactly, and the same (double) factor {@code k}: its inference output is computed from the
     * same effective weight, and its bound is the same.
     */
    @Override
    public ReparametrisedLayer toFloat64() {
        ReparametrisedLayer c = blank(DataType.DOUBLE);
        for (int i = 0; i < parameters().size(); i++) {
            c.parameters().get(i).value().assign(parameters().get(i).value().castTo(DataType.DOUBLE));
        }
        c.factor = factor;
        Map<String, INDArray> state = new LinkedHashMap<>();
        inferenceState().forEach((name, a) -> state.put(name, a.castTo(DataType.DOUBLE)));
        c.restoreInferenceState(state);
        return c;
    }

    /** A new layer of this type with the same sizes and settings (arbitrary values) in {@code type}. */
    protected abstract ReparametrisedLayer blank(DataType type);

}
