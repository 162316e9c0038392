package org.lipot.lipschitz.param;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.lipot.lipschitz.nn.Tensors;
import org.lipot.lipschitz.param.KernelComposition.Kernel;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * An orthogonal convolution kernel as in AOC (Boissin et al., "Adaptive Orthogonal Convolution", 2025): block
 * convolution projectors (BCOP, Li et al. 2019) at stride 1 composed with an orthonormal reshaped kernel whose size is
 * the stride (RKO on non-overlapping patches), as one (cout, cin, kh, kw) kernel applied with stride (sh, sw):
 * <pre>
 *   K   = R o B_n o ... o B_1                      (o = {@link KernelComposition kernel composition})
 *   R   = reshape(W_bar, (cout, cin, sh, sw)),     W_bar = {@link FrobeniusBjorck}(W),  W the raw (cout, cin sh sw)
 *   B_i = [P_i ; I - P_i] (2 x 1 taps) for i &le; kh - sh,   [P_i, I - P_i] (1 x 2 taps) for the kw - sw others
 *   P_i = Q_i Q_i^T,   Q_i = FrobeniusBjorck(V_i),  V_i the raw (cin, r) projector factors, r = max(1, cin / 2)
 * </pre>
 * <b>Why it is orthogonal.</b> On the torus, a circular convolution is block-diagonalised by the 2-D DFT;
 * {@code B_i} has the symbol {@code P + (I - P) e^{-i omega}}, unitary at every frequency when {@code P} is a
 * symmetric projector, so {@code B_i} is orthogonal on every image size, and so is their composition. {@code R} with
 * stride {@code (sh, sw)} applies the orthonormal {@code W_bar} to the disjoint patches that tile an image whose sizes
 * the strides divide: an isometry when {@code cout >= cin sh sw}, orthonormal rows otherwise. The composition of the
 * two has all its singular values 1. With an unconverged Björck ({@code Q_i}, {@code W_bar} of singular values in
 * [0, 1]) the eigenvalues of {@code P_i} lie in [0, 1], each symbol is a convex combination of unit complex numbers,
 * and the norm stays at most 1: never above, only below orthogonal.
 *
 * <p>The configuration is immutable; {@link State} holds one layer's buffers and the record of its last pass.
 *
 * @param cin    input channels, &ge; 1
 * @param cout   output channels, &ge; 1
 * @param kh     applied kernel height, &ge; sh
 * @param kw     applied kernel width, &ge; sw
 * @param sh     stride along the rows (= the height of {@code R}), &ge; 1
 * @param sw     stride along the columns, &ge; 1
 * @param bjorck the orthonormalisation of every factor
 */
public record OrthogonalKernel(int cin, int cout, int kh, int kw, int sh, int sw, FrobeniusBjorck bjorck) {

    /**
     * @throws IllegalArgumentException naming the offending argument
     */
    public OrthogonalKernel {
        positive("cin", cin);
        positive("cout", cout);
        positive("sh (stride)", sh);
        positive("sw (stride)", sw);
        if (kh < sh || kw < sw) {
            throw new IllegalArgumentException("the kernel must be at least as large as the stride: kernel " + kh
                    + " x " + kw + ", stride " + sh + " x " + sw);
        }
        if (bjorck == null) {
            throw new IllegalArgumentException("bjorck must not be null");
        }
    }

    private static void positive(String name, int v) {
        if (v < 1) {
            throw new IllegalArgumentException(name + " must be positive, got " + v);
        }
    }

    /** Number of projector blocks: {@code (kh - sh) + (kw - sw)}. */
    public int projectors() {
        return kh - sh + kw - sw;
    }

    /** Rank {@code r = max(1, cin / 2)} of each projector (BCOP's choice). */
    public int rank() {
        return Math.max(1, cin / 2);
    }

    /** The shape of the raw reshaped kernel {@code W}: (cout, cin, sh, sw). */
    public long[] reshapedShape() {
        return new long[] {cout, cin, sh, sw};
    }

    /** The shape of the raw projector factors: (projectors, cin, rank). */
    public long[] projectorShape() {
        return new long[] {projectors(), cin, rank()};
    }

    /** A new state (buffers of one layer). */
    public State newState() {
        return new State();
    }

    /** The gradients of the raw arrays; {@code projectors} is null when there are none. */
    public record Gradients(INDArray reshaped, INDArray projectors) {
    }

    /** One layer's Björck states and the record of its last pass. */
    public final class State {
        private final FrobeniusBjorck.State rState = bjorck.newState();
        private final List<FrobeniusBjorck.State> qStates = new ArrayList<>();
        private Kernel r;
        private final List<Kernel> blocks = new ArrayList<>();
        /** chain.get(i) = B_i o ... o B_1 (chain.get(0) = B_1). */
        private final List<Kernel> chain = new ArrayList<>();
        private final List<double[]> qs = new ArrayList<>();
        private DataType type;
        private boolean recorded;

        private State() {
            for (int i = 0; i < projectors(); i++) {
                qStates.add(bjorck.newState());
            }
        }

        /**
         * The kernel {@code K} (cout, cin, kh, kw) from the raw arrays (not modified).
         *
         * @param reshaped   {@code W} as (cout, cin, sh, sw), float32 or float64
         * @param projectors the {@code V_i} as (projectors, cin, rank) of the same type, or null if there are none
         * @param record     whether {@link #backward} will follow
         * @return a new array of {@code reshaped}'s type
         * @throws IllegalArgumentException if a shape or type differs
         * @throws ArithmeticException      if a Björck iteration diverged
         */
        public INDArray forward(INDArray reshaped, INDArray projectors, boolean record) {
            check("reshaped", reshaped, reshapedShape());
            type = reshaped.dataType();
            if (projectors() > 0) {
                check("projectors", projectors, projectorShape());
                if (projectors.dataType() != type) {
                    throw new IllegalArgumentException("projectors are " + projectors.dataType() + " but reshaped is "
                            + type);
                }
            }
            INDArray wbar = rState.forward(reshaped.reshape('c', cout, (long) cin * sh * sw), record);
            r = new Kernel(cout, cin, sh, sw, Tensors.toDoubles(wbar));
            blocks.clear();
            chain.clear();
            qs.clear();
            for (int i = 0; i < projectors(); i++) {
                double[] q = Tensors.toDoubles(qStates.get(i).forward(projectors.slice(i), record));
                qs.add(q);
                Kernel b = projectorBlock(q, i < kh - sh);
                blocks.add(b);
                chain.add(i == 0 ? b : KernelComposition.compose(b, chain.get(i - 1)));
            }
            recorded = record;
            Kernel k = chain.isEmpty() ? r : KernelComposition.compose(r, chain.get(chain.size() - 1));
            return k.toArray(type);
        }

        /**
         * {@code dL/dW} and {@code dL/dV_i} from {@code dL/dK} through the last recorded pass.
         *
         * @throws IllegalStateException if the last pass was not recorded
         */
        public Gradients backward(INDArray gradKernel) {
            if (!recorded) {
                throw new IllegalStateException("backward needs a forward pass with record = true");
            }
            check("gradKernel", gradKernel, new long[] {cout, cin, kh, kw});
            Kernel g = Kernel.of(gradKernel);
            Kernel gr = g;
            INDArray gradProjectors = null;
            if (!chain.isEmpty()) {
                gradProjectors = org.nd4j.linalg.factory.Nd4j.create(type, projectorShape());
                KernelComposition.Gradients top = KernelComposition.backward(g, r, chain.get(chain.size() - 1));
                gr = top.gradA();
                Kernel gChain = top.gradB();
                for (int i = chain.size() - 1; i >= 0; i--) {
                    Kernel gBlock = gChain;
                    if (i > 0) {
                        KernelComposition.Gradients step = KernelComposition.backward(gChain, blocks.get(i),
                                chain.get(i - 1));
                        gBlock = step.gradA();
                        gChain = step.gradB();
                    }
                    INDArray gq = projectorGradient(gBlock, qs.get(i));
                    gradProjectors.slice(i).assign(qStates.get(i).backward(gq));
                }
            }
            INDArray gw = rState.backward(Tensors.fromDoubles(gr.v(), new long[] {cout, (long) cin * sh * sw}, type));
            return new Gradients(gw.reshape('c', cout, cin, sh, sw), gradProjectors);
        }

        /** {@code [P ; I - P]} (vertical) or {@code [P, I - P]} with {@code P = Q Q^T}, Q (cin, rank) C order. */
        private Kernel projectorBlock(double[] q, boolean vertical) {
            int r = rank();
            Kernel b = vertical ? Kernel.zeros(cin, cin, 2, 1) : Kernel.zeros(cin, cin, 1, 2);
            double[] v = b.v();
            for (int o = 0; o < cin; o++) {
                for (int c = 0; c < cin; c++) {
                    double p = 0;
                    for (int j = 0; j < r; j++) {
                        p += q[o * r + j] * q[c * r + j];
                    }
                    v[(o * cin + c) * 2] = p;
                    v[(o * cin + c) * 2 + 1] = (o == c ? 1 : 0) - p;
                }
            }
            return b;
        }

        /** {@code dL/dQ = (G_P + G_P^T) Q} with {@code G_P = G_tap0 - G_tap1}, as a (cin, rank) array. */
        private INDArray projectorGradient(Kernel gBlock, double[] q) {
            int r = rank();
            double[] gv = gBlock.v();
            double[] gq = new double[cin * r];
            for (int o = 0; o < cin; o++) {
                for (int c = 0; c < cin; c++) {
                    double gp = gv[(o * cin + c) * 2] - gv[(o * cin + c) * 2 + 1]
                            + gv[(c * cin + o) * 2] - gv[(c * cin + o) * 2 + 1];
                    for (int j = 0; j < r; j++) {
                        gq[o * r + j] += gp * q[c * r + j];
                    }
                }
            }
            return Tensors.fromDoubles(gq, new long[] {cin, r}, type);
        }

        private void check(String name, INDArray a, long[] shape) {
            if (a == null || !Arrays.equals(a.shape(), shape)) {
                throw new IllegalArgumentException(name + " has shape " + (a == null ? null
                        : Arrays.toString(a.shape())) + " but the kernel needs " + Arrays.toString(shape));
            }
        }
    }
}
