package org.lipot.lipschitz.layers;

import java.util.Map;

import org.lipot.lipschitz.nn.Initializers;
import org.lipot.lipschitz.param.GradientMode;
import org.lipot.lipschitz.param.Rko;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A dense layer with an orthonormalised weight (deel-lip {@code SpectralDense}): {@code y = x (k W_bar)^T + b}.
 *
 * <p>{@code W_bar = Björck(W / (||W^T u|| + eps_spectral))} is the {@link Rko reshaped-kernel orthogonalisation}
 * of the raw weight {@code W} (out, in), PyTorch layout; {@code u} in {@code R^out} is the persistent power
 * iteration vector. After convergence {@code W_bar} has orthonormal rows (out &le; in) or columns (out &gt; in),
 * so the layer is 1-Lipschitz (times {@code k}) and, for out &le; in, gradient-norm preserving.
 *
 * <p>Defaults (deel-lip): power iteration &le; 10 iterations stopping at {@code ||du|| < 1e-3},
 * {@code eps_spectral = 1e-3}, Björck {@code beta = 0.5}, &le; 15 iterations stopping at
 * {@code ||dW||_F < 1e-3}, full gradient. Initialisation: {@code W} orthogonal (seed {@code seed}), bias 0,
 * {@code u} standard normal (seed {@code seed + out}); one pass without gradient at construction fills {@code u}
 * and the inference cache.
 *
 * <p>Each training forward pass runs the power iteration (updating {@code u}) and Björck once and caches
 * {@code W_bar}; inference uses the cache. Its gradient w.r.t. {@code W} goes through Björck (see
 * {@link GradientMode}) and through {@code sigma = ||W^T u||} ({@code u} constant).
 */
public final class SpectralDense extends AffineLayer {

    private final Rko rko;
    private final Rko.State state;

    private SpectralDense(Builder b) {
        super(b.in, b.out, Initializers.orthogonal(b.out, b.in, b.seed, b.type), b.bias);
        this.rko = b.rko();
        this.state = rko.newState(Initializers.normalVector(b.out, b.seed + b.out, b.type));
        refreshWeights();
    }

    /**
     * A builder for a layer {@code in -> out} with deel-lip's defaults, float32, seed 0, with bias.
     *
     * @throws IllegalArgumentException if a size is not positive
     */
    public static Builder builder(int in, int out) {
        return new Builder(in, out);
    }

    /** The reparametrisation settings. */
    public Rko rko() {
        return rko;
    }

    /** The live persistent power-iteration vector {@code u} (length out); tests may {@code assign} to it. */
    public INDArray powerVector() {
        return state.u();
    }

    /** {@code sigma = ||W^T u||} of the last pass. */
    public double sigma() {
        return state.sigma();
    }

    /** Power iterations run in the last pass. */
    public int powerIterationsRun() {
        return state.powerIterationsRun();
    }

    /** Björck iterations run in the last pass. */
    public int bjorckIterationsRun() {
        return state.bjorckIterationsRun();
    }

    /** Björck's {@code ||W_{t+1} - W_t||_F} per iteration of the last pass. */
    public double[] bjorckDeltas() {
        return state.bjorckDeltas();
    }

    @Override
    protected SpectralDense blank(DataType t) {
        return builder(in, out).bias(bias != null).dataType(t).rko(rko).build();
    }

    @Override
    protected INDArray effectiveWeight(boolean record) {
        return state.forward(weight.value(), record);
    }

    /** {@code W_bar} from the raw weight and the saved {@code u}, which stays where it is. */
    @Override
    protected Map<String, INDArray> recomputedState() {
        return Map.of("effective_weight", state.reparametrise(weight.value()));
    }

    @Override
    protected INDArray effectiveBackward(INDArray gradEffective) {
        return state.backward(gradEffective);
    }

    /** Builder for {@link SpectralDense}: the sizes, and the settings of {@link RkoBuilder}. */
    public static final class Builder extends RkoBuilder<Builder> {
        private final int in;
        private final int out;

        private Builder(int in, int out) {
            if (in <= 0) {
                throw new IllegalArgumentException("in must be positive, got " + in);
            }
            if (out <= 0) {
                throw new IllegalArgumentException("out must be positive, got " + out);
            }
            this.in = in;
            this.out = out;
        }

        @Override
        Builder self() {
            return this;
        }

        /** The layer. */
        public SpectralDense build() {
            return new SpectralDense(this);
        }
    }
}
