package org.lipot.transport;

import java.util.Arrays;

import org.lipot.transport.exact.MonotoneRearrangement;
import org.lipot.transport.exact.NetworkSimplex;
import org.lipot.transport.geometry.Cost;
import org.lipot.transport.geometry.CostMatrix;
import org.lipot.transport.geometry.Geometry;
import org.lipot.transport.geometry.PointCloud;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One-liners for the common cases, on {@code double[][]}/{@code double[]} or ND4J {@code INDArray}s. Each returns a
 * full {@link Solution} (value, plan, status); for more control build the solver yourself
 * ({@link NetworkSimplex#builder()}, {@link MonotoneRearrangement#builder()}).
 *
 * <p><b>Units.</b> {@code Solution.value()} is always the transport cost {@code <P, C>} under the stated cost: with
 * the default squared Euclidean cost it is {@code W_2^2}; {@code solution.distance(2)} is {@code W_2}.
 *
 * <pre>{@code
 * Solution s = Wasserstein.exact(x, y);          // W_2^2 between uniform clouds x (n x d) and y (m x d)
 * double w2 = s.distance(2);
 * double w1 = Wasserstein.exact(x, y, Cost.EUCLIDEAN).value();
 * double w2Line = Wasserstein.oneDimensional(u, v, 2).distance(2);
 * }</pre>
 */
public final class Wasserstein {

    private static final NetworkSimplex SIMPLEX = NetworkSimplex.builder().build();

    private Wasserstein() {
    }

    /** Exact OT between uniform point clouds under the squared Euclidean cost: value {@code W_2^2}. */
    public static Solution exact(double[][] x, double[][] y) {
        return exact(x, y, Cost.SQUARED_EUCLIDEAN);
    }

    /** Exact OT between uniform point clouds under a cost: value {@code <P, C>}. */
    public static Solution exact(double[][] x, double[][] y, Cost cost) {
        return SIMPLEX.solve(TransportProblem.uniform(PointCloud.of(x, y, cost)));
    }

    /**
     * Exact OT between weighted point clouds; {@code a} and {@code b} must have equal totals (null = uniform).
     *
     * @throws IllegalArgumentException on invalid points or weights, naming the argument
     */
    public static Solution exact(double[][] x, double[] a, double[][] y, double[] b, Cost cost) {
        PointCloud cloud = PointCloud.of(x, y, cost);
        return SIMPLEX.solve(problem(cloud.sourceCount(), a, cloud.targetCount(), b, cloud));
    }

    /**
     * Exact OT for a given cost matrix {@code c} ({@code n x m}) and weights {@code a} (length n), {@code b}
     * (length m) with equal totals (null = uniform); value {@code <P, C>}.
     */
    public static Solution exact(double[] a, double[] b, double[][] c) {
        CostMatrix cost = CostMatrix.of(c);
        return SIMPLEX.solve(problem(cost.sourceCount(), a, cost.targetCount(), b, cost));
    }

    /** {@link #exact(double[][], double[][])} for {@code INDArray}s of shape (n, d) and (m, d). */
    public static Solution exact(INDArray x, INDArray y) {
        return exact(matrix("source points", x), matrix("target points", y));
    }

    /** {@link #exact(double[][], double[][], Cost)} for {@code INDArray}s of shape (n, d) and (m, d). */
    public static Solution exact(INDArray x, INDArray y, Cost cost) {
        return exact(matrix("source points", x), matrix("target points", y), cost);
    }

    /** {@link #exact(double[], double[], double[][])} for {@code INDArray}s of shape (n), (m) and (n, m). */
    public static Solution exact(INDArray a, INDArray b, INDArray c) {
        return exact(vector("source weights", a), vector("target weights", b), matrix("cost matrix", c));
    }

    /**
     * Exact OT on the line between uniform samples under {@code |x - y|^p}: value {@code W_p^p}.
     *
     * @param p the exponent, {@code p >= 1}
     */
    public static Solution oneDimensional(double[] x, double[] y, double p) {
        return MonotoneRearrangement.builder().exponent(p).build().solve(x, y);
    }

    /** Exact OT on the line between weighted samples (null = uniform) under {@code |x - y|^p}: value {@code W_p^p}. */
    public static Solution oneDimensional(double[] x, double[] a, double[] y, double[] b, double p) {
        return MonotoneRearrangement.builder().exponent(p).build().solve(x, a, y, b);
    }

    /** {@link #oneDimensional(double[], double[], double)} for {@code INDArray}s of shape (n) or (n, 1). */
    public static Solution oneDimensional(INDArray x, INDArray y, double p) {
        return oneDimensional(vector("source points", x), vector("target points", y), p);
    }

    private static TransportProblem problem(int n, double[] a, int m, double[] b, Geometry g) {
        Marginals ma = a == null ? Marginals.uniform(n) : Marginals.of("source weights", a);
        Marginals mb = b == null ? Marginals.uniform(m) : Marginals.of("target weights", b);
        return TransportProblem.of(g, ma, mb);
    }

    private static double[][] matrix(String name, INDArray x) {
        if (x == null) {
            throw new IllegalArgumentException(name + " must not be null");
        }
        if (x.rank() == 1) {
            double[] v = x.toDoubleVector();
            double[][] m = new double[v.length][1];
            for (int i = 0; i < v.length; i++) {
                m[i][0] = v[i];
            }
            return m;
        }
        if (x.rank() != 2) {
            throw new IllegalArgumentException(name + " must have shape (n, d), got " + Arrays.toString(x.shape()));
        }
        return x.toDoubleMatrix();
    }

    private static double[] vector(String name, INDArray x) {
        if (x == null) {
            throw new IllegalArgumentException(name + " must not be null");
        }
        boolean column = x.rank() == 2 && (x.size(1) == 1 || x.size(0) == 1);
        if (x.rank() != 1 && !column) {
            throw new IllegalArgumentException(name + " must have shape (n) or (n, 1), got " + Arrays.toString(x.shape()));
        }
        return x.toDoubleVector();
    }
}
