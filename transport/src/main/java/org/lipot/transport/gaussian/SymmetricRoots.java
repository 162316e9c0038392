package org.lipot.transport.gaussian;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;

/**
 * The eigendecomposition {@code S = V diag(lambda) V^T} of a symmetric matrix (EJML's symmetric QR algorithm), and
 * its powers {@code S^p = V diag(lambda^p) V^T} for the square roots of the Bures-Wasserstein formula. Eigenvalues at
 * most {@link #CUTOFF} times the largest are taken as 0, which makes the negative powers pseudo-inverse powers on a
 * near-singular matrix instead of blowing up.
 */
final class SymmetricRoots {

    /** Relative size below which an eigenvalue counts as 0 in {@link #power}. */
    static final double CUTOFF = 1e-12;

    private final int d;
    private final double[] values;
    private final double[][] vectors; // vectors[k] is the k-th unit eigenvector

    private SymmetricRoots(double[] values, double[][] vectors) {
        this.d = values.length;
        this.values = values;
        this.vectors = vectors;
    }

    /** Decomposes the symmetric matrix {@code s} (not modified). */
    static SymmetricRoots of(double[][] s) {
        int d = s.length;
        EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(d, true, true);
        if (!eig.decompose(new DMatrixRMaj(s))) {
            throw new ArithmeticException("the symmetric eigendecomposition did not converge");
        }
        double[] values = new double[d];
        double[][] vectors = new double[d][d];
        for (int k = 0; k < d; k++) {
            values[k] = eig.getEigenvalue(k).getReal();
            DMatrixRMaj v = eig.getEigenVector(k);
            double norm = 0;
            for (int i = 0; i < d; i++) {
                norm += v.get(i, 0) * v.get(i, 0);
            }
            norm = Math.sqrt(norm);
            for (int i = 0; i < d; i++) {
                vectors[k][i] = v.get(i, 0) / norm;
            }
        }
        return new SymmetricRoots(values, vectors);
    }

    double smallestEigenvalue() {
        double min = Double.POSITIVE_INFINITY;
        for (double v : values) {
            min = Math.min(min, v);
        }
        return min;
    }

    /**
     * {@code V diag(f(lambda)) V^T} with {@code f(lambda) = lambda^p} for eigenvalues above the cutoff and 0 below
     * (so {@code p = 0.5} is the square root of the semi-definite part, {@code p = -0.5} the pseudo-inverse root).
     */
    double[][] power(double p) {
        double largest = 0;
        for (double v : values) {
            largest = Math.max(largest, Math.abs(v));
        }
        double[][] out = new double[d][d];
        for (int k = 0; k < d; k++) {
            double lambda = values[k];
            if (!(lambda > CUTOFF * largest)) {
                continue;
            }
            double f = Math.pow(lambda, p);
            double[] v = vectors[k];
            for (int i = 0; i < d; i++) {
                for (int j = 0; j < d; j++) {
                    out[i][j] += f * v[i] * v[j];
                }
            }
        }
        return out;
    }

    /** The trace of {@link #power}{@code (p)}: the sum of {@code lambda^p} over the eigenvalues above the cutoff. */
    double tracePower(double p) {
        double largest = 0;
        for (double v : values) {
            largest = Math.max(largest, Math.abs(v));
        }
        double sum = 0;
        for (double lambda : values) {
            if (lambda > CUTOFF * largest) {
                sum += Math.pow(lambda, p);
            }
        }
        return sum;
    }
}
