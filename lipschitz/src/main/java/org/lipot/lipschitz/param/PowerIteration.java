package org.lipot.lipschitz.param;

import java.util.Arrays;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * deel-lip's power iteration for the largest singular value of a weight {@code W} of shape (rows, cols), with a
 * persistent vector {@code u} in {@code R^rows} (for a dense weight (out, in): {@code R^out}).
 *
 * <pre>
 *   u = u0 / ||u0||
 *   repeat at most `iterations` times:
 *       u_old = u;   u = normalize(W (W^T u));   stop if tolerance &gt; 0 and ||u - u_old||_2 &lt; tolerance
 *   sigma = ||W^T u||_2
 * </pre>
 * The iteration that triggers the stop is counted. {@code sigma} is a lower bound on {@code sigma_max(W)} (a
 * Rayleigh quotient), used only for scaling before Björck, never as a certificate. The result is not
 * differentiated: layers treat {@code u} as a constant and let the gradient flow through
 * {@code sigma = ||W^T u||} only.
 *
 * <p>Immutable; {@link #run} updates the caller's {@code u} in place.
 */
public final class PowerIteration {

    private final int iterations;
    private final double tolerance;

    private PowerIteration(int iterations, double tolerance) {
        this.iterations = iterations;
        this.tolerance = tolerance;
    }

    /** deel-lip defaults: at most 10 iterations, tolerance 1e-3. */
    public static PowerIteration defaults() {
        return builder().build();
    }

    /** A builder with deel-lip's defaults (10 iterations, tolerance 1e-3). */
    public static Builder builder() {
        return new Builder();
    }

    /** Maximum number of iterations per call. */
    public int iterations() {
        return iterations;
    }

    /** Early-stop tolerance on {@code ||u - u_old||_2}; 0 runs exactly {@link #iterations()} iterations. */
    public double tolerance() {
        return tolerance;
    }

    /**
     * The outcome of one call.
     *
     * @param sigma          {@code ||W^T u||_2} for the final {@code u}
     * @param wtu            {@code W^T u} as a (cols, 1) column (new array)
     * @param iterationsRun  iterations performed, the stopping one included
     * @param deltas         {@code ||u_t - u_{t-1}||_2} per iteration
     */
    public record Result(double sigma, INDArray wtu, int iterationsRun, double[] deltas) {
    }

    /**
     * Runs the iteration on {@code w} from {@code u}, which is replaced (in place) by the final unit vector.
     *
     * @param w weight (rows, cols), not modified
     * @param u vector of length rows, same data type as {@code w}; updated in place
     * @throws IllegalArgumentException if the shapes do not match or {@code u} is zero
     */
    public Result run(INDArray w, INDArray u) {
        if (w == null || w.rank() != 2) {
            throw new IllegalArgumentException("w must be a matrix, got " + (w == null ? null : Arrays.toString(w.shape())));
        }
        long rows = w.size(0);
        long cols = w.size(1);
        if (u == null || u.length() != rows) {
            throw new IllegalArgumentException("u has length " + (u == null ? null : u.length()) + " but w has "
                    + rows + " rows");
        }
        if (u.dataType() != w.dataType()) {
            throw new IllegalArgumentException("u has data type " + u.dataType() + " but w has " + w.dataType());
        }
        INDArray uc = u.reshape(rows, 1);
        double n0 = uc.norm2Number().doubleValue();
        if (!(n0 > 0) || Double.isInfinite(n0)) {
            throw new IllegalArgumentException("u must be finite and non-zero, its norm is " + n0);
        }
        INDArray cur = uc.div(n0);
        INDArray t = Nd4j.create(w.dataType(), cols, 1);
        INDArray next = Nd4j.create(w.dataType(), rows, 1);
        double[] deltas = new double[iterations];
        int run = 0;
        for (int it = 0; it < iterations; it++) {
            Nd4j.gemm(w, cur, t, true, false, 1.0, 0.0);
            Nd4j.gemm(w, t, next, false, false, 1.0, 0.0);
            double norm = next.norm2Number().doubleValue();
            if (!(norm > 0)) {
                break; // W^T u = 0: u is in the null space of W^T; keep it
            }
            next.divi(norm);
            deltas[it] = next.distance2(cur);
            INDArray swap = cur;
            cur = next;
            next = swap;
            run++;
            if (tolerance > 0 && deltas[it] < tolerance) {
                break;
            }
        }
        uc.assign(cur);
        INDArray wtu = Nd4j.create(w.dataType(), cols, 1);
        Nd4j.gemm(w, uc, wtu, true, false, 1.0, 0.0);
        double sigma = wtu.norm2Number().doubleValue();
        return new Result(sigma, wtu, run, Arrays.copyOf(deltas, run));
    }

    @Override
    public String toString() {
        return "PowerIteration[iterations=" + iterations + ", tolerance=" + tolerance + "]";
    }

    /** Builder for {@link PowerIteration}. */
    public static final class Builder {
        private int iterations = 10;
        private double tolerance = 1e-3;

        private Builder() {
        }

        /**
         * Maximum iterations per call (default 10).
         *
         * @throws IllegalArgumentException if not positive
         */
        public Builder iterations(int iterations) {
            if (iterations <= 0) {
                throw new IllegalArgumentException("iterations must be positive, got " + iterations);
            }
            this.iterations = iterations;
            return this;
        }

        /**
         * Early-stop tolerance on {@code ||u - u_old||} (default 1e-3; 0 = no early stop).
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

        /** The immutable configuration. */
        public PowerIteration build() {
            return new PowerIteration(iterations, tolerance);
        }
    }
}
