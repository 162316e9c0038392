package org.lipot.lipschitz.param;

/**
 * Sound upper bounds on the largest eigenvalue of a small real symmetric matrix: a Cholesky certificate at a
 * given level ({@link #certifiedBelow}), and, whatever the level, cyclic Jacobi for an approximate
 * eigendecomposition {@code G ~ V D V^T}, then an a-posteriori bound that holds whatever the accuracy of
 * {@code V} and {@code D}:
 * <pre>
 *   lambda_max(G) &le; max(d_max, 0) ||V||_2^2 + ||G - V D V^T||_2
 *                 &le; max(d_max, 0) (1 + ||V^T V - I||_F) + ||G - V D V^T||_F
 * </pre>
 * (for a unit {@code x}, {@code x^T G x = (V^T x)^T D (V^T x) + x^T R x}). The two Frobenius norms are computed in
 * float64 and inflated by their rounding errors: {@code |fl(V^T V) - V^T V| <= gamma_{n+1} |V|^T |V|} and
 * {@code |fl(R) - R| <= gamma_{n+3} (|G| + |V| |D| |V|^T)} entrywise (Higham, Thm 3.5), whose Frobenius norms are at
 * most {@code gamma ||V||_F^2} and {@code gamma (||G||_F + max|d| ||V||_F^2)}. Sums of squares and square roots
 * get the relative margin {@code 4 (n^2 + n + 8) u} of {@link SpectralBounds}, {@code u = 2^-53}.
 * Jacobi's accuracy only decides how tight the bound is (about {@code n^2 u max|d|} above {@code lambda_max}).
 * Package-private: used by {@link ConvNorms} per frequency.
 */
final class SymmetricEigen {

    private static final double U = Math.ulp(1.0) / 2;
    private static final int MAX_SWEEPS = 60;

    private SymmetricEigen() {
    }

    /**
     * A sound upper bound on {@code lambda_max(g)} for the symmetric {@code n x n} matrix {@code g} (row-major).
     *
     * @param g    row-major entries, read only (its upper triangle is mirrored: only symmetric input is meaningful)
     * @param n    size
     */
    static double lambdaMaxUpperBound(double[] g, int n) {
        double[] a = g.clone();
        double[] v = new double[n * n];
        for (int i = 0; i < n; i++) {
            v[i * n + i] = 1;
        }
        jacobi(a, v, n);
        double dMax = Double.NEGATIVE_INFINITY;
        double dAbs = 0;
        for (int i = 0; i < n; i++) {
            dMax = Math.max(dMax, a[i * n + i]);
            dAbs = Math.max(dAbs, Math.abs(a[i * n + i]));
        }
        double vFro2 = 0;
        for (double x : v) {
            vFro2 += x * x;
        }
        double gFro2 = 0;
        double orth2 = 0;
        double res2 = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double gij = g[i * n + j];
                gFro2 += gij * gij;
                double vtv = 0;
                double vdv = 0;
                for (int k = 0; k < n; k++) {
                    vtv += v[k * n + i] * v[k * n + j];
                    vdv += v[i * n + k] * a[k * n + k] * v[j * n + k];
                }
                double e = vtv - (i == j ? 1.0 : 0.0);
                orth2 += e * e;
                double r = gij - vdv;
                res2 += r * r;
            }
        }
        double rel = 4.0 * ((double) n * n + n + 8) * U;
        double up = 1 + rel;
        double nu = (Math.sqrt(orth2 * up) + gamma(n + 1) * vFro2) * up;
        double rho = (Math.sqrt(res2 * up) + gamma(n + 3) * (Math.sqrt(gFro2 * up) + dAbs * vFro2)) * up;
        double bound = (Math.max(dMax, 0) * (1 + nu) + rho) * (1 + 8 * U);
        return Math.nextUp(bound);
    }

    /**
     * A sound upper bound on {@code lambda_max(g)} if it is at most about {@code t}, else NaN: Cholesky of
     * {@code A = t I - G} in float64. When the factorisation completes, the computed factor satisfies
     * {@code R^T R = A^ + dA} with {@code |dA| <= gamma_{n+1} |R^T| |R|} (Higham 2002, Thm 10.3; the proof only uses
     * that the recurrences complete, as in Rump 2006), so {@code lambda_min(A^) >= -gamma_{n+1} ||R||_F^2};
     * forming {@code A^} rounds its diagonal by at most {@code u max_i |t - g_ii|}. Hence
     * <pre>
     *   lambda_max(G) &le; t + u max_i |t - g_ii| + gamma_{n+1} ||R||_F^2.
     * </pre>
     * Cost {@code n^3 / 3} multiply-adds, against about {@code 20 n^3} for {@link #lambdaMaxUpperBound}.
     */
    static double certifiedBelow(double[] g, int n, double t) {
        double[] l = new double[n * n];
        double diag = 0;
        for (int j = 0; j < n; j++) {
            double ajj = t - g[j * n + j];
            diag = Math.max(diag, Math.abs(ajj));
            double s = ajj;
            for (int k = 0; k < j; k++) {
                s -= l[j * n + k] * l[j * n + k];
            }
            if (!(s > 0) || Double.isInfinite(s)) {
                return Double.NaN;
            }
            double ljj = Math.sqrt(s);
            l[j * n + j] = ljj;
            for (int i = j + 1; i < n; i++) {
                double a = -g[i * n + j];
                for (int k = 0; k < j; k++) {
                    a -= l[i * n + k] * l[j * n + k];
                }
                l[i * n + j] = a / ljj;
            }
        }
        double r2 = 0;
        for (double x : l) {
            r2 += x * x;
        }
        double rel = 4.0 * ((double) n * n + n + 8) * U;
        return Math.nextUp((t + U * diag * (1 + rel) + gamma(n + 1) * r2 * (1 + rel)) * (1 + 4 * U));
    }

    /**
     * A Rayleigh-quotient estimate of {@code lambda_max(g)} for a symmetric positive semi-definite {@code g}: 60
     * power iterations at most from a fixed start, stopping at a relative change below 1e-13. Below
     * {@code lambda_max} up to rounding; not a bound, only a level to certify.
     */
    static double rayleighEstimate(double[] g, int n) {
        double[] x = new double[n];
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = 1 + 0.1 * Math.sin(1.7 * i + 0.3); // fixed start with no special structure
        }
        double est = 0;
        for (int it = 0; it < 60; it++) {
            double xx = 0;
            double xy = 0;
            for (int i = 0; i < n; i++) {
                double s = 0;
                for (int j = 0; j < n; j++) {
                    s += g[i * n + j] * x[j];
                }
                y[i] = s;
                xx += x[i] * x[i];
                xy += x[i] * s;
            }
            double next = xy / xx;
            double yy = 0;
            for (double v : y) {
                yy += v * v;
            }
            if (!(yy > 0)) {
                return Math.max(est, next);
            }
            double inv = 1 / Math.sqrt(yy);
            for (int i = 0; i < n; i++) {
                x[i] = y[i] * inv;
            }
            boolean done = Math.abs(next - est) <= 1e-13 * next;
            est = next;
            if (done) {
                break;
            }
        }
        return est;
    }

    /** {@code gamma_k = k u / (1 - k u)}, rounded up generously. */
    static double gamma(long k) {
        return k * U / (1 - k * U) * (1 + 4 * U);
    }

    /**
     * Cyclic Jacobi: overwrites {@code a} with an almost diagonal matrix and accumulates the rotations in {@code v}
     * (so that {@code a_in ~ v a_out v^T}).
     */
    static void jacobi(double[] a, double[] v, int n) {
        for (int sweep = 0; sweep < MAX_SWEEPS; sweep++) {
            double off = 0;
            double diag = 0;
            for (int i = 0; i < n; i++) {
                diag += a[i * n + i] * a[i * n + i];
                for (int j = i + 1; j < n; j++) {
                    off += a[i * n + j] * a[i * n + j];
                }
            }
            if (off == 0 || off <= 1e-34 * diag) {
                return;
            }
            for (int p = 0; p < n; p++) {
                for (int q = p + 1; q < n; q++) {
                    double apq = a[p * n + q];
                    if (apq == 0) {
                        continue;
                    }
                    double theta = (a[q * n + q] - a[p * n + p]) / (2 * apq);
                    double t = Math.abs(theta) > 1e150 ? 0.5 / theta
                            : Math.signum(theta == 0 ? 1 : theta) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
                    double c = 1 / Math.sqrt(t * t + 1);
                    double s = t * c;
                    for (int k = 0; k < n; k++) {
                        double akp = a[k * n + p];
                        double akq = a[k * n + q];
                        a[k * n + p] = c * akp - s * akq;
                        a[k * n + q] = s * akp + c * akq;
                    }
                    for (int k = 0; k < n; k++) {
                        double apk = a[p * n + k];
                        double aqk = a[q * n + k];
                        a[p * n + k] = c * apk - s * aqk;
                        a[q * n + k] = s * apk + c * aqk;
                    }
                    a[p * n + q] = 0;
                    a[q * n + p] = 0;
                    for (int k = 0; k < n; k++) {
                        double vkp = v[k * n + p];
                        double vkq = v[k * n + q];
                        v[k * n + p] = c * vkp - s * vkq;
                        v[k * n + q] = s * vkp + c * vkq;
                    }
                }
            }
        }
    }
}
