package org.lipot.transport.entropic;

import java.util.Arrays;

import org.lipot.transport.Status;
import org.lipot.transport.TransportProblem;
import org.lipot.transport.geometry.PointCloud;
import org.lipot.transport.internal.RowBlocks;

/**
 * The coarse start of {@link Sinkhorn.Builder#coarseStart}: each cloud is cut into k-d clusters of
 * {@value Sinkhorn#COARSENING} points, each cluster becomes one point (its weighted mean) carrying its total weight,
 * the clustered problem is solved at the same epsilon (by {@code MULTISCALE} while it has more than
 * {@code denseLimit} entries, else by the stored kernel; coarsened again while it has at least
 * {@value #MIN_POINTS} points on each side), and its potentials {@code F}, {@code G} are carried to the points.
 * What the fine iteration should start from is the soft c-transform of the coarse potentials,
 * <pre>
 *   f(x) = -eps log sum_J B_J exp((G_J - |x - Y_J|^2) / eps),     g(y) = -eps log sum_I A_I exp((F_I - |X_I - y|^2) / eps)
 * </pre>
 * (GeomLoss's multiscale extrapolation). Its derivatives at a cluster's centre are moments of the coarse plan's
 * column (or row), the conditional law of the other side's clusters:
 * <pre>
 *   grad g(Y_J) = 2 (Y_J - E[X | J]),     Hess g(Y_J) = 2 I - (4 / eps) Cov[X | J],
 * </pre>
 * and each point takes the second-order expansion about its cluster's centre,
 * {@code g(y_j) = G_J + grad g(Y_J).delta + delta^T Hess g(Y_J) delta / 2} with {@code delta = y_j - Y_J} (and
 * {@code f} likewise). For a coarse level solved with a stored kernel the moments take one pass over the coarse plan
 * ({@code k^2} entries for {@code k} clusters, against {@code 2 n k} for the transforms themselves: a 2000-point
 * problem starts in 0.3 ms instead of 5 ms, and the fine iteration took the same sweeps on the benchmark's clouds);
 * a coarse level solved by {@code MULTISCALE} is carried by the transforms, over its blocks. Either is only a start:
 * the fine iteration converges to the same fixed point from it.
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
     * The fine level's start: potentials {@code f}, {@code g} carried from the coarse solution, its final
     * over-relaxation (the coarse problem converges at about the fine one's rate), and the k-d orders of the sources
     * and targets that the clusters were cut from ({@link KdOrder#order} with leaves of {@value Sinkhorn#COARSENING}).
     */
    record Start(double[] f, double[] g, double relaxation, int[] sourceOrder, int[] targetOrder) {
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
        int[] orderX = KdOrder.order(CostAccess.byAxis(cloud, true), Sinkhorn.COARSENING);
        int[] orderY = KdOrder.order(CostAccess.byAxis(cloud, false), Sinkhorn.COARSENING);
        double[] ca = cluster(x, a, orderX, cx, ofX);
        double[] cb = cluster(y, b, orderY, cy, ofY);
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
        if (mode == Sinkhorn.Mode.KERNEL) {
            Expansions e = new Expansions(cx, cy, s.plan(), s.sourcePotential(), s.targetPotential(), eps);
            return new Start(e.source.at(x, ofX), e.target.at(y, ofY), s.relaxation(), orderX, orderY);
        }
        RowBlocks blocks = solver.blocks((long) (n + m) * Math.max(cx.length, cy.length));
        double[] f = MultiscaleIteration.softTransform(x, guess(s.sourcePotential(), ofX), cy, cb,
                s.targetPotential(), eps, blocks);
        double[] g = MultiscaleIteration.softTransform(y, guess(s.targetPotential(), ofY), cx, ca,
                s.sourcePotential(), eps, blocks);
        return new Start(f, g, s.relaxation(), orderX, orderY);
    }

    /**
     * The second-order expansions of the soft c-transforms about the cluster centres: {@code value[c]} the coarse
     * potential, {@code gradient[c]}, {@code hessian[c]} (row-major {@code d x d}).
     */
    private record Expansion(double[][] centre, double[] value, double[][] gradient, double[][] hessian) {

        /** The expansion at each point, about the centre of its cluster {@code clusterOf[i]}. */
        double[] at(double[][] points, int[] clusterOf) {
            int d = centre[0].length;
            double[] out = new double[points.length];
            double[] delta = new double[d];
            for (int i = 0; i < points.length; i++) {
                int c = clusterOf[i];
                double v = value[c];
                for (int k = 0; k < d; k++) {
                    delta[k] = points[i][k] - centre[c][k];
                    v += gradient[c][k] * delta[k];
                }
                for (int k = 0; k < d; k++) {
                    double hk = 0;
                    for (int l = 0; l < d; l++) {
                        hk += hessian[c][k * d + l] * delta[l];
                    }
                    v += 0.5 * delta[k] * hk;
                }
                out[i] = v;
            }
            return out;
        }
    }

    /**
     * The expansions of both sides from one pass over the coarse plan {@code P_IJ}: each cluster's first and second
     * moments of the other side's centres, taken relative to its own centre. A cluster whose plan row (column)
     * carries no mass keeps the constant {@code F_I} ({@code G_J}). The coarse solve ends on a plain row update, so
     * every {@code P_IJ <= A_I} and the moments are finite even when it stopped far from convergence.
     */
    private static final class Expansions {
        final Expansion source;
        final Expansion target;

        Expansions(double[][] cx, double[][] cy, EntropicPlan plan, double[] f, double[] g, double eps) {
            int d = cx[0].length;
            int k = cx.length;
            int l = cy.length;
            double[][] y = new double[d][l];
            for (int j = 0; j < l; j++) {
                for (int t = 0; t < d; t++) {
                    y[t][j] = cy[j][t];
                }
            }
            double[] rowMass = new double[k];
            double[][] rowFirst = new double[k][d];
            double[][] rowSecond = new double[k][d * d];
            Moments columns = new Moments(d, l);
            Moments row = new Moments(d, l);
            for (int i = 0; i < k; i++) {
                row.of(plan, i, cx[i], y);
                rowMass[i] = Moments.sum(row.p);
                for (int t = 0; t < d; t++) {
                    rowFirst[i][t] = Moments.sum(row.first[t]);
                    for (int u = 0; u < d; u++) {
                        rowSecond[i][t * d + u] = Moments.sum(row.second[t * d + u]);
                    }
                }
                columns.subtractFirst(row);
            }
            double[][] colFirst = new double[l][d];
            double[][] colSecond = new double[l][d * d];
            for (int j = 0; j < l; j++) {
                for (int t = 0; t < d; t++) {
                    colFirst[j][t] = columns.first[t][j];
                    for (int u = 0; u < d; u++) {
                        colSecond[j][t * d + u] = columns.second[t * d + u][j];
                    }
                }
            }
            source = expansion(cx, f, rowMass, rowFirst, rowSecond, eps);
            target = expansion(cy, g, columns.p, colFirst, colSecond, eps);
        }

        /**
         * One plan row's entries {@code p_j = P_ij} with their offsets {@code delta_j = Y_j - X_i}: {@code p_j},
         * {@code p_j delta_j} and {@code p_j delta_j delta_j^T} per target (by component), or, accumulated over rows
         * with {@link #subtractFirst}, the columns' moments (offsets {@code X_i - Y_j}). One loop per method: these run
         * once per coarse row, and a method with several long loops is compiled once per loop (on the stack) first.
         */
        private static final class Moments {
            final double[] p;
            final double[][] first;
            final double[][] second;
            private final double[][] delta;

            Moments(int d, int l) {
                p = new double[l];
                first = new double[d][l];
                second = new double[d * d][l];
                delta = new double[d][l];
            }

            /** This row's entries and moments, {@code x} its source centre, {@code y} the targets by axis. */
            void of(EntropicPlan plan, int i, double[] x, double[][] y) {
                int d = x.length;
                Arrays.fill(p, 0);
                for (int t = 0; t < d; t++) {
                    offsets(y[t], x[t], delta[t], p);
                }
                entries(plan, i, p);
                for (int t = 0; t < d; t++) {
                    product(p, delta[t], first[t]);
                    for (int u = 0; u < d; u++) {
                        product(first[t], delta[u], second[t * d + u]);
                    }
                }
            }

            /** Adds a row's entries and second moments and subtracts its first moments (the offsets change sign). */
            void subtractFirst(Moments row) {
                MultiscaleIteration.scaled(p, 0, 1, row.p, 0, p.length, true);
                for (int t = 0; t < first.length; t++) {
                    MultiscaleIteration.scaled(first[t], 0, -1, row.first[t], 0, p.length, true);
                }
                for (int tu = 0; tu < second.length; tu++) {
                    MultiscaleIteration.scaled(second[tu], 0, 1, row.second[tu], 0, p.length, true);
                }
            }

            /** {@code delta = y - x}, and {@code cost += delta^2}. */
            private static void offsets(double[] y, double x, double[] delta, double[] cost) {
                for (int j = 0; j < y.length; j++) {
                    delta[j] = y[j] - x;
                    cost[j] += delta[j] * delta[j];
                }
            }

            /** {@code p_j = P_ij} from the costs {@code p_j}. */
            private static void entries(EntropicPlan plan, int i, double[] p) {
                for (int j = 0; j < p.length; j++) {
                    p[j] = plan.entry(i, j, p[j]);
                }
            }

            private static void product(double[] a, double[] b, double[] out) {
                for (int j = 0; j < a.length; j++) {
                    out[j] = a[j] * b[j];
                }
            }

            static double sum(double[] v) {
                double s = 0;
                for (double x : v) {
                    s += x;
                }
                return s;
            }
        }

        /**
         * With {@code m} the mean offset of the other side and {@code S} its second moment about the centre:
         * gradient {@code -2 m}, Hessian {@code 2 I - (4 / eps) (S - m m^T)}.
         */
        private static Expansion expansion(double[][] centre, double[] value, double[] mass, double[][] first,
                                           double[][] second, double eps) {
            int d = centre[0].length;
            double[][] gradient = new double[centre.length][d];
            double[][] hessian = new double[centre.length][d * d];
            for (int c = 0; c < centre.length; c++) {
                if (!(mass[c] > 0)) {
                    continue;
                }
                double[] mean = new double[d];
                for (int t = 0; t < d; t++) {
                    mean[t] = first[c][t] / mass[c];
                    gradient[c][t] = -2 * mean[t];
                }
                for (int t = 0; t < d; t++) {
                    for (int u = 0; u < d; u++) {
                        double cov = second[c][t * d + u] / mass[c] - mean[t] * mean[u];
                        hessian[c][t * d + u] = (t == u ? 2 : 0) - 4 / eps * cov;
                    }
                }
            }
            return new Expansion(centre, value, gradient, hessian);
        }
    }

    private static int clusterCount(int size) {
        return KdOrder.boundaries(size, Sinkhorn.COARSENING).length - 1;
    }

    /**
     * Cuts {@code order} (a k-d order of the points) into clusters of {@value Sinkhorn#COARSENING}, fills
     * {@code centres} with their weighted means (plain means for zero weight) and {@code clusterOf} with each point's
     * cluster; returns the clusters' weights.
     */
    private static double[] cluster(double[][] points, double[] w, int[] order, double[][] centres, int[] clusterOf) {
        int d = points[0].length;
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
