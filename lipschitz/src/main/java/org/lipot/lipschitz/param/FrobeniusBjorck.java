package org.lipot.lipschitz.param;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Björck orthonormalisation after Frobenius scaling, differentiable and stateless between passes:
 * <pre>
 *   W_0   = W / ||W||_F
 *   W_bar = Björck(W_0)
 *   dL/dW = (G_0 - &lt;G_0, W_0&gt;_F W_0) / ||W||_F,     G_0 = dL/dW_0 (from Björck's backward)
 * </pre>
 * The scaling puts every singular value of {@code W_0} in (0, 1], and for {@code beta <= 1/2} Björck's map
 * {@code sigma -> (1 + beta) sigma - beta sigma^3} is increasing on [0, 1] with fixed point 1: the singular values
 * rise towards 1 and never pass it. So {@code W_bar} has norm at most 1 (in exact arithmetic) however few iterations
 * run, and is orthonormal (columns if tall, rows if wide) once they have converged: for an orthonormal start the
 * scaled singular values are {@code 1 / sqrt(min(rows, cols))}, which needs about {@code log_{1.5} sqrt(min)} + 4
 * iterations. Unlike {@link Rko} it keeps no power-iteration vector, so the result is a function of {@code W} alone
 * (a layer made of several such matrices saves nothing but them).
 *
 * <p>The configuration is the {@link Bjorck} it runs; a {@link State} holds one matrix's buffers and the record of its
 * last pass.
 */
public final class FrobeniusBjorck {

    private final Bjorck bjorck;

    /**
     * @throws IllegalArgumentException if {@code bjorck} is null
     */
    public FrobeniusBjorck(Bjorck bjorck) {
        if (bjorck == null) {
            throw new IllegalArgumentException("bjorck must not be null");
        }
        this.bjorck = bjorck;
    }

    /** The Björck configuration. */
    public Bjorck bjorck() {
        return bjorck;
    }

    /** A new state (buffers for one matrix). */
    public State newState() {
        return new State();
    }

    @Override
    public String toString() {
        return "FrobeniusBjorck[" + bjorck + "]";
    }

    /** One matrix's Björck workspace and the record of its last pass. */
    public final class State {
        private final Bjorck.Workspace workspace = bjorck.newWorkspace();
        private INDArray w0;
        private double norm;

        private State() {
        }

        /** Björck iterations run in the last pass. */
        public int iterationsRun() {
            return workspace.iterationsRun();
        }

        /**
         * {@code W_bar} from {@code w} (not modified).
         *
         * @param record whether {@link #backward} will follow
         * @return a buffer owned by this state, valid until the next {@code forward}
         * @throws IllegalArgumentException if {@code w} is not a float matrix or its Frobenius norm is 0 or not finite
         * @throws ArithmeticException      if Björck diverged
         */
        public INDArray forward(INDArray w, boolean record) {
            norm = w.norm2Number().doubleValue();
            if (!(norm > 0) || Double.isInfinite(norm)) {
                throw new IllegalArgumentException("the matrix has Frobenius norm " + norm
                        + "; it cannot be orthonormalised");
            }
            w0 = w.div(norm);
            return workspace.forward(w0, record);
        }

        /**
         * {@code dL/dW} from {@code dL/dW_bar} through the last recorded pass.
         *
         * @return a new array
         * @throws IllegalStateException if the last pass was not recorded
         */
        public INDArray backward(INDArray gradWbar) {
            INDArray g0 = workspace.backward(gradWbar);
            double dot = g0.mul(w0).sumNumber().doubleValue();
            return g0.sub(w0.mul(dot)).divi(norm);
        }
    }
}
