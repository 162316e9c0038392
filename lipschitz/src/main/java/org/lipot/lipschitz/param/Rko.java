package org.lipot.lipschitz.param;

import java.util.Arrays;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Reshaped-kernel orthogonalisation (RKO, deel-lip): spectral scaling by power iteration, then Björck.
 *
 * <p>For a raw weight {@code W} of shape (rows, cols) (a dense weight (out, in), or a conv kernel reshaped to
 * (cout, cin kh kw)) and a persistent vector {@code u} in {@code R^rows}:
 * <pre>
 *   u      = power iteration on W from u          (constant for the gradient)
 *   sigma  = ||W^T u||_2                          (differentiated)
 *   W_0    = W / (sigma + epsSpectral)
 *   W_bar  = Björck(W_0)
 * </pre>
 * With {@code s = sigma + epsSpectral} and {@code v = W^T u}, the chain rule through the scaling is
 * <pre>
 *   dL/dW = G_0 / s - (&lt;G_0, W&gt;_F / (s^2 sigma)) u v^T,     G_0 = dL/dW_0 (from Björck's backward).
 * </pre>
 *
 * <p>The configuration is immutable; {@link State} holds one layer's {@code u} and buffers.
 */
public final class Rko {

    private final PowerIteration power;
    private final double epsSpectral;
    private final Bjorck bjorck;

    /**
     * @param power       the power iteration (deel-lip: at most 10 iterations, tolerance 1e-3)
     * @param epsSpectral the additive {@code eps} in {@code W / (sigma + eps)} (deel-lip: 1e-3)
     * @param bjorck      the orthonormalisation (deel-lip: beta 0.5, at most 15 iterations, tolerance 1e-3)
     * @throws IllegalArgumentException if an argument is null or {@code epsSpectral} is negative or not finite
     */
    public Rko(PowerIteration power, double epsSpectral, Bjorck bjorck) {
        if (power == null) {
            throw new IllegalArgumentException("power must not be null");
        }
        if (bjorck == null) {
            throw new IllegalArgumentException("bjorck must not be null");
        }
        if (!(epsSpectral >= 0) || Double.isInfinite(epsSpectral)) {
            throw new IllegalArgumentException("epsSpectral must be finite and >= 0, got " + epsSpectral);
        }
        this.power = power;
        this.epsSpectral = epsSpectral;
        this.bjorck = bjorck;
    }

    /** deel-lip's defaults: power &le; 10 iterations (1e-3), epsSpectral 1e-3, Björck beta 0.5, &le; 15 (1e-3). */
    public static Rko defaults() {
        return new Rko(PowerIteration.defaults(), 1e-3, Bjorck.defaults());
    }

    /** The power iteration. */
    public PowerIteration power() {
        return power;
    }

    /** The additive epsilon of the spectral scaling. */
    public double epsSpectral() {
        return epsSpectral;
    }

    /** The Björck configuration. */
    public Bjorck bjorck() {
        return bjorck;
    }

    /**
     * A new state with persistent vector {@code u} (copied), for weights with {@code u.length()} rows.
     *
     * @throws IllegalArgumentException if {@code u} is null
     */
    public State newState(INDArray u) {
        if (u == null) {
            throw new IllegalArgumentException("u must not be null");
        }
        return new State(u.dup());
    }

    @Override
    public String toString() {
        return "Rko[" + power + ", epsSpectral=" + epsSpectral + ", " + bjorck + "]";
    }

    /** One layer's persistent vector {@code u}, buffers, and the record of the last pass. */
    public final class State {
        private final INDArray u;
        private final Bjorck.Workspace workspace = bjorck.newWorkspace();
        private INDArray raw;
        private INDArray w0;
        private INDArray uCol;
        private INDArray vRow;
        private double sigma;
        private int powerIterationsRun;
        private boolean recorded;

        private State(INDArray u) {
            this.u = u;
        }

        /** The live persistent vector {@code u} (length rows); callers may {@code assign} to it. */
        public INDArray u() {
            return u;
        }

        /** {@code sigma = ||W^T u||} of the last pass. */
        public double sigma() {
            return sigma;
        }

        /** Power iterations run in the last pass. */
        public int powerIterationsRun() {
            return powerIterationsRun;
        }

        /** Björck iterations run in the last pass. */
        public int bjorckIterationsRun() {
            return workspace.iterationsRun();
        }

        /** Björck deltas {@code ||W_{t+1} - W_t||_F} of the last pass. */
        public double[] bjorckDeltas() {
            return workspace.deltas();
        }

        /**
         * Runs power iteration (updating {@code u}), spectral scaling and Björck on {@code w}.
         *
         * @param w      the raw weight (rows, cols), same data type as {@code u}; when {@code record} is true it
         *               must not change until {@link #backward} has run
         * @param record whether to record what {@link #backward} needs
         * @return {@code W_bar}, a buffer owned by this state, valid until the next {@code forward}
         * @throws IllegalArgumentException if the shapes or data types do not match
         */
        public INDArray forward(INDArray w, boolean record) {
            PowerIteration.Result pr = power.run(w, u);
            powerIterationsRun = pr.iterationsRun();
            sigma = pr.sigma();
            double s = sigma + epsSpectral;
            if (!(s > 0) || Double.isInfinite(s)) {
                throw new IllegalArgumentException("w has spectral estimate " + sigma
                        + " and epsSpectral " + epsSpectral + ": cannot scale");
            }
            if (w0 == null || !Arrays.equals(w0.shape(), w.shape()) || w0.dataType() != w.dataType()) {
                w0 = Nd4j.create(w.dataType(), w.shape(), 'c');
            }
            w.div(s, w0);
            raw = w;
            uCol = u.reshape(u.length(), 1).dup();
            vRow = pr.wtu().reshape(1, w.size(1));
            recorded = record;
            return workspace.forward(w0, record);
        }

        /**
         * {@code W_bar} recomputed from {@code w} and the current {@code u} as they are, without running the power
         * iteration ({@code sigma = ||W^T u||}) and without changing this state: after a pass on the same {@code w},
         * the same arithmetic as that pass, so the same result.
         *
         * @return a new array
         */
        public INDArray reparametrise(INDArray w) {
            INDArray wtu = Nd4j.create(w.dataType(), w.size(1), 1);
            Nd4j.gemm(w, u.reshape(u.length(), 1), wtu, true, false, 1.0, 0.0);
            double s = wtu.norm2Number().doubleValue() + epsSpectral;
            return bjorck.orthonormalize(w.div(s)).w();
        }

        /**
         * Back-propagates {@code dL/dW_bar} to {@code dL/dW} for the raw weight of the last recorded pass.
         *
         * @param gradWbar {@code dL/dW_bar} (rows, cols), not modified
         * @return {@code dL/dW}, a new array
         * @throws IllegalStateException if the last pass was not recorded
         */
        public INDArray backward(INDArray gradWbar) {
            if (!recorded) {
                throw new IllegalStateException("backward needs a forward pass with record = true");
            }
            INDArray g0 = workspace.backward(gradWbar);
            double s = sigma + epsSpectral;
            INDArray gw = g0.div(s);
            if (sigma > 0) {
                INDArray product = g0.mul(raw);
                double inner = product.sumNumber().doubleValue();
                product.close();
                double c = inner / (s * s * sigma);
                Nd4j.gemm(uCol, vRow, gw, false, false, -c, 1.0);
            }
            return gw;
        }
    }
}
