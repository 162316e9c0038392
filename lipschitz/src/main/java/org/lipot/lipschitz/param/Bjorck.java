package org.lipot.lipschitz.param;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Björck-Bowie orthonormalisation of a matrix {@code W} of shape (rows, cols), differentiable.
 *
 * <p><b>Iteration</b> ({@code t = 0, 1, ...}):
 * <pre>
 *   W_{t+1} = (1 + beta) W_t - beta W_t W_t^T W_t
 * </pre>
 * For {@code sigma_max(W_0) < sqrt((1+beta)/beta)} (guaranteed after spectral scaling) every non-zero singular
 * value converges to 1: a tall matrix ends with orthonormal columns ({@code W^T W = I}), a wide or square one with
 * orthonormal rows ({@code W W^T = I}). The cubic term is evaluated in the cheaper order, {@code W (W^T W)} when
 * rows &gt; cols and {@code (W W^T) W} otherwise, so each iteration costs two GEMMs of
 * {@code rows * cols * min(rows, cols)} multiply-adds.
 *
 * <p><b>Stopping.</b> At most {@code maxIterations}; with {@code tolerance > 0} the loop stops after the first
 * iteration with {@code ||W_{t+1} - W_t||_F < tolerance} (that iteration is counted and its result returned).
 *
 * <p><b>Gradient.</b> With {@code G' = dL/dW_{t+1}}, one iteration back-propagates as
 * <pre>
 *   dL/dW_t = (1+beta) G' - beta (G' W_t^T W_t + W_t G'^T W_t + W_t W_t^T G')
 *           = (1+beta) G' - beta ((M + M^T) W_t + A_t G'),    M = G' W_t^T,  A_t = W_t W_t^T   (wide)
 *           = (1+beta) G' - beta (G' B_t + W_t (N + N^T)),    N = W_t^T G',  B_t = W_t^T W_t   (tall)
 * </pre>
 * (three GEMMs, the Gram {@code A_t} / {@code B_t} is stored by the forward pass). The {@link GradientMode}
 * decides which iterations are detached: they contribute only the factor {@code (1+beta)} each. Iterations
 * detached up front (after the first K in {@link GradientMode.Kind#THROUGH_FIRST}) run in two scratch buffers
 * without storing anything; {@link GradientMode.Kind#THROUGH_LAST} stores every iteration, as the full mode does,
 * since the number of iterations run is known only when the early stop fires.
 *
 * <p>The configuration is immutable and thread-safe; the {@link Workspace} obtained from
 * {@link #newWorkspace()} holds the reusable buffers of one layer and is not thread-safe.
 */
public final class Bjorck {

    private final double beta;
    private final int maxIterations;
    private final double tolerance;
    private final GradientMode gradientMode;

    private Bjorck(Builder b) {
        this.beta = b.beta;
        this.maxIterations = b.maxIterations;
        this.tolerance = b.tolerance;
        this.gradientMode = b.gradientMode;
    }

    /** A builder with deel-lip's defaults: beta 0.5, at most 15 iterations, tolerance 1e-3, full gradient. */
    public static Builder builder() {
        return new Builder();
    }

    /** deel-lip's defaults: beta 0.5, at most 15 iterations, tolerance 1e-3, full gradient. */
    public static Bjorck defaults() {
        return builder().build();
    }

    /** The step parameter {@code beta} in (0, 0.5]. */
    public double beta() {
        return beta;
    }

    /** Maximum number of iterations. */
    public int maxIterations() {
        return maxIterations;
    }

    /** Early-stop tolerance on {@code ||W_{t+1} - W_t||_F}; 0 = always {@link #maxIterations()}. */
    public double tolerance() {
        return tolerance;
    }

    /** Which iterations the gradient flows through. */
    public GradientMode gradientMode() {
        return gradientMode;
    }

    /** A new set of reusable buffers for one matrix (typically one per layer). */
    public Workspace newWorkspace() {
        return new Workspace();
    }

    /**
     * The outcome of a forward pass without gradient.
     *
     * @param w             the orthonormalised matrix (new array)
     * @param iterationsRun iterations performed
     * @param deltas        {@code ||W_{t+1} - W_t||_F} per iteration (always measured here)
     */
    public record Result(INDArray w, int iterationsRun, double[] deltas) {
    }

    /**
     * Orthonormalises {@code w} (not modified) without recording anything for backward.
     *
     * @throws IllegalArgumentException if {@code w} is not a float32/float64 matrix
     */
    public Result orthonormalize(INDArray w) {
        Workspace ws = newWorkspace();
        ws.alwaysDeltas = true;
        INDArray out = ws.forward(w, false).dup();
        return new Result(out, ws.iterationsRun(), ws.deltas());
    }

    @Override
    public String toString() {
        return "Bjorck[beta=" + beta + ", maxIterations=" + maxIterations + ", tolerance=" + tolerance
                + ", gradientMode=" + gradientMode + "]";
    }

    /**
     * Reusable buffers for repeated orthonormalisation of matrices of one shape, and the record of the last
     * forward pass for {@link #backward}. Buffers are reallocated only when the shape or data type changes.
     */
    public final class Workspace {

        /** Iterate buffers: entries [0, kept) are inputs of recorded iterations, the rest are free scratch. */
        private final List<INDArray> iterates = new ArrayList<>();
        /** Gram buffers: entries [0, gramsKept) belong to recorded iterations, entry gramsKept is scratch. */
        private final List<INDArray> grams = new ArrayList<>();
        /** Backward plan: for each recorded step, its input and Gram (or null, null and a detached-run length). */
        private final List<INDArray> stepInput = new ArrayList<>();
        private final List<INDArray> stepGram = new ArrayList<>();
        private final List<Integer> stepDetached = new ArrayList<>();
        private INDArray gradA;
        private INDArray gradB;
        private INDArray small;
        private INDArray smallSym;
        private long rows = -1;
        private long cols = -1;
        private DataType type;
        private int kept;
        private int gramsKept;
        private int iterationsRun;
        private double[] deltas = new double[0];
        private boolean recorded;
        private boolean alwaysDeltas;

        private Workspace() {
        }

        /** Iterations performed by the last forward pass. */
        public int iterationsRun() {
            return iterationsRun;
        }

        /**
         * {@code ||W_{t+1} - W_t||_F} per iteration of the last forward pass (a copy). Measured only when the
         * tolerance is positive (otherwise NaN: the extra pass over the matrix is skipped when nothing needs it).
         */
        public double[] deltas() {
            return Arrays.copyOf(deltas, iterationsRun);
        }

        /** The Björck configuration this workspace runs. */
        public Bjorck config() {
            return Bjorck.this;
        }

        /**
         * Orthonormalises {@code w0}.
         *
         * @param w0     the start matrix (rows, cols), not modified; when {@code record} is true it must stay
         *               unchanged until {@link #backward} has run
         * @param record whether to record what {@link #backward} needs (otherwise every iteration is detached)
         * @return the result, a buffer owned by this workspace: valid until the next call of {@code forward}
         * @throws IllegalArgumentException if {@code w0} is not a float32/float64 matrix
         * @throws ArithmeticException      if the iteration diverged (a NaN or infinite result)
         */
        public INDArray forward(INDArray w0, boolean record) {
            prepare(w0);
            kept = 0;
            gramsKept = 0;
            iterationsRun = 0;
            stepInput.clear();
            stepGram.clear();
            stepDetached.clear();
            recorded = record;
            boolean wide = rows <= cols;
            INDArray cur = w0;
            int detachedRun = 0;
            for (int t = 0; t < maxIterations; t++) {
                // recorded if it keeps its gradient should the pass stop right after it (THROUGH_LAST: every one)
                boolean full = record && gradientMode.keepsGradient(t, t + 1);
                INDArray gram;
                INDArray out;
                if (full) {
                    if (detachedRun > 0) {
                        addDetached(detachedRun);
                        detachedRun = 0;
                    }
                    keep(cur);
                    gram = gram(gramsKept++);
                    out = iterate(kept);
                    stepInput.add(cur);
                    stepGram.add(gram);
                    stepDetached.add(0);
                } else {
                    gram = gram(gramsKept);
                    out = cur == iterate(kept) ? iterate(kept + 1) : iterate(kept);
                    detachedRun++;
                }
                // out = (1+beta) cur - beta * cubic: the (1+beta) scaling rides on GEMM's beta argument,
                // which saves a separate (and, under OpenMP, surprisingly slow) elementwise pass
                out.assign(cur);
                if (wide) {
                    Nd4j.gemm(cur, cur, gram, false, true, 1.0, 0.0);
                    Nd4j.gemm(gram, cur, out, false, false, -beta, 1.0 + beta);
                } else {
                    Nd4j.gemm(cur, cur, gram, true, false, 1.0, 0.0);
                    Nd4j.gemm(cur, gram, out, false, false, -beta, 1.0 + beta);
                }
                iterationsRun++;
                if (tolerance > 0 || alwaysDeltas) {
                    double delta = DenseKernels.distance(out, cur);
                    deltas[t] = delta;
                    if (tolerance > 0 && delta < tolerance) {
                        cur = out;
                        break;
                    }
                } else {
                    deltas[t] = Double.NaN;
                }
                cur = out;
            }
            if (detachedRun > 0) {
                addDetached(detachedRun);
            }
            double size = cur.norm2Number().doubleValue();
            if (!Double.isFinite(size)) {
                throw new ArithmeticException("Björck diverged: ||W_" + iterationsRun + "||_F = " + size
                        + " (it converges only for sigma_max(W_0) < sqrt((1 + beta) / beta) = "
                        + Math.sqrt((1 + beta) / beta) + ")");
            }
            if (record) {
                detachOutsideMode();
            }
            return cur;
        }

        /**
         * Back-propagates through the last recorded forward pass.
         *
         * @param gradOut {@code dL/dW_final}, shape (rows, cols), not modified
         * @return {@code dL/dW_0}, a buffer owned by this workspace (valid until the next {@code backward})
         * @throws IllegalStateException    if the last forward pass was not recorded
         * @throws IllegalArgumentException if the shape differs
         */
        public INDArray backward(INDArray gradOut) {
            if (!recorded) {
                throw new IllegalStateException("backward needs a forward pass with record = true");
            }
            if (gradOut.rank() != 2 || gradOut.size(0) != rows || gradOut.size(1) != cols) {
                throw new IllegalArgumentException("gradOut has shape " + Arrays.toString(gradOut.shape())
                        + " but the orthonormalised matrix is " + rows + " x " + cols);
            }
            boolean wide = rows <= cols;
            INDArray g = gradA;
            INDArray next = gradB;
            g.assign(gradOut);
            for (int s = stepInput.size() - 1; s >= 0; s--) {
                int detached = stepDetached.get(s);
                if (detached > 0) {
                    g.muli(Math.pow(1.0 + beta, detached));
                    continue;
                }
                INDArray w = stepInput.get(s);
                INDArray gram = stepGram.get(s);
                next.assign(g);
                if (wide) {
                    Nd4j.gemm(g, w, small, false, true, 1.0, 0.0);          // M = G' W^T
                    DenseKernels.symmetrize(small, smallSym);                // M + M^T
                    Nd4j.gemm(gram, g, next, false, false, -beta, 1.0 + beta);
                    Nd4j.gemm(smallSym, w, next, false, false, -beta, 1.0);
                } else {
                    Nd4j.gemm(w, g, small, true, false, 1.0, 0.0);          // N = W^T G'
                    DenseKernels.symmetrize(small, smallSym);                // N + N^T
                    Nd4j.gemm(g, gram, next, false, false, -beta, 1.0 + beta);
                    Nd4j.gemm(w, smallSym, next, false, false, -beta, 1.0);
                }
                INDArray swap = g;
                g = next;
                next = swap;
            }
            return g;
        }

        /** Now that the number of iterations run is known, detaches the recorded ones the mode does not keep. */
        private void detachOutsideMode() {
            int t = 0;
            for (int s = 0; s < stepInput.size(); s++) {
                if (stepDetached.get(s) == 0 && !gradientMode.keepsGradient(t, iterationsRun)) {
                    stepInput.set(s, null);
                    stepGram.set(s, null);
                    stepDetached.set(s, 1);
                }
                t += Math.max(1, stepDetached.get(s));
            }
        }

        private void addDetached(int n) {
            stepInput.add(null);
            stepGram.add(null);
            stepDetached.add(n);
        }

        /** Moves {@code cur} (if it is a free iterate buffer) into the kept region. */
        private void keep(INDArray cur) {
            for (int i = kept; i < iterates.size(); i++) {
                if (iterates.get(i) == cur) {
                    Collections.swap(iterates, i, kept);
                    kept++;
                    return;
                }
            }
        }

        private INDArray iterate(int i) {
            while (iterates.size() <= i) {
                iterates.add(Nd4j.create(type, new long[] {rows, cols}, 'c'));
            }
            return iterates.get(i);
        }

        private INDArray gram(int i) {
            long k = Math.min(rows, cols);
            while (grams.size() <= i) {
                grams.add(Nd4j.create(type, new long[] {k, k}, 'c'));
            }
            return grams.get(i);
        }

        private void prepare(INDArray w0) {
            if (w0 == null || w0.rank() != 2) {
                throw new IllegalArgumentException("w must be a matrix, got "
                        + (w0 == null ? null : Arrays.toString(w0.shape())));
            }
            DataType t = w0.dataType();
            if (t != DataType.FLOAT && t != DataType.DOUBLE) {
                throw new IllegalArgumentException("w has data type " + t + "; only FLOAT and DOUBLE are supported");
            }
            if (w0.size(0) == rows && w0.size(1) == cols && t == type) {
                return;
            }
            rows = w0.size(0);
            cols = w0.size(1);
            type = t;
            iterates.clear();
            grams.clear();
            long k = Math.min(rows, cols);
            gradA = Nd4j.create(type, new long[] {rows, cols}, 'c');
            gradB = Nd4j.create(type, new long[] {rows, cols}, 'c');
            small = Nd4j.create(type, new long[] {k, k}, 'c');
            smallSym = Nd4j.create(type, new long[] {k, k}, 'c');
            deltas = new double[maxIterations];
        }
    }

    /** Builder for {@link Bjorck}. */
    public static final class Builder {
        private double beta = 0.5;
        private int maxIterations = 15;
        private double tolerance = 1e-3;
        private GradientMode gradientMode = GradientMode.full();

        private Builder() {
        }

        /**
         * The step {@code beta} (default 0.5).
         *
         * @throws IllegalArgumentException unless {@code 0 < beta <= 0.5}
         */
        public Builder beta(double beta) {
            if (!(beta > 0 && beta <= 0.5)) {
                throw new IllegalArgumentException("beta must be in (0, 0.5], got " + beta);
            }
            this.beta = beta;
            return this;
        }

        /**
         * Maximum iterations (default 15).
         *
         * @throws IllegalArgumentException if not positive
         */
        public Builder maxIterations(int maxIterations) {
            if (maxIterations <= 0) {
                throw new IllegalArgumentException("maxIterations must be positive, got " + maxIterations);
            }
            this.maxIterations = maxIterations;
            return this;
        }

        /**
         * Early-stop tolerance on {@code ||W_{t+1} - W_t||_F} (default 1e-3; 0 = no early stop).
         *
         * @throws IllegalArgumentException if negative or not finite
         */
        public Builder tolerance(double tolerance) {
            if (!(tolerance >= 0) || Double.isInfinite(tolerance)) {
                throw new IllegalArgumentException("tolerance must be finite and >= 0, got " + tolerance);
            }
            this.tolerance = tolerance;
            return this;
        }

        /**
         * Gradient mode (default {@link GradientMode#full()}).
         *
         * @throws IllegalArgumentException if null
         */
        public Builder gradientMode(GradientMode gradientMode) {
            if (gradientMode == null) {
                throw new IllegalArgumentException("gradientMode must not be null");
            }
            this.gradientMode = gradientMode;
            return this;
        }

        /** The immutable configuration. */
        public Bjorck build() {
            return new Bjorck(this);
        }
    }
}
