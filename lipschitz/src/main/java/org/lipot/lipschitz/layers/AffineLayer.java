package org.lipot.lipschitz.layers;

import org.lipot.lipschitz.nn.Tensors;
import org.lipot.lipschitz.param.SpectralBounds;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The dense layers {@code y = x (k W_eff)^T + b} ({@link ReparametrisedLayer}): a raw weight {@code W} (out, in) in
 * PyTorch layout, an optional bias (out), a Lipschitz factor {@code k}, and an effective weight
 * {@code W_eff = phi(W)} given by the subclass (identity, Björck, Frobenius or AOL scaling).
 *
 * <p>Gradients: {@code dL/dx = G (k W_eff)}, {@code dL/dW_eff = k G^T x}, {@code dL/db = sum_n G_n}, and the
 * subclass maps {@code dL/dW_eff} to {@code dL/dW}. The effective weight of the last training pass is cached
 * and used in inference; its sound bound {@link SpectralBounds#upperBound} times {@code k} is the layer's
 * Lipschitz bound.
 */
public abstract class AffineLayer extends ReparametrisedLayer {

    protected final int in;
    protected final int out;
    private INDArray input;

    /**
     * A layer with raw weight {@code w} (out, in), which it keeps (not copied), and a zero bias if {@code withBias}.
     *
     * @throws IllegalArgumentException if a size is not positive or {@code w} does not have shape (out, in)
     */
    protected AffineLayer(int in, int out, INDArray w, boolean withBias) {
        super(checkShape(in, out, w), withBias ? out : 0);
        this.in = in;
        this.out = out;
    }

    private static INDArray checkShape(int in, int out, INDArray w) {
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
        return w;
    }

    /** Input width. */
    public int inputSize() {
        return in;
    }

    /** Output width. */
    public int outputSize() {
        return out;
    }

    /** A copy of the cached effective weight {@code k W_eff} that inference uses. */
    public INDArray effectiveWeight() {
        return cachedWeight().mul(lipschitzFactor());
    }

    /** {@code [out]} for samples of shape {@code [in]}. */
    @Override
    public int[] outputShape(int[] input) {
        Tensors.checkVectorShape(input, in);
        return new int[] {out};
    }

    @Override
    public INDArray forward(INDArray x, boolean training) {
        Tensors.checkMatrix(x, in, "input");
        INDArray xt = Tensors.as(x, type);
        INDArray w = passWeight(training);
        INDArray y = Nd4j.create(type, new long[] {xt.size(0), out}, 'c');
        Nd4j.gemm(xt, w, y, false, true, lipschitzFactor(), 0.0);
        if (bias != null) {
            y.addiRowVector(bias.value());
        }
        input = xt;
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
        Nd4j.gemm(g, cachedWeight(), gIn, false, false, lipschitzFactor(), 0.0);
        if (lastPassTrained()) {
            INDArray gEff = Nd4j.create(type, new long[] {out, in}, 'c');
            Nd4j.gemm(g, input, gEff, true, false, lipschitzFactor(), 0.0);
            INDArray gRaw = effectiveBackward(gEff);
            weight.accumulate(gRaw);
            // both are this pass's own arrays (effectiveBackward returns gEff itself or a new array): freed now, not
            // when the garbage collector finds them (a 256 x 3136 head's gradients were fresh pages every step)
            gEff.close();
            if (gRaw != gEff) {
                gRaw.close();
            }
            if (bias != null) {
                bias.accumulate(g.sum(0));
            }
        }
        return gIn;
    }

    /** {@code k} times the sound spectral bound of the cached effective weight, rounded up. */
    @Override
    public double lipschitzBound() {
        return Math.nextUp(lipschitzFactor() * spectralBound(cachedWeight()));
    }

    /** A sound upper bound on {@code sigma_max(wEff)} for any matrix ({@link SpectralBounds#upperBound}). */
    double spectralBound(INDArray wEff) {
        return SpectralBounds.upperBound(wEff);
    }

    @Override
    public AffineLayer toFloat64() {
        return (AffineLayer) super.toFloat64();
    }

    @Override
    protected abstract AffineLayer blank(DataType type);

    /** A {@link Dense} layer with weight {@code k W_eff} (cached) and a copy of the bias. */
    @Override
    public Dense export() {
        INDArray b = bias == null ? null : bias.value().dup();
        return new Dense(cachedWeight().mul(lipschitzFactor()), b);
    }
}
