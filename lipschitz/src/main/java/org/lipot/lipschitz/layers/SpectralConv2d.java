package org.lipot.lipschitz.layers;

import java.util.Map;

import org.lipot.lipschitz.nn.Initializers;
import org.lipot.lipschitz.param.ConvGeometry;
import org.lipot.lipschitz.param.Rko;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A convolution with an orthonormalised reshaped kernel (deel-lip / deel-torchlip {@code SpectralConv2d}):
 * {@code y = conv(x, k c K_bar) + b} with
 * <pre>
 *   K_bar = reshape(Björck(W / (||W^T u|| + eps_spectral))),   W = K reshaped to (cout, cin kh kw) (C order: cin, kh, kw)
 *   c     = 1 / sqrt(ceil(kh / sh) ceil(kw / sw))                (deel-torchlip's correction)
 * </pre>
 * the {@link Rko reshaped-kernel orthogonalisation} of the raw kernel with the persistent power-iteration vector
 * {@code u} in {@code R^cout}, as {@link SpectralDense} does for a matrix. The correction makes the layer 1-Lipschitz
 * for any padding (each input pixel meets at most {@code ceil(kh/sh) ceil(kw/sw)} kernel positions), but not
 * orthogonal; the certificate does not rely on it: the layer's bound is the sound operator norm of the applied kernel
 * on the image size ({@link ReparametrisedConv2d}), usually below 1.
 *
 * <p>Initialisation: {@code W} orthogonal (seed {@code seed}), bias 0, {@code u} standard normal (seed
 * {@code seed + cout}); one pass without gradient at construction fills {@code u} and the inference cache.
 */
public final class SpectralConv2d extends ReparametrisedConv2d {

    private final Rko rko;
    private final Rko.State state;

    private SpectralConv2d(Builder b) {
        super(Initializers.orthogonal(b.cout, b.cin * b.kh * b.kw, b.seed, b.type).reshape('c', b.cout, b.cin, b.kh,
                b.kw), b.sh, b.sw, b.padding, b.bias);
        this.rko = b.rko();
        this.state = rko.newState(Initializers.normalVector(b.cout, b.seed + b.cout, b.type));
        refreshWeights();
    }

    /**
     * A builder for a {@code kh x kw} convolution {@code cin -> cout} with stride 1, zero "same" padding, bias,
     * deel-lip's RKO defaults, float32, seed 0.
     *
     * @throws IllegalArgumentException if a size is not positive
     */
    public static Builder builder(int cin, int cout, int kh, int kw) {
        return new Builder(cin, cout, kh, kw);
    }

    /** The reparametrisation settings. */
    public Rko rko() {
        return rko;
    }

    /** The live persistent power-iteration vector {@code u} (length cout). */
    public INDArray powerVector() {
        return state.u();
    }

    /** {@code sigma = ||W^T u||} of the last pass. */
    public double sigma() {
        return state.sigma();
    }

    /** Björck iterations run in the last pass. */
    public int bjorckIterationsRun() {
        return state.bjorckIterationsRun();
    }

    private INDArray matrix(INDArray kernel) {
        return kernel.reshape('c', cout, (long) cin * kh * kw);
    }

    @Override
    protected SpectralConv2d blank(DataType t) {
        return builder(cin, cout, kh, kw).stride(sh, sw).padding(padding).bias(bias != null).dataType(t).rko(rko)
                .build();
    }

    @Override
    protected INDArray effectiveWeight(boolean record) {
        return state.forward(matrix(weight.value().dup('c')), record).mul(correction())
                .reshape('c', cout, cin, kh, kw);
    }

    /** {@code c K_bar} from the raw kernel and the saved {@code u}, which stays where it is. */
    @Override
    protected Map<String, INDArray> recomputedState() {
        return Map.of("effective_weight", state.reparametrise(matrix(weight.value().dup('c'))).mul(correction())
                .reshape('c', cout, cin, kh, kw));
    }

    @Override
    protected INDArray effectiveBackward(INDArray gradEffective) {
        return state.backward(matrix(gradEffective.dup('c')).muli(correction())).reshape('c', cout, cin, kh, kw);
    }

    /** Builder for {@link SpectralConv2d}: the sizes, stride and padding, and the settings of {@link RkoBuilder}. */
    public static final class Builder extends RkoBuilder<Builder> {
        private final int cin;
        private final int cout;
        private final int kh;
        private final int kw;
        private int sh = 1;
        private int sw = 1;
        private ConvGeometry.Padding padding = ConvGeometry.Padding.ZERO_SAME;

        private Builder(int cin, int cout, int kh, int kw) {
            positive("cin", cin);
            positive("cout", cout);
            positive("kh", kh);
            positive("kw", kw);
            this.cin = cin;
            this.cout = cout;
            this.kh = kh;
            this.kw = kw;
        }

        private static void positive(String name, int v) {
            if (v < 1) {
                throw new IllegalArgumentException(name + " must be positive, got " + v);
            }
        }

        @Override
        Builder self() {
            return this;
        }

        /** Strides along the rows and columns (default 1). */
        public Builder stride(int sh, int sw) {
            positive("sh (stride)", sh);
            positive("sw (stride)", sw);
            this.sh = sh;
            this.sw = sw;
            return this;
        }

        /** The padding (default zero "same"). */
        public Builder padding(ConvGeometry.Padding padding) {
            if (padding == null) {
                throw new IllegalArgumentException("padding must not be null");
            }
            this.padding = padding;
            return this;
        }

        /** The layer. */
        public SpectralConv2d build() {
            return new SpectralConv2d(this);
        }
    }
}
