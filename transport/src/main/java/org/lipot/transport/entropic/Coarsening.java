package org.lipot.transport.entropic;

import org.lipot.transport.Status;
import org.lipot.transport.TransportProblem;
import org.lipot.transport.geometry.PointCloud;
import org.lipot.transport.internal.RowBlocks;

/**
 * The coarse start of {@link Sinkhorn.Builder#coarseStart}: each cloud is cut into k-d clusters of
 * {@value Sinkhorn#COARSENING} points, each cluster becomes one point (its weighted mean) carrying its total weight,
 * the clustered problem is solved at the same epsilon (by {@code MULTISCALE} while it has more than
 * {@code denseLimit} entries, else by the stored kernel; coarsened again while it has at least
 * {@value #MIN_POINTS} points on each side), and its potentials are carried to the points by soft c-transforms:
 * <pre>
 *   f_i = -eps log sum_J B_J exp((G_J - |x_i - Y_J|^2) / eps),     g_j = -eps log sum_I A_I exp((F_I - |X_I - y_j|^2) / eps).
 * </pre>
 * Those are the potentials the fine iteration starts from (GeomLoss's multiscale extrapolation).
 */
final class Coarsening {

    /** Clouds with fewer points are not coarsened: their coarse problems would be too small to guide them. */
    static final int MIN_POINTS = 64 * Sinkhorn.COARSENING;

    /**
     * A coarse level is solved to this L1 violation relative to the mass (or the tolerance, if larger), and within
     * {@link #MAX_SWEEPS} sweeps: it only guides the next level. (Looser levels cost more fine sweeps than they
     * save: n = m = 2000, eps = 1e-3, tolerance 1e-6 took 224, 266 and 359 fine sweeps at 1e-6, 1e-4 and 1e-3.)
     */
    static final double TOLERANCE = 1e-6;

    /** Most sweeps of a coarse level. */
    static final long MAX_SWEEPS = 10_000;

    private final Sinkhorn solver;
    private final PointCloud cloud;
    private final double[] a;
    private final double[] b;

    Coarsening(Sinkhorn solver, PointCloud cloud, double[] a, double[] b) {
        this.solver = solver;
        this.cloud = cloud;
        this.a = a;
        this.b = b;
    }

    /**
     * The fine level's start: potentials {@code f}, {@code g} carried from the coarse solution, and its final
     * over-relaxation (the coarse problem converges at about the fine one's rate).
     */
    record Start(double[] f, double[] g, double relaxation) {
    }

    /** The start from the coarse solution, or {@code null} if a cloud is too small to coarsen or it failed. */
    Start start() {
        int n = a.length;
        int m = b.length;
        if (n < MIN_POINTS || m < MIN_POINTS) {
            return null;
        }
        double[][] x = MultiscaleIteration.points(cloud, true);
        double[][] y = MultiscaleIteration.points(cloud, false);
        double[][] cx = new double[clusterCount(n)][];
        double[][] cy = new double[clusterCount(m)][];
        int[] ofX = new int[n];
        int[] ofY = new int[m];
        double[] ca = cluster(x, a, cx, ofX);
        double[] cb = cluster(y, b, cy, ofY);
        PointCloud coarse = PointCloud.squaredEuclidean(cx, cy);
        long entries = (long) cx.length * cy.length;
        Sinkhorn.Mode mode = entries > solver.denseLimit() ? Sinkhorn.Mode.MULTISCALE : Sinkhorn.Mode.KERNEL;
        double mass = 0;
        for (double w : ca) {
            mass += w;
        }
        EntropicSolution s = solver.coarseLevel(mode, TOLERANCE * mass, MAX_SWEEPS)
                .solve(TransportProblem.of(coarse, ca, cb));
        if (s.status() == Status.NUMERICAL_ERROR) {
            return null;
        }
        double eps = solver.epsilon();
        try (RowBlocks blocks = solver.blocks((long) (n + m) * Math.max(cx.length, cy.length))) {
            double[] f = MultiscaleIteration.softTransform(x, guess(s.sourcePotential(), ofX), cy, cb,
                    s.targetPotential(), eps, blocks);
            double[] g = MultiscaleIteration.softTransform(y, guess(s.targetPotential(), ofY), cx, ca,
                    s.sourcePotential(), eps, blocks);
            return new Start(f, g, s.relaxation());
        }
    }

    private static int clusterCount(int size) {
        return KdOrder.boundaries(size, Sinkhorn.COARSENING).length - 1;
    }

    /**
     * Fills {@code centres} with the clusters' weighted means (plain means for zero weight) and {@code clusterOf}
     * with each point's cluster; returns the clusters' weights.
     */
    private static double[] cluster(double[][] points, double[] w, double[][] centres, int[] clusterOf) {
        int d = points[0].length;
        double[][] byAxis = new double[d][points.length];
        for (int i = 0; i < points.length; i++) {
            for (int k = 0; k < d; k++) {
                byAxis[k][i] = points[i][k];
            }
        }
        int[] order = KdOrder.order(byAxis, Sinkhorn.COARSENING);
        int[] starts = KdOrder.boundaries(points.length, Sinkhorn.COARSENING);
        double[] weights = new double[centres.length];
        for (int c = 0; c < centres.length; c++) {
            double total = 0;
            for (int p = starts[c]; p < starts[c + 1]; p++) {
                total += w[order[p]];
            }
            double[] mid = new double[d];
            int size = starts[c + 1] - starts[c];
            for (int p = starts[c]; p < starts[c + 1]; p++) {
                int i = order[p];
                clusterOf[i] = c;
                double share = total > 0 ? w[i] / total : 1.0 / size;
                for (int k = 0; k < d; k++) {
                    mid[k] += share * points[i][k];
                }
            }
            centres[c] = mid;
            weights[c] = total;
        }
        return weights;
    }

    /** Each point's estimate: the coarse potential of its cluster. */
    private static double[] guess(double[] coarse, int[] clusterOf) {
        double[] out = new double[clusterOf.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = coarse[clusterOf[i]];
        }
        return out;
    }
}
