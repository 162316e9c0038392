package org.lipot.lipschitz.layers;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.lipot.lipschitz.nn.Parameter;
import org.lipot.lipschitz.nn.ScalableLayer;
import org.lipot.lipschitz.nn.Tensors;
import org.lipot.lipschitz.param.SpectralBounds;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Common machinery of the dense layers {@code y = x (k W_eff)^T + b}: a raw weight {@code W} (out, in) in
 * PyTorch layout, an optional bias (out), a Lipschitz factor {@code k}, and an effective weight
 * {@code W_eff = phi(W)} given by the subclass (identity, Björck, Frobenius or AOL scaling).
 *
 * <p>Gradients: {@code dL/dx = G (k W_eff)}, {@code dL/dW_eff = k G^T x}, {@code dL/db = sum_n G_n}, and the
 * subclass maps {@code dL/dW_eff} to {@code dL/dW}. The effective weight of the last training pass is cached
 * and used in inference; its sound bound {@link SpectralBounds#upperBound} times {@code k} is the layer's
 * Lipschitz bound.
 */
abstract class AffineLayer implements ScalableLayer {

    protected final int in;
    protected final int out;
    protected final DataType type;
    protected final Parameter weight;
    protected final Parameter bias;
    private double factor = 1.0;
    private INDArray cached;
    private INDArray input;
    private boolean lastTraining;

    AffineLayer(int in, int out, INDArray w, boolean withBias) {
        if (in <= 0) {
            throw new IllegalArgumentException("in must be positive, got " + in);
        }
        if (out <= 0) {
            throw new IllegalArgumentException("out must be positive, got " + out);
        }
        Tensors.checkType(w, "weight");
        if (w.rank() != 2 || w.size(0) != out || w.size(1) != in) {
            throw new IllegalArgumentException("weight has shape " + java.util.Arrays.toString(w.shape())
                    + " but (out, in) = (" + out + ", " + in + ")");
        }
        this.in = in;
        this.out = out;
        this.type = w.dataType();
        this.weight = new Parameter("weight", w);
        this.bias = withBias ? new Parameter("bias", Nd4j.zeros(type, out)) : null;
    }

    /**
     * The effective weight {@code phi(W)} (out, in) from the current raw weight; may be a buffer owned by the
     * layer that stays valid until the next call.
     *
     * @param record whether the next {@link #effectiveBackward} call will need this pass
     */
    abstract INDArray effectiveWeight(boolean record);

    /** Maps {@code dL/dW_eff} to {@code dL/dW} through the last recorded {@link #effectiveWeight} pass. */
    abstract INDArray effectiveBackward(INDArray gradEffective);

    /** Input width. */
    public int inputSize() {
        return in;
    }

    /** Output width. */
    public int outputSize() {
        return out;
    }

    /** The raw weight parameter (out, in). */
    public Parameter weight() {
        return weight;
    }

    /** The bias parameter (out), or {@code null} if the layer has none. */
    public Parameter bias() {
        return bias;
    }

    /** A copy of the cached effective weight {@code k W_eff} that inference uses. */
    public INDArray effectiveWeight() {
        return cached.mul(factor);
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

    @Override
    public INDArray forward(INDArray x, boolean training) {
        Tensors.checkMatrix(x, in, "input");
        INDArray xt = Tensors.as(x, type);
        if (training || cached == null) {
            cached = effectiveWeight(training);
        }
        INDArray y = Nd4j.create(type, new long[] {xt.size(0), out}, 'c');
        Nd4j.gemm(xt, cached, y, false, true, factor, 0.0);
        if (bias != null) {
            y.addiRowVector(bias.value());
        }
        input = xt;
        lastTraining = training;
        return y;
    }

    @Override
    public INDArray backward(INDArray gradOutput) {
        if (input == null) {
            throw new IllegalStateException("backward called before forward");
        }
        if (gradOutput == null || gradOutput.rank() != 2 || gradOutput.size(0) != input.size(0)
                || gradOutput.size(1) != out) {
            throw new IllegalArgumentException("gradOutput has shape "
                    + (gradOutput == null ? null : java.util.Arrays.toString(gradOutput.shape()))
                    + " but the output is (" + input.size(0) + ", " + out + ")");
        }
        INDArray g = Tensors.as(gradOutput, type);
        INDArray gIn = Nd4j.create(type, new long[] {g.size(0), in}, 'c');
        Nd4j.gemm(g, cached, gIn, false, false, factor, 0.0);
        if (lastTraining) {
            INDArray gEff = Nd4j.create(type, new long[] {out, in}, 'c');
            Nd4j.gemm(g, input, gEff, true, false, factor, 0.0);
            weight.accumulate(effectiveBackward(gEff));
            if (bias != null) {
                bias.accumulate(g.sum(0));
            }
        }
        return gIn;
    }

    /** {@code k} times the sound spectral bound of the cached effective weight, rounded up. */
    @Override
    public double lipschitzBound() {
        if (cached == null) {
            cached = effectiveWeight(false);
        }
        return Math.nextUp(factor * SpectralBounds.upperBound(cached));
    }

    /** A {@link Dense} layer with weight {@code k W_eff} (cached) and a copy of the bias. */
    @Override
    public Dense export() {
        if (cached == null) {
            cached = effectiveWeight(false);
        }
        INDArray b = bias == null ? null : bias.value().dup();
        return new Dense(cached.mul(factor), b);
    }
}
