package org.lipot.lipschitz.sdf;

import org.lipot.lipschitz.nn.ParallelBlocks;

/**
 * Exact generalised winding numbers (Jacobson, Kavan and Sorkine-Hornung 2013, "Robust inside-outside segmentation
 * using generalized winding numbers"): the signed solid angle that a triangle soup subtends at a point, divided by
 * {@code 4 pi} (in 2-D, the signed angle that closed polygons subtend, divided by {@code 2 pi}).
 *
 * <p>For a closed, consistently oriented surface (counter-clockwise seen from outside) the value is 1 inside and 0
 * outside; 2 inside two overlapping parts; -1 inside an inverted one. For open meshes and soups it varies smoothly
 * between, and <b>inside means {@code |w| > 1/2}</b> (the non-zero rule of fonts: an inside-out mesh has the same
 * inside, and a hole is a loop or shell of the opposite orientation). On the surface itself the value is undefined (a point on a
 * triangle's plane inside it contributes 0 here, as the limit from neither side).
 *
 * <p>Per triangle with corners {@code a, b, c} relative to the point (Van Oosterom and Strackee 1983):
 * <pre>
 *   Omega = 2 atan2( a . (b x c),  |a||b||c| + (a . b)|c| + (a . c)|b| + (b . c)|a| ).
 * </pre>
 * The cost is {@code O(T)} per point; batches run on all cores.
 */
public final class WindingNumbers {

    private static final double FOUR_PI = 4 * Math.PI;

    private WindingNumbers() {
    }

    /** The winding number of {@code mesh} at {@code (x, y, z)}. */
    public static double of(TriangleMesh mesh, double x, double y, double z) {
        double[] v = mesh.vertices();
        int[] t = mesh.triangles();
        double sum = 0;
        for (int i = 0; i < t.length; i += 3) {
            int a = 3 * t[i];
            int b = 3 * t[i + 1];
            int c = 3 * t[i + 2];
            sum += solidAngle(v[a] - x, v[a + 1] - y, v[a + 2] - z, v[b] - x, v[b + 1] - y, v[b + 2] - z,
                    v[c] - x, v[c + 1] - y, v[c + 2] - z);
        }
        return sum / FOUR_PI;
    }

    /**
     * The winding numbers of {@code mesh} at the rows of {@code points} ({@code N x 3}).
     *
     * @throws IllegalArgumentException if a row does not have 3 finite coordinates
     */
    public static double[] of(TriangleMesh mesh, double[][] points) {
        checkPoints(points, 3);
        double[] out = new double[points.length];
        ParallelBlocks.run(points.length, (task, from, to) -> {
            for (int p = from; p < to; p++) {
                out[p] = of(mesh, points[p][0], points[p][1], points[p][2]);
            }
        });
        return out;
    }

    /** The signed solid angle of the triangle {@code (a, b, c)} seen from the origin, in {@code [-2 pi, 2 pi]}. */
    static double solidAngle(double ax, double ay, double az, double bx, double by, double bz,
                             double cx, double cy, double cz) {
        double la = Math.sqrt(ax * ax + ay * ay + az * az);
        double lb = Math.sqrt(bx * bx + by * by + bz * bz);
        double lc = Math.sqrt(cx * cx + cy * cy + cz * cz);
        double det = ax * (by * cz - bz * cy) - ay * (bx * cz - bz * cx) + az * (bx * cy - by * cx);
        double div = la * lb * lc + (ax * bx + ay * by + az * bz) * lc + (ax * cx + ay * cy + az * cz) * lb
                + (bx * cx + by * cy + bz * cz) * la;
        return 2 * Math.atan2(det, div);
    }

    /**
     * The winding number at {@code (x, y)} of closed polygons in the plane: {@code loops[k]} holds the vertices of loop
     * {@code k} as {@code x0, y0, x1, y1, ...}, closed implicitly from the last vertex back to the first.
     * Counter-clockwise loops count +1 inside, clockwise ones -1 (a hole drawn clockwise inside a counter-clockwise
     * outline has winding 0).
     *
     * @throws IllegalArgumentException if a loop has fewer than 3 vertices or an odd number of values
     */
    public static double ofPolygons(double[][] loops, double x, double y) {
        double sum = 0;
        for (int k = 0; k < loops.length; k++) {
            double[] l = loops[k];
            if (l == null || l.length < 6 || l.length % 2 != 0) {
                throw new IllegalArgumentException("loops[" + k + "] must hold x, y pairs of at least 3 vertices, got "
                        + (l == null ? null : l.length + " values"));
            }
            int n = l.length / 2;
            for (int i = 0; i < n; i++) {
                int j = (i + 1) % n;
                double ax = l[2 * i] - x;
                double ay = l[2 * i + 1] - y;
                double bx = l[2 * j] - x;
                double by = l[2 * j + 1] - y;
                sum += Math.atan2(ax * by - ay * bx, ax * bx + ay * by);
            }
        }
        return sum / (2 * Math.PI);
    }

    static void checkPoints(double[][] points, int dim) {
        if (points == null) {
            throw new IllegalArgumentException("points must not be null");
        }
        for (int p = 0; p < points.length; p++) {
            if (points[p] == null || points[p].length != dim) {
                throw new IllegalArgumentException("points: row " + p + " must have " + dim + " coordinates, got "
                        + (points[p] == null ? null : points[p].length));
            }
            for (double c : points[p]) {
                if (!Double.isFinite(c)) {
                    throw new IllegalArgumentException("points: row " + p + " holds " + c);
                }
            }
        }
    }
}
