package org.lipot.lipschitz.param;

import java.util.Arrays;
import java.util.SplittableRandom;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The spectral norm {@code ||T||_2} of a convolution operator {@code T: x -> conv(x, k)} (no bias) as applied by
 * {@link Conv2dOps} for a {@link ConvGeometry}: input and output flattened, l2 norms, so
 * {@code ||T x||_2 <= ||T||_2 ||x||_2} for every (cin, h, w) input. Never the reshaped kernel's norm times a
 * factor: the padding, stride and input size enter the computation.
 *
 * <p><b>Circular padding, stride 1</b> (Sedghi, Gupta and Long 2019). {@code T} is block-circulant on the
 * {@code h x w} torus; the 2-D DFT block-diagonalises it, so
 * <pre>
 *   ||T||_2 = max_{(u,v) in [0,h) x [0,w)} sigma_max(A(u,v)),   A(u,v)[o][c] = sum_{i,j} k[o][c][i][j] e^{-2 pi I (u i / h + v j / w)}
 * </pre>
 * (the padding offset multiplies {@code A(u,v)} by a unit phase, which leaves its singular values unchanged). The
 * cout x cin DFT matrices of the small kernel are computed directly, half of them skipped by the symmetry
 * {@code A(-u,-v) = conj(A(u,v))}.
 *
 * <p><b>Circular padding, stride s = (sh, sw) dividing (h, w)</b>: exact too. Writing each tap offset
 * {@code i - padTop = sh q1 + r1} ({@code 0 <= r1 < sh}) and splitting the input into its {@code sh sw} polyphase
 * components {@code x_{c,r1,r2}[m][l] = x[c][sh m + r1][sw l + r2]} (pixel-unshuffle, an orthogonal map), {@code T}
 * becomes a stride-1 circular convolution on the {@code (h/sh) x (w/sw)} torus with {@code cin sh sw} input channels
 * and taps at {@code (q1, q2)}; the formula above applies with {@code A(u,v)} of size cout x (cin sh sw). If a stride
 * does not divide its size, {@code T} is the restriction of the stride-1 circular operator to every s-th output
 * (in that direction), so the stride-1 value bounds it: an upper bound only ({@link Bound#exact()} false).
 *
 * <p><b>Zero padding</b> ("same" or "valid", any stride): an upper bound, never exact. Embed the input in an
 * {@code N1 x N2} grid of zeros; if {@code N1 >= h + padTop}, {@code N1 > sh (outH - 1) + kh - 1 - padTop} and
 * {@code sh | N1} (likewise for the width), then every tap the zero-padded operator reads either lies in the input
 * or in the zero band, also after the circular wrap, so {@code T = P C E} with {@code E} the isometric embedding,
 * {@code C} the strided circular operator on the grid and {@code P} the restriction to the outputs that exist:
 * {@code ||T|| <= ||C||}, computed exactly as above. The smallest such grid is used (for odd kernels at stride 1:
 * {@code (h + kh/2) x (w + kw/2)}, less than the {@code (h + kh - 1) x (w + kw - 1)} of the usual statement; for
 * valid padding at stride 1: {@code h x w} itself). The value on the input's own grid is not a bound.
 *
 * <p><b>Rounding margin.</b> Each DFT entry is a sum of {@code t} terms {@code k cos(theta)} / {@code k sin(theta)}
 * with the angle {@code 2 pi m / L} from an exact integer {@code m}: the angle is off by at most {@code 19 u} and
 * {@link Math#cos} by one ulp ({@code <= 2u}), so an entry is off by at most {@code (24 + 2t) u S}, {@code S} the
 * sum of the absolute kernel entries involved ({@code u = 2^-53}); the whole matrix by at most
 * {@code sqrt(2) (24 + 2 t_max) u ||S||_F} in spectral norm, which is added. {@code sigma_max} of the computed
 * matrix comes from the Gram matrix of its real form {@code [[Re, -Im], [Im, Re]]} (same singular values, each twice),
 * computed in float64 with its error {@code gamma_m ||B||_F^2} added. Its largest eigenvalue is bounded
 * rigorously ({@code SymmetricEigen}): a power iteration per frequency gives a level {@code t} (the largest
 * Rayleigh quotient, times {@code 1 + 1e-12}), and a Cholesky factorisation of {@code t I - G} with Higham's
 * backward error certifies {@code lambda_max(G) <= t} plus {@code (n^2 u) t}; where it fails, a Jacobi
 * decomposition with an a-posteriori residual bound is used. The value is therefore at most about
 * {@code 1e-12} relative above {@code ||T||} (for the exact cases), and never below it.
 * Cost: {@code O(N1 N2 c^3 / 3)} for {@code c} channels (frequencies whose Frobenius norm is below the running
 * maximum are skipped, since {@code sigma_max <= ||A||_F}).
 */
public final class ConvNorms {

    private static final double U = Math.ulp(1.0) / 2;

    private ConvNorms() {
    }

    /** How {@link Bound#value()} was obtained. */
    public enum Method {
        /** Circular padding, strides dividing the size: the operator's own DFT (polyphase for stride &gt; 1). */
        CIRCULAR,
        /** Circular padding, a stride not dividing its size: the operator with stride 1 in that direction. */
        CIRCULAR_STRIDE_ONE,
        /** Zero padding: the circular operator on a larger grid that contains the zero-padded one. */
        ZERO_PADDED_EMBEDDING
    }

    /**
     * A sound upper bound on {@code ||T||_2}.
     *
     * @param value       the bound (dimensionless: output l2 norm per unit input l2 norm)
     * @param exact       whether {@code value} equals {@code ||T||_2} up to the certification margin (at most about
     *                    1e-12 relative); false means it is an upper bound that may be loose
     * @param method      how it was obtained
     * @param gridH       rows of the torus the circular operator lives on
     * @param gridW       columns of that torus
     * @param strideH     stride of that circular operator along the rows (1 when the geometry's stride was dropped)
     * @param strideW     stride along the columns
     * @param eigenSolves frequencies whose Cholesky certificate failed and which needed a Jacobi eigenvalue bound
     */
    public record Bound(double value, boolean exact, Method method, int gridH, int gridW, int strideH, int strideW,
                        int eigenSolves) {
    }

    /**
     * A lower estimate of {@code ||T||_2} by power iteration on {@code T^T T} (forward then
     * {@link Conv2dOps#backwardInput}), float64: {@code ||T x|| / ||x||} for the final iterate, a lower bound up to
     * rounding. For reporting how tight {@link #upperBound} is, never for certificates.
     *
     * @param value      {@code ||T x||_2} for the final unit {@code x}
     * @param iterations iterations run
     * @param lastChange relative change of the estimate in the last iteration
     */
    public record Estimate(double value, int iterations, double lastChange) {
    }

    /**
     * A sound upper bound on the spectral norm of {@code x -> conv(x, kernel)} for geometry {@code g}.
     *
     * @param kernel (cout, cin, kh, kw), float32 or float64, finite; not modified
     * @param g      the geometry (padding, stride and input size all matter)
     * @throws IllegalArgumentException if the kernel's shape does not match {@code g} or it holds NaN/Inf
     */
    public static Bound upperBound(INDArray kernel, ConvGeometry g) {
        double[] k = kernelValues(kernel, g);
        int pt = g.padTop();
        int pl = g.padLeft();
        if (g.padding() == ConvGeometry.Padding.CIRCULAR) {
            int s1 = g.h() % g.sh() == 0 ? g.sh() : 1;
            int s2 = g.w() % g.sw() == 0 ? g.sw() : 1;
            boolean exact = s1 == g.sh() && s2 == g.sw();
            Circular c = circular(k, g, g.h(), g.w(), s1, s2, pt, pl);
            return new Bound(c.value, exact, exact ? Method.CIRCULAR : Method.CIRCULAR_STRIDE_ONE, g.h(), g.w(), s1, s2,
                    c.solves);
        }
        int n1 = embeddingSize(g.h(), g.kh(), g.sh(), g.outH(), pt);
        int n2 = embeddingSize(g.w(), g.kw(), g.sw(), g.outW(), pl);
        Circular c = circular(k, g, n1, n2, g.sh(), g.sw(), pt, pl);
        return new Bound(c.value, false, Method.ZERO_PADDED_EMBEDDING, n1, n2, g.sh(), g.sw(), c.solves);
    }

    /**
     * Power-iteration lower estimate of {@code ||T||_2} from a seeded random start.
     *
     * @param kernel     (cout, cin, kh, kw), float32 or float64 (used in float64); not modified
     * @param g          the geometry
     * @param iterations maximum iterations, &ge; 1
     * @param tolerance  stop when the estimate changes by less than this relative amount (0: run all iterations)
     * @param seed       seed of the random start
     * @throws IllegalArgumentException if the kernel does not match {@code g}, {@code iterations < 1} or
     *                                  {@code tolerance} is negative or NaN
     */
    public static Estimate powerIteration(INDArray kernel, ConvGeometry g, int iterations, double tolerance,
                                          long seed) {
        double[] k = kernelValues(kernel, g);
        if (iterations < 1) {
            throw new IllegalArgumentException("iterations must be >= 1, got " + iterations);
        }
        if (!(tolerance >= 0)) {
            throw new IllegalArgumentException("tolerance must be >= 0, got " + tolerance);
        }
        INDArray kd = Nd4j.create(k, g.kernelShape(), 'c');
        SplittableRandom r = new SplittableRandom(seed);
        double[] start = new double[g.inputSize()];
        for (int i = 0; i < start.length; i++) {
            start[i] = r.nextDouble() - 0.5;
        }
        INDArray x = Nd4j.create(start, g.inputShape(1), 'c');
        x.divi(x.norm2Number());
        INDArray y = Nd4j.create(DataType.DOUBLE, g.outputShape(1));
        Conv2dOps.Workspace ws = new Conv2dOps.Workspace();
        double est = 0;
        double change = Double.POSITIVE_INFINITY;
        int it = 0;
        while (it < iterations) {
            it++;
            Conv2dOps.forward(x, kd, null, g, y, ws);
            double next = y.norm2Number().doubleValue();
            change = Math.abs(next - est) / Math.max(next, Double.MIN_NORMAL);
            est = next;
            Conv2dOps.backward(null, y, kd, g, x, null, null, false, ws);
            double nx = x.norm2Number().doubleValue();
            if (!(nx > 0)) {
                break; // T^T T x = 0: x is in the null space; the estimate stays
            }
            x.divi(nx);
            if (tolerance > 0 && change < tolerance) {
                break;
            }
        }
        Conv2dOps.forward(x, kd, null, g, y, ws);
        est = Math.max(est, y.norm2Number().doubleValue());
        return new Estimate(est, it, change);
    }

    /**
     * The smallest multiple {@code N} of {@code s} with {@code N >= h + pad} and {@code N > s (out - 1) + k - 1 - pad}:
     * a grid on which the zero-padded strided operator never wraps onto the input.
     */
    static int embeddingSize(int h, int k, int s, int out, int pad) {
        long need = Math.max((long) h + pad, (long) s * (out - 1) + k - pad);
        long n = (need + s - 1) / s * s;
        if (n > Integer.MAX_VALUE / 2) {
            throw new IllegalArgumentException("input too large for the norm computation: " + h);
        }
        return (int) n;
    }

    private record Circular(double value, int solves) {
    }

    /**
     * Rigorous upper bound on (in exact arithmetic: the value of) the norm of the circular convolution on the
     * {@code n1 x n2} torus with stride {@code (s1, s2)} dividing it, by the polyphase DFT.
     */
    private static Circular circular(double[] k, ConvGeometry g, int n1, int n2, int s1, int s2, int pt, int pl) {
        int m1 = n1 / s1;
        int m2 = n2 / s2;
        int cout = g.cout();
        int cin = g.cin() * s1 * s2;
        int kh = g.kh();
        int kw = g.kw();
        long period = (long) m1 * m2;
        // every tap (i, j): its polyphase input channel offset (r1, r2) and coarse shift (q1, q2)
        int[] phase = new int[kh * kw];
        long[] shiftU = new long[kh * kw];
        long[] shiftV = new long[kh * kw];
        for (int i = 0; i < kh; i++) {
            for (int j = 0; j < kw; j++) {
                int q1 = Math.floorDiv(i - pt, s1);
                int q2 = Math.floorDiv(j - pl, s2);
                phase[i * kw + j] = Math.floorMod(i - pt, s1) * s2 + Math.floorMod(j - pl, s2);
                shiftU[i * kw + j] = Math.floorMod((long) q1 * m2, period);
                shiftV[i * kw + j] = Math.floorMod((long) q2 * m1, period);
            }
        }
        // absolute sums S per matrix entry and taps per entry, for the DFT rounding margin
        double[] abs = new double[cout * cin];
        int[] taps = new int[cout * cin];
        for (int o = 0; o < cout; o++) {
            for (int c = 0; c < g.cin(); c++) {
                for (int t = 0; t < kh * kw; t++) {
                    int e = o * cin + c * s1 * s2 + phase[t];
                    abs[e] += Math.abs(k[(o * g.cin() + c) * kh * kw + t]);
                    taps[e]++;
                }
            }
        }
        double s2sum = 0;
        int tMax = 0;
        for (int e = 0; e < abs.length; e++) {
            s2sum += abs[e] * abs[e];
            tMax = Math.max(tMax, taps[e]);
        }
        double dftErr = Math.sqrt(2 * s2sum) * (24 + 2.0 * tMax) * U * (1 + 16 * U) * (1 + 4.0 * (abs.length + 8) * U);
        // cos and sin of 2 pi m / period: the angle is off by <= 19 u, the functions by one ulp
        double[] cos = new double[(int) period];
        double[] sin = new double[(int) period];
        for (int m = 0; m < period; m++) {
            double theta = 2 * Math.PI * m / period;
            cos[m] = Math.cos(theta);
            sin[m] = Math.sin(theta);
        }
        // pass 1, frequencies up to conjugate symmetry: Frobenius norm (a cheap upper bound on sigma_max) and a
        // power-iteration estimate of lambda_max of the Gram matrix (a lower value, only used to pick a level)
        int nf = (int) period;
        double[] re = new double[cout * cin];
        double[] im = new double[cout * cin];
        Gram gram = new Gram(cout, cin);
        double[] fro = new double[nf];
        Integer[] order = new Integer[nf];
        int kept = 0;
        double level = 0;
        for (int f = 0; f < nf; f++) {
            int u = f / m2;
            int v = f % m2;
            int partner = ((m1 - u) % m1) * m2 + (m2 - v) % m2;
            if (partner < f) {
                continue;
            }
            dft(k, g, s1, s2, phase, shiftU, shiftV, u, v, period, cos, sin, re, im);
            gram.of(re, im);
            fro[f] = Math.sqrt(gram.bFro2 / 2);
            level = Math.max(level, SymmetricEigen.rayleighEstimate(gram.g, gram.n));
            order[kept++] = f;
        }
        // pass 2, largest Frobenius norm first: certify lambda_max <= level (1 + 1e-12) by a Cholesky factorisation
        // of (level I - G), O(n^3 / 3); where that fails (the estimate was low), a verified Jacobi bound, which then
        // becomes the level for the remaining frequencies
        double target = Math.max(level * (1 + 1e-12), Double.MIN_NORMAL);
        Integer[] freqs = Arrays.copyOf(order, kept);
        Arrays.sort(freqs, (a, b) -> Double.compare(fro[b], fro[a]));
        double froSlack = 1 + 4.0 * (re.length * 4 + 8) * U;
        double best = 0;
        int solves = 0;
        for (int f : freqs) {
            double cheap = Math.nextUp((fro[f] * froSlack + dftErr) * (1 + 4 * U));
            if (cheap <= best) {
                break; // sigma_max <= ||A||_F: this and every later frequency is dominated
            }
            dft(k, g, s1, s2, phase, shiftU, shiftV, f / m2, f % m2, period, cos, sin, re, im);
            gram.of(re, im);
            double lambda = SymmetricEigen.certifiedBelow(gram.g, gram.n, target);
            if (Double.isNaN(lambda)) {
                lambda = SymmetricEigen.lambdaMaxUpperBound(gram.g, gram.n);
                target = Math.max(target, lambda);
                solves++;
            }
            double sigma = Math.nextUp(Math.sqrt((lambda + gram.error()) * (1 + 4 * U)) * (1 + 4 * U));
            best = Math.max(best, Math.min(cheap, sigma + dftErr * (1 + 4 * U)));
        }
        return new Circular(Math.nextUp(best * (1 + 4 * U)), solves);
    }

    /** The cout x cin' polyphase DFT matrix at frequency (u, v), real and imaginary parts (row-major). */
    private static void dft(double[] k, ConvGeometry g, int s1, int s2, int[] phase, long[] shiftU, long[] shiftV,
                            int u, int v, long period, double[] cos, double[] sin, double[] re, double[] im) {
        Arrays.fill(re, 0);
        Arrays.fill(im, 0);
        int cin = g.cin() * s1 * s2;
        int taps = g.kh() * g.kw();
        for (int t = 0; t < taps; t++) {
            int m = (int) ((shiftU[t] * u + shiftV[t] * v) % period);
            double c = cos[m];
            double s = sin[m];
            for (int o = 0; o < g.cout(); o++) {
                for (int ch = 0; ch < g.cin(); ch++) {
                    double w = k[(o * g.cin() + ch) * taps + t];
                    int e = o * cin + ch * s1 * s2 + phase[t];
                    re[e] += w * c;
                    im[e] += w * s;
                }
            }
        }
    }

    /**
     * The Gram matrix of the real form {@code B = [[Re, -Im], [Im, Re]]} of a complex rows x cols matrix, on its
     * shorter side ({@code n = 2 min(rows, cols)}; the same nonzero eigenvalues, {@code sigma_max(A)^2} the
     * largest), computed in float64; {@link #error()} bounds {@code ||fl(G) - G||_2 <= gamma_m ||B||_F^2}.
     */
    private static final class Gram {
        final int n;
        final double[] g;
        double bFro2;
        private final int rows;
        private final int cols;
        private final int inner;
        private final double[] b;

        Gram(int rows, int cols) {
            this.rows = rows;
            this.cols = cols;
            boolean wide = rows <= cols;
            this.n = 2 * (wide ? rows : cols);
            this.inner = 2 * (wide ? cols : rows);
            this.g = new double[n * n];
            // stored so that the Gram is always B' B'^T with B' = B (wide) or B^T (tall): rows of length inner
            this.b = new double[n * inner];
        }

        void of(double[] re, double[] im) {
            boolean wide = rows <= cols;
            for (int i = 0; i < rows; i++) {
                for (int j = 0; j < cols; j++) {
                    double x = re[i * cols + j];
                    double y = im[i * cols + j];
                    put(wide, i, j, x);
                    put(wide, i, cols + j, -y);
                    put(wide, rows + i, j, y);
                    put(wide, rows + i, cols + j, x);
                }
            }
            double f2 = 0;
            for (double x : b) {
                f2 += x * x;
            }
            bFro2 = f2;
            for (int p = 0; p < n; p++) {
                for (int q = p; q < n; q++) {
                    double s = 0;
                    for (int l = 0; l < inner; l++) {
                        s += b[p * inner + l] * b[q * inner + l];
                    }
                    g[p * n + q] = s;
                    g[q * n + p] = s;
                }
            }
        }

        private void put(boolean wide, int i, int j, double x) {
            if (wide) {
                b[i * inner + j] = x;
            } else {
                b[j * inner + i] = x;
            }
        }

        double error() {
            return SymmetricEigen.gamma(inner) * bFro2 * (1 + 4.0 * (b.length + 8) * U);
        }
    }

    private static double[] kernelValues(INDArray kernel, ConvGeometry g) {
        if (g == null) {
            throw new IllegalArgumentException("g must not be null");
        }
        if (kernel == null || !Arrays.equals(kernel.shape(), g.kernelShape())) {
            throw new IllegalArgumentException("kernel has shape " + (kernel == null ? null
                    : Arrays.toString(kernel.shape())) + " but the geometry needs " + Arrays.toString(g.kernelShape()));
        }
        double[] k = kernel.castTo(DataType.DOUBLE).dup('c').data().asDouble();
        for (double x : k) {
            if (!Double.isFinite(x)) {
                throw new IllegalArgumentException("kernel holds a NaN or infinite entry");
            }
        }
        return k;
    }
}
