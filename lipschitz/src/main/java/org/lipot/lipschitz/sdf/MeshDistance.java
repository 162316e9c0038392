package org.lipot.lipschitz.sdf;

import org.lipot.lipschitz.nn.ParallelBlocks;

/**
 * Exact distances to a triangle mesh through a bounding-volume hierarchy, for judging fitted fields: the unsigned
 * distance to the nearest triangle and the signed distance {@code -d} inside, {@code +d} outside, inside meaning an
 * exact generalised winding number of magnitude above 1/2 ({@link WindingNumbers}; the non-zero rule, so an
 * inside-out mesh has the same inside). Immutable and thread-safe once built.
 *
 * <p>The hierarchy is a binary tree of axis-aligned boxes, split at the median triangle centroid along the longest
 * axis, with at most {@value #LEAF} triangles per leaf. A query descends the nearer child first and skips every box
 * farther than the best distance found, so it is exact, not approximate; closest points on triangles follow
 * Ericson ("Real-Time Collision Detection", 2005, section 5.1.5), by the Voronoi regions of the corners, edges and
 * face. Distances are in the mesh's units.
 */
public final class MeshDistance {

    /** Most triangles in a leaf. */
    static final int LEAF = 4;

    private final TriangleMesh mesh;
    /** Triangle corners, 9 coordinates per triangle, in the tree's order. */
    private final double[] corners;
    /** Per node {@code n}: its box, {@code lo[3 n + k]} to {@code hi[3 n + k]} on axis {@code k}. */
    private final double[] lo;
    private final double[] hi;
    /** Per inner node its two children; {@code left} is -1 for a leaf. */
    private final int[] left;
    private final int[] right;
    /** For leaves, the first triangle (in tree order) and the count. */
    private final int[] first;
    private final int[] count;
    private int nodes;

    /** Builds the hierarchy of {@code mesh}. */
    public MeshDistance(TriangleMesh mesh) {
        if (mesh == null) {
            throw new IllegalArgumentException("mesh must not be null");
        }
        this.mesh = mesh;
        int t = mesh.triangleCount();
        int maxNodes = 2 * t;
        lo = new double[3 * maxNodes];
        hi = new double[3 * maxNodes];
        left = new int[maxNodes];
        right = new int[maxNodes];
        first = new int[maxNodes];
        count = new int[maxNodes];
        int[] order = new int[t];
        double[] centroid = new double[3 * t];
        double[] v = mesh.vertices();
        int[] tri = mesh.triangles();
        for (int i = 0; i < t; i++) {
            order[i] = i;
            for (int k = 0; k < 3; k++) {
                centroid[3 * i + k] = (v[3 * tri[3 * i] + k] + v[3 * tri[3 * i + 1] + k] + v[3 * tri[3 * i + 2] + k]) / 3;
            }
        }
        build(order, 0, t, centroid);
        corners = new double[9 * t];
        for (int i = 0; i < t; i++) {
            for (int c = 0; c < 3; c++) {
                System.arraycopy(v, 3 * tri[3 * order[i] + c], corners, 9 * i + 3 * c, 3);
            }
        }
    }

    /** The mesh. */
    public TriangleMesh mesh() {
        return mesh;
    }

    private int build(int[] order, int from, int to, double[] centroid) {
        int node = nodes++;
        double[] v = mesh.vertices();
        int[] tri = mesh.triangles();
        for (int k = 0; k < 3; k++) {
            lo[3 * node + k] = Double.POSITIVE_INFINITY;
            hi[3 * node + k] = Double.NEGATIVE_INFINITY;
        }
        double[] cLo = {Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY};
        double[] cHi = {Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY};
        for (int i = from; i < to; i++) {
            int t = order[i];
            for (int c = 0; c < 3; c++) {
                for (int k = 0; k < 3; k++) {
                    double x = v[3 * tri[3 * t + c] + k];
                    lo[3 * node + k] = Math.min(lo[3 * node + k], x);
                    hi[3 * node + k] = Math.max(hi[3 * node + k], x);
                }
            }
            for (int k = 0; k < 3; k++) {
                cLo[k] = Math.min(cLo[k], centroid[3 * t + k]);
                cHi[k] = Math.max(cHi[k], centroid[3 * t + k]);
            }
        }
        if (to - from <= LEAF) {
            left[node] = -1;
            first[node] = from;
            count[node] = to - from;
            return node;
        }
        int axis = Quickselect.widestAxis(cLo, cHi);
        int mid = (from + to) >>> 1;
        Quickselect.select(order, from, to - 1, mid, t -> centroid[3 * t + axis]);
        left[node] = build(order, from, mid, centroid);
        right[node] = build(order, mid, to, centroid);
        return node;
    }

    /** The distance from {@code (x, y, z)} to the nearest point of the mesh. */
    public double unsigned(double x, double y, double z) {
        double best = Double.POSITIVE_INFINITY;
        int[] stack = new int[64];
        int top = 0;
        stack[top++] = 0;
        while (top > 0) {
            int node = stack[--top];
            if (boxDistance2(node, x, y, z) >= best) {
                continue;
            }
            if (left[node] < 0) {
                for (int i = first[node]; i < first[node] + count[node]; i++) {
                    best = Math.min(best, triangleDistance2(i, x, y, z));
                }
                continue;
            }
            int a = left[node];
            int b = right[node];
            double da = boxDistance2(a, x, y, z);
            double db = boxDistance2(b, x, y, z);
            if (top + 2 > stack.length) {
                stack = java.util.Arrays.copyOf(stack, 2 * stack.length);
            }
            // the nearer child is popped first
            if (da <= db) {
                stack[top++] = b;
                stack[top++] = a;
            } else {
                stack[top++] = a;
                stack[top++] = b;
            }
        }
        return Math.sqrt(best);
    }

    /** {@link #unsigned} negated where the winding number's magnitude exceeds 1/2 (inside). */
    public double signed(double x, double y, double z) {
        double d = unsigned(x, y, z);
        return Math.abs(WindingNumbers.of(mesh, x, y, z)) > 0.5 ? -d : d;
    }

    /**
     * {@link #unsigned} or {@link #signed} at the rows of {@code points} ({@code N x 3}), on all cores.
     *
     * @throws IllegalArgumentException if a row does not have 3 finite coordinates
     */
    public double[] distances(double[][] points, boolean signed) {
        WindingNumbers.checkPoints(points, 3);
        double[] out = new double[points.length];
        ParallelBlocks.run(points.length, (task, from, to) -> {
            for (int p = from; p < to; p++) {
                double[] q = points[p];
                out[p] = signed ? signed(q[0], q[1], q[2]) : unsigned(q[0], q[1], q[2]);
            }
        });
        return out;
    }

    private double boxDistance2(int node, double x, double y, double z) {
        double dx = Math.max(0, Math.max(lo[3 * node] - x, x - hi[3 * node]));
        double dy = Math.max(0, Math.max(lo[3 * node + 1] - y, y - hi[3 * node + 1]));
        double dz = Math.max(0, Math.max(lo[3 * node + 2] - z, z - hi[3 * node + 2]));
        return dx * dx + dy * dy + dz * dz;
    }

    /** The squared distance from the point to triangle {@code i} (tree order). */
    private double triangleDistance2(int i, double px, double py, double pz) {
        double[] c = corners;
        int o = 9 * i;
        return pointTriangle2(px, py, pz, c[o], c[o + 1], c[o + 2], c[o + 3], c[o + 4], c[o + 5], c[o + 6], c[o + 7],
                c[o + 8]);
    }

    /** The squared distance from {@code p} to the triangle {@code (a, b, c)}, by Ericson's Voronoi regions. */
    static double pointTriangle2(double px, double py, double pz, double ax, double ay, double az,
                                 double bx, double by, double bz, double cx, double cy, double cz) {
        double abx = bx - ax;
        double aby = by - ay;
        double abz = bz - az;
        double acx = cx - ax;
        double acy = cy - ay;
        double acz = cz - az;
        if (abx * abx + aby * aby + abz * abz == 0 || acx * acx + acy * acy + acz * acz == 0
                || dist2(cx - bx, cy - by, cz - bz) == 0) {
            return degenerate2(px, py, pz, ax, ay, az, bx, by, bz, cx, cy, cz); // the divisions below need edges
        }
        double apx = px - ax;
        double apy = py - ay;
        double apz = pz - az;
        double d1 = abx * apx + aby * apy + abz * apz;
        double d2 = acx * apx + acy * apy + acz * apz;
        if (d1 <= 0 && d2 <= 0) {
            return apx * apx + apy * apy + apz * apz; // corner a
        }
        double bpx = px - bx;
        double bpy = py - by;
        double bpz = pz - bz;
        double d3 = abx * bpx + aby * bpy + abz * bpz;
        double d4 = acx * bpx + acy * bpy + acz * bpz;
        if (d3 >= 0 && d4 <= d3) {
            return bpx * bpx + bpy * bpy + bpz * bpz; // corner b
        }
        double vc = d1 * d4 - d3 * d2;
        if (vc <= 0 && d1 >= 0 && d3 <= 0) {
            double v = d1 / (d1 - d3); // edge ab
            return dist2(apx - v * abx, apy - v * aby, apz - v * abz);
        }
        double cpx = px - cx;
        double cpy = py - cy;
        double cpz = pz - cz;
        double d5 = abx * cpx + aby * cpy + abz * cpz;
        double d6 = acx * cpx + acy * cpy + acz * cpz;
        if (d6 >= 0 && d5 <= d6) {
            return cpx * cpx + cpy * cpy + cpz * cpz; // corner c
        }
        double vb = d5 * d2 - d1 * d6;
        if (vb <= 0 && d2 >= 0 && d6 <= 0) {
            double w = d2 / (d2 - d6); // edge ac
            return dist2(apx - w * acx, apy - w * acy, apz - w * acz);
        }
        double va = d3 * d6 - d5 * d4;
        if (va <= 0 && d4 - d3 >= 0 && d5 - d6 >= 0) {
            double w = (d4 - d3) / ((d4 - d3) + (d5 - d6)); // edge bc
            return dist2(bpx - w * (cx - bx), bpy - w * (cy - by), bpz - w * (cz - bz));
        }
        double denom = va + vb + vc;
        if (!(denom > 0)) { // collinear corners
            return degenerate2(px, py, pz, ax, ay, az, bx, by, bz, cx, cy, cz);
        }
        double v = vb / denom; // the face
        double w = vc / denom;
        return dist2(apx - v * abx - w * acx, apy - v * aby - w * acy, apz - v * abz - w * acz);
    }

    /** A triangle without area: the nearest of its three edges. */
    private static double degenerate2(double px, double py, double pz, double ax, double ay, double az,
                                      double bx, double by, double bz, double cx, double cy, double cz) {
        return Math.min(segment2(px, py, pz, ax, ay, az, bx, by, bz),
                Math.min(segment2(px, py, pz, bx, by, bz, cx, cy, cz), segment2(px, py, pz, ax, ay, az, cx, cy, cz)));
    }

    private static double segment2(double px, double py, double pz, double ax, double ay, double az,
                                   double bx, double by, double bz) {
        double ux = bx - ax;
        double uy = by - ay;
        double uz = bz - az;
        double len2 = ux * ux + uy * uy + uz * uz;
        double s = len2 > 0 ? Math.max(0, Math.min(1, ((px - ax) * ux + (py - ay) * uy + (pz - az) * uz) / len2)) : 0;
        return dist2(px - ax - s * ux, py - ay - s * uy, pz - az - s * uz);
    }

    private static double dist2(double x, double y, double z) {
        return x * x + y * y + z * z;
    }
}
