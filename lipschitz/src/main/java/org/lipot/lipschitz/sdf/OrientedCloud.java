package org.lipot.lipschitz.sdf;

import java.util.PriorityQueue;
import java.util.SplittableRandom;

import org.lipot.lipschitz.nn.ParallelBlocks;

/**
 * A point cloud sampled from a surface, with an outward unit normal and an area per point, as a
 * {@link SurfaceShape}: inside where the fast winding number ({@link FastWinding}) has magnitude above 1/2.
 *
 * <p>{@link #of} estimates what the file does not give, from the {@code k} nearest neighbours of each point:
 * <ul>
 *   <li><b>normals</b> by local PCA (the eigenvector of the smallest eigenvalue of the neighbours' covariance),
 *       oriented consistently by Hoppe et al.'s propagation (1992) along a minimum spanning tree of the neighbour
 *       graph weighted by {@code 1 - |n_i . n_j|}, starting from the highest point with its normal pointing up;</li>
 *   <li><b>areas</b> as {@code pi r_k^2 / k}, {@code r_k} the distance to the k-th neighbour (k points share a disc
 *       of that radius).</li>
 * </ul>
 * The exact signed distance of a cloud is not defined; {@link #signedDistances} gives the distance to the nearest
 * sample, signed by the winding number, a proxy for evaluation.
 * Immutable; the arrays are shared, not copied (treat them as read-only).
 */
public final class OrientedCloud implements SurfaceShape {

    /** Neighbours used by {@link #of} unless told otherwise. */
    public static final int NEIGHBOURS = 16;

    private final double[][] points;
    private final double[][] normals;
    private final double[] areas;
    private final FastWinding winding;
    private final NearestNeighbours tree;

    private OrientedCloud(double[][] points, double[][] normals, double[] areas, NearestNeighbours tree) {
        this.points = points;
        this.normals = normals;
        this.areas = areas;
        this.tree = tree;
        this.winding = FastWinding.of(points, normals, areas);
    }

    /** The points, {@code N x 3}. */
    public double[][] points() {
        return points;
    }

    /** The unit outward normals, {@code N x 3}. */
    public double[][] normals() {
        return normals;
    }

    /** The area each point stands for. */
    public double[] areas() {
        return areas;
    }

    /**
     * The cloud with its normals (estimated when {@code normals} is null) and areas estimated from {@code k}
     * neighbours.
     *
     * @throws IllegalArgumentException if there are fewer than {@code k + 1} points, a row is not 3 finite values,
     *                                  or the sizes differ
     */
    public static OrientedCloud of(double[][] points, double[][] normals, int k) {
        WindingNumbers.checkPoints(points, 3);
        if (k < 3 || points.length < k + 1) {
            throw new IllegalArgumentException("need k >= 3 and at least k + 1 = " + (k + 1) + " points, got k = " + k
                    + " and " + points.length + " points");
        }
        if (normals != null) {
            WindingNumbers.checkPoints(normals, 3);
            if (normals.length != points.length) {
                throw new IllegalArgumentException("normals has " + normals.length + " rows but points has "
                        + points.length);
            }
        }
        int n = points.length;
        NearestNeighbours tree = new NearestNeighbours(points);
        int[][] nbr = new int[n][];
        double[] areas = new double[n];
        ParallelBlocks.run(n, (task, from, to) -> {
            double[] d2 = new double[k];
            for (int i = from; i < to; i++) {
                nbr[i] = tree.of(i, k, d2);
                areas[i] = Math.PI * d2[k - 1] / k;
            }
        });
        double[][] nrm = new double[n][];
        if (normals != null) {
            for (int i = 0; i < n; i++) {
                double len = Math.sqrt(normals[i][0] * normals[i][0] + normals[i][1] * normals[i][1]
                        + normals[i][2] * normals[i][2]);
                if (!(len > 0)) {
                    throw new IllegalArgumentException("normals: row " + i + " is zero");
                }
                nrm[i] = new double[] {normals[i][0] / len, normals[i][1] / len, normals[i][2] / len};
            }
        } else {
            ParallelBlocks.run(n, (task, from, to) -> {
                for (int i = from; i < to; i++) {
                    nrm[i] = pcaNormal(points, i, nbr[i]);
                }
            });
            orient(points, nrm, nbr);
        }
        return new OrientedCloud(points, nrm, areas, tree);
    }

    /** The smallest principal direction of the point and its neighbours. */
    private static double[] pcaNormal(double[][] p, int i, int[] nbr) {
        double[] mean = p[i].clone();
        for (int j : nbr) {
            for (int k = 0; k < 3; k++) {
                mean[k] += p[j][k];
            }
        }
        for (int k = 0; k < 3; k++) {
            mean[k] /= nbr.length + 1;
        }
        double[][] c = new double[3][3];
        for (int q = -1; q < nbr.length; q++) {
            double[] x = p[q < 0 ? i : nbr[q]];
            for (int a = 0; a < 3; a++) {
                for (int b = 0; b < 3; b++) {
                    c[a][b] += (x[a] - mean[a]) * (x[b] - mean[b]);
                }
            }
        }
        return smallestEigenvector(c);
    }

    /** Cyclic Jacobi on a symmetric 3 x 3 matrix; the unit eigenvector of its smallest eigenvalue. */
    static double[] smallestEigenvector(double[][] a) {
        double[][] m = {a[0].clone(), a[1].clone(), a[2].clone()};
        double[][] v = {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}};
        for (int sweep = 0; sweep < 50; sweep++) {
            double off = m[0][1] * m[0][1] + m[0][2] * m[0][2] + m[1][2] * m[1][2];
            if (off <= 1e-30 * (m[0][0] * m[0][0] + m[1][1] * m[1][1] + m[2][2] * m[2][2]) || off == 0) {
                break;
            }
            for (int pIdx = 0; pIdx < 2; pIdx++) {
                for (int q = pIdx + 1; q < 3; q++) {
                    if (m[pIdx][q] == 0) {
                        continue;
                    }
                    double theta = (m[q][q] - m[pIdx][pIdx]) / (2 * m[pIdx][q]);
                    double t = Math.signum(theta) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
                    if (theta == 0) {
                        t = 1;
                    }
                    double cs = 1 / Math.sqrt(t * t + 1);
                    double sn = t * cs;
                    for (int k = 0; k < 3; k++) { // m <- m J
                        double mkp = m[k][pIdx];
                        double mkq = m[k][q];
                        m[k][pIdx] = cs * mkp - sn * mkq;
                        m[k][q] = sn * mkp + cs * mkq;
                    }
                    for (int k = 0; k < 3; k++) { // m <- J^T m
                        double mpk = m[pIdx][k];
                        double mqk = m[q][k];
                        m[pIdx][k] = cs * mpk - sn * mqk;
                        m[q][k] = sn * mpk + cs * mqk;
                    }
                    for (int k = 0; k < 3; k++) {
                        double vkp = v[k][pIdx];
                        double vkq = v[k][q];
                        v[k][pIdx] = cs * vkp - sn * vkq;
                        v[k][q] = sn * vkp + cs * vkq;
                    }
                }
            }
        }
        int s = 0;
        for (int k = 1; k < 3; k++) {
            if (m[k][k] < m[s][s]) {
                s = k;
            }
        }
        return new double[] {v[0][s], v[1][s], v[2][s]};
    }

    /** Hoppe's orientation: a maximum-agreement spanning tree of the neighbour graph, grown from the top point. */
    private static void orient(double[][] p, double[][] nrm, int[][] nbr) {
        int n = p.length;
        boolean[] done = new boolean[n];
        int visited = 0;
        while (visited < n) { // one tree per connected component of the neighbour graph
            int start = -1;
            for (int i = 0; i < n; i++) {
                if (!done[i] && (start < 0 || p[i][2] > p[start][2])) {
                    start = i;
                }
            }
            if (nrm[start][2] < 0) {
                flip(nrm[start]);
            }
            PriorityQueue<double[]> queue = new PriorityQueue<>((x, y) -> Double.compare(x[0], y[0]));
            queue.add(new double[] {0, start, start});
            while (!queue.isEmpty()) {
                double[] e = queue.poll();
                int j = (int) e[1];
                if (done[j]) {
                    continue;
                }
                int from = (int) e[2];
                if (j != from && dot(nrm[j], nrm[from]) < 0) {
                    flip(nrm[j]);
                }
                done[j] = true;
                visited++;
                for (int q : nbr[j]) {
                    if (!done[q]) {
                        queue.add(new double[] {1 - Math.abs(dot(nrm[j], nrm[q])), q, j});
                    }
                }
            }
        }
    }

    private static void flip(double[] v) {
        for (int k = 0; k < 3; k++) {
            v[k] = -v[k];
        }
    }

    private static double dot(double[] a, double[] b) {
        return a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
    }

    @Override
    public int dimension() {
        return 3;
    }

    @Override
    public double[] bounds() {
        double[] b = {Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY,
            Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY};
        for (double[] x : points) {
            for (int k = 0; k < 3; k++) {
                b[k] = Math.min(b[k], x[k]);
                b[k + 3] = Math.max(b[k + 3], x[k]);
            }
        }
        return b;
    }

    /** The fast winding numbers at the rows of {@code q}. */
    public double[] winding(double[][] q) {
        return winding.at(q);
    }

    @Override
    public boolean[] inside(double[][] q) {
        double[] w = winding(q);
        boolean[] out = new boolean[w.length];
        for (int i = 0; i < w.length; i++) {
            out[i] = Math.abs(w[i]) > 0.5;
        }
        return out;
    }

    @Override
    public double[][] surfacePoints(int count, SplittableRandom random) {
        double[][] out = new double[count][];
        for (int i = 0; i < count; i++) {
            out[i] = points[random.nextInt(points.length)].clone();
        }
        return out;
    }

    @Override
    public double[] signedDistances(double[][] q) {
        boolean[] in = inside(q);
        double[] out = new double[q.length];
        for (int i = 0; i < q.length; i++) {
            double d = Math.sqrt(tree.nearest2(q[i]));
            out[i] = in[i] ? -d : d;
        }
        return out;
    }

    @Override
    public String toString() {
        return "OrientedCloud[" + points.length + " points]";
    }
}
