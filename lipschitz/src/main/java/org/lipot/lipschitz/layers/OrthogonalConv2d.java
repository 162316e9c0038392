package org.lipot.lipschitz.layers;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.lipot.lipschitz.nn.Initializers;
import org.lipot.lipschitz.nn.Parameter;
import org.lipot.lipschitz.param.Bjorck;
import org.lipot.lipschitz.param.ConvGeometry;
import org.lipot.lipschitz.param.FrobeniusBjorck;
import org.lipot.lipschitz.param.OrthogonalKernel;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The convolutions whose kernel is an {@link OrthogonalKernel}: {@code y = conv(x, k K) + b} with
 * {@code K = R o B_n o ... o B_1}, an orthonormal reshaped kernel {@code R} of the stride's size applied to
 * non-overlapping patches after BCOP projector blocks {@code B_i} at stride 1 (the math is on
 * {@link OrthogonalKernel}). Raw parameters: {@code weight}, the raw {@code R} (cout, cin, sh, sw), orthonormalised
 * as its (cout, cin sh sw) matrix; {@code projectors}, the raw factors {@code V_i} (n, cin, max(1, cin/2)) of the
 * projectors, absent when {@code n = (kh - sh) + (kw - sw)} is 0; and the bias. The applied kernel is (cout, cin, kh,
 * kw); the forward and backward passes, cache, inference state and sound bound are {@link ReparametrisedConv2d}'s.
 *
 * <p><b>Exactly orthogonal</b> (every singular value of the operator 1, up to Björck's convergence: an isometry when
 * {@code cout >= cin sh sw}, orthonormal rows when {@code cout <= cin sh sw}): circular padding on images whose height
 * and width the strides divide. Each subclass says which other configurations are also exact. <b>Only
 * 1-Lipschitz</b>: zero padding ("same" or "valid", any size): the zero-padded operator is a restriction of the
 * circular one on a larger grid whose sizes the strides divide (as in {@link org.lipot.lipschitz.param.ConvNorms}),
 * so its norm is at most 1, usually below. An unconverged Björck also leaves the norm below 1, never above.
 * <b>Not even 1-Lipschitz</b>: circular padding with a stride that does not divide the image's size, where the last
 * window wraps onto the first and they overlap (measured: norm 1.34 for a 3 x 3 kernel at stride 2 on 7 x 8 images).
 * The certified bound is computed from the applied kernel on the image size in every case, so it reports that too.
 *
 * <p>Initialisation: {@code R} orthogonal on its reshaped matrix (seed {@code seed}), each {@code V_i} with
 * orthonormal columns (seed {@code seed + 1 + i}), bias 0.
 */
public abstract class OrthogonalConv2d extends ReparametrisedConv2d {

    /** The default orthonormalisation: beta 0.5, at most 30 iterations, tolerance 1e-3, full gradient. */
    public static final Bjorck DEFAULT_BJORCK = Bjorck.builder().maxIterations(30).build();

    private final OrthogonalKernel kernel;
    private final OrthogonalKernel.State state;
    private final Parameter projectors;

    protected OrthogonalConv2d(Builder<?> b) {
        this(b.kernel(), b);
    }

    private OrthogonalConv2d(OrthogonalKernel kernel, Builder<?> b) {
        super(Initializers.orthogonal(kernel.cout(), kernel.cin() * kernel.sh() * kernel.sw(), b.seed, b.type)
                .reshape('c', kernel.reshapedShape()), kernel.kh(), kernel.kw(), kernel.sh(), kernel.sw(), b.padding,
                b.bias);
        this.kernel = kernel;
        this.state = kernel.newState();
        int n = kernel.projectors();
        if (n > 0) {
            INDArray v = Nd4j.create(b.type, kernel.projectorShape());
            for (int i = 0; i < n; i++) {
                v.slice(i).assign(Initializers.orthogonal(kernel.cin(), kernel.rank(), b.seed + 1 + i, b.type));
            }
            projectors = new Parameter("projectors", v);
        } else {
            projectors = null;
        }
        refreshWeights();
    }

    /**
     * As {@link ReparametrisedConv2d#outputShape}, and refuses circular padding on a size the stride does not divide:
     * there the last window wraps onto the first, the windows overlap, and the convolution is not even 1-Lipschitz
     * (1.34 measured for a 3 x 3 kernel at stride 2 on 7 x 8), which a layer called orthogonal must not be silently.
     */
    @Override
    public int[] outputShape(int[] in) {
        int[] out = super.outputShape(in);
        if (padding == ConvGeometry.Padding.CIRCULAR && (in[1] % sh != 0 || in[2] % sw != 0)) {
            throw new IllegalArgumentException("circular padding with stride " + sh + " x " + sw + " needs image sizes"
                    + " it divides, got " + in[1] + " x " + in[2] + " (the windows would overlap: not 1-Lipschitz)");
        }
        return out;
    }

    /** The orthonormalisation of every factor. */
    public Bjorck bjorck() {
        return kernel.bjorck().bjorck();
    }

    /** The raw projector factors (n, cin, rank), or null if the kernel has none. */
    public Parameter projectors() {
        return projectors;
    }

    /** {@code weight}, then {@code projectors} if any, then {@code bias} if any. */
    @Override
    public List<Parameter> parameters() {
        List<Parameter> ps = new ArrayList<>(3);
        ps.add(weight);
        if (projectors != null) {
            ps.add(projectors);
        }
        if (bias != null) {
            ps.add(bias);
        }
        return Collections.unmodifiableList(ps);
    }

    @Override
    protected INDArray effectiveWeight(boolean record) {
        return state.forward(weight.value(), projectors == null ? null : projectors.value(), record);
    }

    /** Accumulates {@code dL/dV} into {@link #projectors()} and returns {@code dL/dW}. */
    @Override
    protected INDArray effectiveBackward(INDArray gradEffective) {
        OrthogonalKernel.Gradients g = state.backward(gradEffective);
        if (projectors != null) {
            projectors.accumulate(g.projectors());
        }
        return g.reshaped();
    }

    /** {@code b} with this layer's padding, bias and Björck settings, and data type {@code t}. */
    protected final <B extends Builder<B>> B sameSettings(B b, DataType t) {
        return b.padding(padding).bias(bias != null).bjorck(bjorck()).dataType(t);
    }

    @Override
    protected abstract OrthogonalConv2d blank(DataType type);

    /** What the layers of this family share in their builders. */
    public abstract static class Builder<B extends Builder<B>> extends LayerBuilder<B> {
        private final int cin;
        private final int cout;
        private final int kh;
        private final int kw;
        private int sh;
        private int sw;
        private ConvGeometry.Padding padding;
        private Bjorck bjorck = DEFAULT_BJORCK;

        /**
         * The sizes of the applied kernel {@code kh x kw} (at least the strides) and the default padding.
         *
         * @throws IllegalArgumentException naming the first size that is not positive
         */
        protected Builder(ConvGeometry.Padding defaultPadding, int cin, int cout, int kh, int kw, int sh, int sw) {
            this.cin = positive("cin", cin);
            this.cout = positive("cout", cout);
            this.sh = positive("sh (stride)", sh);
            this.sw = positive("sw (stride)", sw);
            this.kh = positive("kh", kh);
            this.kw = positive("kw", kw);
            this.padding = defaultPadding;
        }

        /** {@code v}, checked positive. */
        protected static int positive(String name, int v) {
            if (v < 1) {
                throw new IllegalArgumentException(name + " must be positive, got " + v);
            }
            return v;
        }

        /**
         * Sets the strides.
         *
         * @throws IllegalArgumentException if a stride is not positive or exceeds the kernel
         */
        protected final void setStride(int sh, int sw) {
            positive("sh (stride)", sh);
            positive("sw (stride)", sw);
            if (sh > kh || sw > kw) {
                throw new IllegalArgumentException("stride " + sh + " x " + sw + " exceeds the kernel " + kh + " x "
                        + kw + " (sh <= kh and sw <= kw: the patches of the strided factor must not leave gaps)");
            }
            this.sh = sh;
            this.sw = sw;
        }

        /** The layer. */
        public abstract OrthogonalConv2d build();

        /** The padding. */
        public B padding(ConvGeometry.Padding padding) {
            if (padding == null) {
                throw new IllegalArgumentException("padding must not be null");
            }
            this.padding = padding;
            return self();
        }

        /** The orthonormalisation of every factor (default {@link #DEFAULT_BJORCK}). */
        public B bjorck(Bjorck bjorck) {
            if (bjorck == null) {
                throw new IllegalArgumentException("bjorck must not be null");
            }
            this.bjorck = bjorck;
            return self();
        }

        /** The kernel configuration of this builder. */
        private OrthogonalKernel kernel() {
            return new OrthogonalKernel(cin, cout, kh, kw, sh, sw, new FrobeniusBjorck(bjorck));
        }
    }
}
