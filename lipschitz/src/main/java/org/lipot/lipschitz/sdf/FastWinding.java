package org.lipot.lipschitz.sdf;

import org.lipot.lipschitz.nn.ParallelBlocks;

/**
 * The generalised winding number by a Barnes-Hut hierarchy of dipoles (Barill, Dickson, Schmidt, Levin and Jacobson
 * 2018, "Fast winding numbers for soups and clouds"), for large meshes and for oriented point clouds. Each element
 * {@code i} (a triangle, or a point with its area) is a dipole at {@code p_i} with area-weighted normal
 * {@code N_i = a_i n_i}, whose contribution at {@code q} is
 * <pre>
 *   w_i(q) = N_i . (p_i - q) / (4 pi |p_i - q|^3),
 * </pre>
 * the solid angle a small flat patch subtends. A node of the tree stands for all its elements by one dipole at their
 * area-weighted centre with the sum of their {@code N_i}, where the query is farther than {@link #ACCURACY} times
 * the node's radius; nearer, its children are visited, and at a leaf the elements are summed (a triangle exactly, by
 * its solid angle; a point as its dipole). Cost about {@code O(log n)} per query.
 *
 * <p><b>Accuracy.</b> The far field is the first-order (dipole) term only, whose error for a node grows like
 * {@code (radius / distance)^2}: measured on the Wuson mesh, 600 points in and around it, the largest difference
 * from the exact winding number is 0.067 at {@code beta = 2} (the value Barill et al. use with second-order terms),
 * 0.031 at 3 and under 0.02 at {@code beta = 4}, the value used (tested). That decides inside ({@code |w| > 1/2})
 * as the exact number does except within a hair of the surface.
 */
public final class FastWinding {

    /** {@code beta}: a node is used as one dipole when the query is farther than {@code beta} times its radius. */
    public static final double ACCURACY = 4;

    private static final int LEAF = 8;

    private final TriangleMesh mesh;
    /** Per element: dipole position, area-weighted normal (3 each). */
    private final double[] position;
    private final double[] normal;
    /** Elements in tree order. */
    private final int[] order;
    /** Per node: centre (3), radius, summed normal (3), children or leaf range. */
    private final double[] centre;
    private final double[] radius;
    private final double[] sumNormal;
    private final int[] left;
    private final int[] right;
    private final int[] first;
    private final int[] count;
    private int nodes;

    private FastWinding(TriangleMesh mesh, double[] position, double[] normal) {
        this.mesh = mesh;
        this.position = position;
        this.normal = normal;
        int n = position.length / 3;
        order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        int max = 2 * n;
        centre = new double[3 * max];
        radius = new double[max];
        sumNormal = new double[3 * max];
        left = new int[max];
        right = new int[max];
        first = new int[max];
        count = new int[max];
        build(0, n);
    }

    /** The hierarchy of a mesh's triangles (leaves summed exactly). */
    public static FastWinding of(TriangleMesh mesh) {
        int t = mesh.triangleCount();
        double[] v = mesh.vertices();
        int[] tri = mesh.triangles();
        double[] p = new double[3 * t];
        double[] nrm = new double[3 * t];
        for (int i = 0; i < t; i++) {
            int a = 3 * tri[3 * i];
            int b = 3 * tri[3 * i + 1];
            int c = 3 * tri[3 * i + 2];
            for (int k = 0; k < 3; k++) {
                p[3 * i + k] = (v[a + k] + v[b + k] + v[c + k]) / 3;
            }
            double ux = v[b] - v[a];
            double uy = v[b + 1] - v[a + 1];
            double uz = v[b + 2] - v[a + 2];
            double wx = v[c] - v[a];
            double wy = v[c + 1] - v[a + 1];
            double wz = v[c + 2] - v[a + 2];
            nrm[3 * i] = 0.5 * (uy * wz - uz * wy);
            nrm[3 * i + 1] = 0.5 * (uz * wx - ux * wz);
            nrm[3 * i + 2] = 0.5 * (ux * wy - uy * wx);
        }
        return new FastWinding(mesh, p, nrm);
    }

    /**
     * The hierarchy of an oriented point cloud: points {@code N x 3}, unit outward normals {@code N x 3}, and the
     * surface area each point stands for.
     *
     * @throws IllegalArgumentException if the sizes differ, a value is not finite or an area is negative
     */
    public static FastWinding of(double[][] points, double[][] normals, double[] areas) {
        WindingNumbers.checkPoints(points, 3);
        WindingNumbers.checkPoints(normals, 3);
        if (points.length == 0 || normals.length != points.length || areas == null || areas.length != points.length) {
            throw new IllegalArgumentException("points, normals and areas must have the same positive length, got "
                    + points.length + ", " + normals.length + ", " + (areas == null ? null : areas.length));
        }
        double[] p = new double[3 * points.length];
        double[] nrm = new double[3 * points.length];
        for (int i = 0; i < points.length; i++) {
            if (!(areas[i] >= 0) || Double.isInfinite(areas[i])) {
                throw new IllegalArgumentException("areas: entry " + i + " is " + areas[i]);
            }
            for (int k = 0; k < 3; k++) {
                p[3 * i + k] = points[i][k];
                nrm[3 * i + k] = areas[i] * normals[i][k];
            }
        }
        return new FastWinding(null, p, nrm);
    }

    private int build(int from, int to) {
        int node = nodes++;
        double area = 0;
        double[] c = new double[3];
        double[] lo = {Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY};
        double[] hi = {Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY};
        for (int i = from; i < to; i++) {
            int e = order[i];
            double a = Math.sqrt(sq(normal[3 * e]) + sq(normal[3 * e + 1]) + sq(normal[3 * e + 2]));
            area += a;
            for (int k = 0; k < 3; k++) {
                c[k] += a * position[3 * e + k];
                sumNormal[3 * node + k] += normal[3 * e + k];
                lo[k] = Math.min(lo[k], position[3 * e + k]);
                hi[k] = Math.max(hi[k], position[3 * e + k]);
            }
        }
        for (int k = 0; k < 3; k++) {
            c[k] = area > 0 ? c[k] / area : (lo[k] + hi[k]) / 2;
            centre[3 * node + k] = c[k];
        }
        double r = 0;
        for (int i = from; i < to; i++) {
            int e = order[i];
            r = Math.max(r, elementReach(e, c));
        }
        radius[node] = r;
        if (to - from <= LEAF) {
            left[node] = -1;
            first[node] = from;
            count[node] = to - from;
            return node;
        }
        int axis = Quickselect.widestAxis(lo, hi);
        int mid = (from + to) >>> 1;
        Quickselect.select(order, from, to - 1, mid, e -> position[3 * e + axis]);
        left[node] = build(from, mid);
        right[node] = build(mid, to);
        return node;
    }

    /** How far element {@code e} reaches from {@code c}: its corners for a triangle, its position for a point. */
    private double elementReach(int e, double[] c) {
        if (mesh == null) {
            return Math.sqrt(sq(position[3 * e] - c[0]) + sq(position[3 * e + 1] - c[1]) + sq(position[3 * e + 2] - c[2]));
        }
        double r = 0;
        double[] v = mesh.vertices();
        for (int k = 0; k < 3; k++) {
            int q = 3 * mesh.triangles()[3 * e + k];
            r = Math.max(r, Math.sqrt(sq(v[q] - c[0]) + sq(v[q + 1] - c[1]) + sq(v[q + 2] - c[2])));
        }
        return r;
    }

    /** The approximate winding number at {@code (x, y, z)}. */
    public double at(double x, double y, double z) {
        double sum = 0;
        int[] stack = new int[64];
        int top = 0;
        stack[top++] = 0;
        while (top > 0) {
            int node = stack[--top];
            double dx = centre[3 * node] - x;
            double dy = centre[3 * node + 1] - y;
            double dz = centre[3 * node + 2] - z;
            double d2 = dx * dx + dy * dy + dz * dz;
            if (d2 > sq(ACCURACY * radius[node])) {
                sum += dipole(sumNormal[3 * node], sumNormal[3 * node + 1], sumNormal[3 * node + 2], dx, dy, dz, d2);
            } else if (left[node] < 0) {
                for (int i = first[node]; i < first[node] + count[node]; i++) {
                    sum += element(order[i], x, y, z);
                }
            } else {
                if (top + 2 > stack.length) {
                    stack = java.util.Arrays.copyOf(stack, 2 * stack.length);
                }
                stack[top++] = left[node];
                stack[top++] = right[node];
            }
        }
        return sum;
    }

    /** {@link #at} for the rows of {@code points} ({@code N x 3}), on all cores. */
    public double[] at(double[][] points) {
        WindingNumbers.checkPoints(points, 3);
        double[] out = new double[points.length];
        ParallelBlocks.run(points.length, (task, from, to) -> {
            for (int p = from; p < to; p++) {
                out[p] = at(points[p][0], points[p][1], points[p][2]);
            }
        });
        return out;
    }

    private double element(int e, double x, double y, double z) {
        if (mesh != null) {
            double[] v = mesh.vertices();
            int[] t = mesh.triangles();
            int a = 3 * t[3 * e];
            int b = 3 * t[3 * e + 1];
            int c = 3 * t[3 * e + 2];
            return WindingNumbers.solidAngle(v[a] - x, v[a + 1] - y, v[a + 2] - z, v[b] - x, v[b + 1] - y,
                    v[b + 2] - z, v[c] - x, v[c + 1] - y, v[c + 2] - z) / (4 * Math.PI);
        }
        double dx = position[3 * e] - x;
        double dy = position[3 * e + 1] - y;
        double dz = position[3 * e + 2] - z;
        double d2 = dx * dx + dy * dy + dz * dz;
        return d2 > 0 ? dipole(normal[3 * e], normal[3 * e + 1], normal[3 * e + 2], dx, dy, dz, d2) : 0;
    }

    private static double dipole(double nx, double ny, double nz, double dx, double dy, double dz, double d2) {
        return (nx * dx + ny * dy + nz * dz) / (4 * Math.PI * d2 * Math.sqrt(d2));
    }

    private static double sq(double x) {
        return x * x;
    }
}
