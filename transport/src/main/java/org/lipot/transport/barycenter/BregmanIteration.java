package org.lipot.transport.barycenter;

import org.lipot.transport.Status;
import org.lipot.transport.entropic.SinkhornProgress;
import org.lipot.transport.internal.GibbsKernel;
import org.lipot.transport.internal.ScalingSweeps;

/**
 * Iterative Bregman projections for the entropic barycenter (Benamou, Carlier, Cuturi, Nenna and Peyré, 2015), with
 * the optional debiasing of Janati, Cuturi and Gramfort (2020), on any {@link GibbsKernel}. Input {@code k}'s
 * plan is {@code P_k = diag(exp(a_k)) K diag(exp(b_k))}; one sweep is
 * <pre>
 *   b_k = log h_k - log K^T exp(a_k)                   (input marginals exact)
 *   log q = log d + sum_k w_k log K exp(b_k)
 *   a_k = log q - log K exp(b_k)                       (every barycenter-side marginal equals q)
 *   log d = (log d + log q - log K exp(log d)) / 2      (debiased only; otherwise d = 1)
 * </pre>
 * It stops when {@code max_k |P_k^T 1 - h_k|_1 <= tolerance} for the current plans, whose barycenter-side marginals
 * are then all exactly {@code q}, and, when debiased, the self-transport scaling {@code d} of the last sweep had
 * {@code |d K d - q|_1 <= tolerance}. Sweeps use kernel products while every scaling stays finite and positive, and
 * switch to log-sum-exp reductions for the rest of the solve as soon as one does not.
 */
final class BregmanIteration {

    private BregmanIteration() {
    }

    static BarycenterResult run(GibbsKernel kernel, double[][] histograms, double[] weights,
                                BregmanBuilder.Settings settings) {
        boolean debiased = settings.debiased();
        double tolerance = settings.tolerance();
        int maxIterations = settings.maxIterations();
        SinkhornProgress progress = settings.progress();
        int count = histograms.length;
        int n = kernel.rows();
        int m = kernel.columns();
        double[][] logh = new double[count][m];
        for (int k = 0; k < count; k++) {
            for (int j = 0; j < m; j++) {
                logh[k][j] = Math.log(histograms[k][j]);
            }
        }
        double[][] a = new double[count][n];
        double[][] b = new double[count][m];
        double[][] logKu = new double[count][m];
        double[][] logKv = new double[count][n];
        double[][] logd = new double[1][n];
        double[][] logKd = new double[1][n];
        double[] logq = new double[n];
        ScalingSweeps sweeps = new ScalingSweeps(kernel, settings.logDomain());
        Status status = Status.MAX_ITERATIONS;
        double error = Double.POSITIVE_INFINITY;
        double selfError = 0;
        int it = 0;
        while (true) {
            sweeps.logApplyTransposed(a, logKu);
            if (it > 0) {
                error = 0;
                for (int k = 0; k < count; k++) {
                    double e = 0;
                    for (int j = 0; j < m; j++) {
                        e += Math.abs(Math.exp(b[k][j] + logKu[k][j]) - histograms[k][j]);
                    }
                    error = Math.max(error, e);
                }
                error = Math.max(error, selfError);
                if (progress != null && (it % 10 == 0 || it == maxIterations || error <= tolerance)) {
                    progress.onCheck(new SinkhornProgress.Check(0, 1, settings.epsilon(), it, error, tolerance));
                }
                if (Double.isNaN(error)) {
                    status = Status.NUMERICAL_ERROR;
                    break;
                }
                if (error <= tolerance) {
                    status = Status.CONVERGED;
                    break;
                }
            }
            if (it == maxIterations) {
                break;
            }
            it++;
            for (int k = 0; k < count; k++) {
                for (int j = 0; j < m; j++) {
                    b[k][j] = histograms[k][j] == 0 ? Double.NEGATIVE_INFINITY : logh[k][j] - logKu[k][j];
                }
            }
            sweeps.logApply(b, logKv);
            for (int i = 0; i < n; i++) {
                double s = logd[0][i];
                for (int k = 0; k < count; k++) {
                    s += weights[k] * logKv[k][i];
                }
                logq[i] = s;
            }
            for (int k = 0; k < count; k++) {
                for (int i = 0; i < n; i++) {
                    a[k][i] = logq[i] - logKv[k][i];
                }
            }
            if (debiased) {
                sweeps.logApply(logd, logKd);
                selfError = 0;
                for (int i = 0; i < n; i++) {
                    selfError += Math.abs(Math.exp(logd[0][i] + logKd[0][i]) - Math.exp(logq[i]));
                }
                for (int i = 0; i < n; i++) {
                    logd[0][i] = 0.5 * (logd[0][i] + logq[i] - logKd[0][i]);
                }
            }
        }
        double[] q = new double[n];
        for (int i = 0; i < n; i++) {
            q[i] = Math.exp(logq[i]);
        }
        double value = 0;
        for (int k = 0; k < count; k++) {
            value += weights[k] * kernel.linearCost(a[k], b[k]);
        }
        if (status != Status.NUMERICAL_ERROR && !(Double.isFinite(value) && allFinite(q))) {
            status = Status.NUMERICAL_ERROR;
        }
        return new BarycenterResult(q, value, status, it, error, sweeps.inLogDomain());
    }

    private static boolean allFinite(double[] v) {
        for (double x : v) {
            if (!Double.isFinite(x)) {
                return false;
            }
        }
        return true;
    }
}
