package org.lipot.transport.map;

import org.lipot.transport.TransportPlan;
import org.lipot.transport.geometry.PointCloud;

/**
 * The barycentric projection of a transport plan: each source point goes to the mean of the targets it sends mass
 * to, weighted by that mass,
 * <pre>
 *   T(x_i) = sum_j P_ij y_j / sum_j P_ij.
 * </pre>
 * For an optimal plan without split mass (an assignment) it is the optimal (Monge) map on the sample; with split
 * mass, the conditional mean of the plan. A point {@code x} outside the source sample moves by the displacement of
 * its nearest source point of positive mass (Euclidean distance; the first in index order on ties):
 * {@code T(x) = x + T(x_k) - x_k}, the convention of POT's domain adaptation. Source points without mass are
 * treated as such outside points.
 *
 * <p>Memory {@code O((n + m) d)}; {@link #apply(double[])} costs {@code O(n d)} for an outside point (a linear
 * scan) and the same for a sample point, which is looked up by that scan at distance 0.
 */
public final class BarycentricMap implements TransportMap {

    private final double[][] sources;   // source points with positive mass
    private final double[][] images;    // their images T(x_i)
    private final int dimension;

    private BarycentricMap(double[][] sources, double[][] images, int dimension) {
        this.sources = sources;
        this.images = images;
        this.dimension = dimension;
    }

    /**
     * The barycentric projection of {@code plan} between the points of {@code cloud}.
     *
     * @throws IllegalArgumentException if an argument is null, the plan's shape is not the cloud's, a plan entry is
     *                                  negative or not finite, or no source point has mass
     */
    public static BarycentricMap of(PointCloud cloud, TransportPlan plan) {
        if (cloud == null || plan == null) {
            throw new IllegalArgumentException((cloud == null ? "cloud" : "plan") + " must not be null");
        }
        int n = cloud.sourceCount();
        int m = cloud.targetCount();
        if (plan.rows() != n || plan.cols() != m) {
            throw new IllegalArgumentException("plan is " + plan.rows() + " x " + plan.cols() + " but the cloud has "
                    + n + " source and " + m + " target points");
        }
        int d = cloud.dimension();
        double[][] sum = new double[n][d];
        double[] mass = new double[n];
        double[][] y = new double[m][];
        for (int j = 0; j < m; j++) {
            y[j] = cloud.target(j);
        }
        plan.forEachNonZero((i, j, p) -> {
            if (!(p >= 0) || p == Double.POSITIVE_INFINITY) {
                throw new IllegalArgumentException("plan entry (" + i + ", " + j + ") is " + p);
            }
            mass[i] += p;
            double[] yj = y[j];
            double[] si = sum[i];
            for (int k = 0; k < d; k++) {
                si[k] += p * yj[k];
            }
        });
        int count = 0;
        for (int i = 0; i < n; i++) {
            if (mass[i] > 0) {
                count++;
            }
        }
        if (count == 0) {
            throw new IllegalArgumentException("the plan moves no mass");
        }
        double[][] sources = new double[count][];
        double[][] images = new double[count][];
        for (int i = 0, c = 0; i < n; i++) {
            if (mass[i] > 0) {
                sources[c] = cloud.source(i);
                for (int k = 0; k < d; k++) {
                    sum[i][k] /= mass[i];
                }
                images[c++] = sum[i];
            }
        }
        return new BarycentricMap(sources, images, d);
    }

    @Override
    public int dimension() {
        return dimension;
    }

    @Override
    public double[] apply(double[] x) {
        TransportMap.checkPoint(x, dimension);
        int nearest = 0;
        double best = Double.POSITIVE_INFINITY;
        for (int i = 0; i < sources.length; i++) {
            double[] s = sources[i];
            double dist = 0;
            for (int k = 0; k < dimension && dist < best; k++) {
                double t = x[k] - s[k];
                dist += t * t;
            }
            if (dist < best) {
                best = dist;
                nearest = i;
            }
        }
        double[] out = new double[dimension];
        double[] s = sources[nearest];
        double[] t = images[nearest];
        for (int k = 0; k < dimension; k++) {
            // exactly T(x_i) on the sample, where x - s is 0
            out[k] = best == 0 ? t[k] : x[k] + (t[k] - s[k]);
        }
        return out;
    }
}
