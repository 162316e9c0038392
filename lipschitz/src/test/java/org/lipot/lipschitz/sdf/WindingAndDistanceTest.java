package org.lipot.lipschitz.sdf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

/**
 * {@link WindingNumbers} and {@link MeshDistance}: exact values on cubes and polygons, the golden values of the
 * independent numpy reference on the figurine, and the hierarchy against brute force.
 */
class WindingAndDistanceTest {

    /** An axis-aligned box from {@code lo} to {@code hi}, outward-oriented (12 triangles). */
    static TriangleMesh box(double[] lo, double[] hi) {
        double[] v = new double[24];
        for (int i = 0; i < 8; i++) {
            v[3 * i] = (i & 1) == 0 ? lo[0] : hi[0];
            v[3 * i + 1] = (i & 2) == 0 ? lo[1] : hi[1];
            v[3 * i + 2] = (i & 4) == 0 ? lo[2] : hi[2];
        }
        int[] quads = {0, 2, 3, 1, 4, 5, 7, 6, 0, 1, 5, 4, 2, 6, 7, 3, 0, 4, 6, 2, 1, 3, 7, 5};
        int[] t = new int[36];
        for (int q = 0; q < 6; q++) {
            int[] c = {quads[4 * q], quads[4 * q + 1], quads[4 * q + 2], quads[4 * q + 3]};
            System.arraycopy(new int[] {c[0], c[1], c[2], c[0], c[2], c[3]}, 0, t, 6 * q, 6);
        }
        return new TriangleMesh(v, t);
    }

    /** Two meshes as one soup. */
    static TriangleMesh union(TriangleMesh a, TriangleMesh b) {
        double[] v = new double[a.vertices().length + b.vertices().length];
        System.arraycopy(a.vertices(), 0, v, 0, a.vertices().length);
        System.arraycopy(b.vertices(), 0, v, a.vertices().length, b.vertices().length);
        int[] t = new int[a.triangles().length + b.triangles().length];
        System.arraycopy(a.triangles(), 0, t, 0, a.triangles().length);
        for (int i = 0; i < b.triangles().length; i++) {
            t[a.triangles().length + i] = b.triangles()[i] + a.vertexCount();
        }
        return new TriangleMesh(v, t);
    }

    @Test
    void theChamferDistanceOfNestedCubesMatchesItsIntegral() {
        TriangleMesh small = box(new double[] {-0.5, -0.5, -0.5}, new double[] {0.5, 0.5, 0.5});
        TriangleMesh big = box(new double[] {-0.6, -0.6, -0.6}, new double[] {0.6, 0.6, 0.6});
        assertEquals(0, SdfEvaluation.chamfer(small, small, 2000, 1), 1e-12);
        // the small cube's points are all 0.1 from the big one; a point of a big face is sqrt(0.01 + dx^2 + dy^2)
        // from the small cube, dx and dy its overhang beyond the small face: 0 on the middle (area 1), one of them
        // uniform on [0, 0.1] on the strips (area 0.4), both on the corners (area 0.04), of 1.44 per face
        int n = 400;
        double strip = 0;
        double corner = 0;
        for (int i = 0; i < n; i++) {
            double dx = 0.1 * (i + 0.5) / n;
            strip += Math.sqrt(0.01 + dx * dx) / n;
            for (int j = 0; j < n; j++) {
                double dy = 0.1 * (j + 0.5) / n;
                corner += Math.sqrt(0.01 + dx * dx + dy * dy) / n / n;
            }
        }
        double fromBig = (0.1 + 0.4 * strip + 0.04 * corner) / 1.44;
        assertEquals((fromBig + 0.1) / 2, SdfEvaluation.chamfer(big, small, 20000, 2), 1e-3);
        assertThrows(IllegalArgumentException.class, () -> SdfEvaluation.chamfer(big, small, 0, 2));
    }

    @Test
    void oneInsideZeroOutsideTwoInTheOverlap() {
        TriangleMesh a = box(new double[] {0, 0, 0}, new double[] {2, 2, 2});
        assertEquals(1, WindingNumbers.of(a, 1, 1, 1), 1e-12);
        assertEquals(1, WindingNumbers.of(a, 0.01, 1.99, 0.5), 1e-12);
        assertEquals(0, WindingNumbers.of(a, 3, 1, 1), 1e-12);
        assertEquals(0, WindingNumbers.of(a, -5, 7, 1), 1e-12);
        TriangleMesh two = union(a, box(new double[] {1, 1, 1}, new double[] {3, 3, 3}));
        assertEquals(2, WindingNumbers.of(two, 1.5, 1.5, 1.5), 1e-12, "overlap");
        assertEquals(1, WindingNumbers.of(two, 0.5, 0.5, 0.5), 1e-12);
        assertEquals(1, WindingNumbers.of(two, 2.5, 2.5, 2.5), 1e-12);
        assertEquals(0, WindingNumbers.of(two, 2.5, 0.5, 0.5), 1e-12);
        double[] batch = WindingNumbers.of(two, new double[][] {{1.5, 1.5, 1.5}, {2.5, 0.5, 0.5}});
        assertEquals(2, batch[0], 1e-12);
        assertEquals(0, batch[1], 1e-12);
        // an open box (the top removed) still has a sensible inside: about 1/2 and more below the opening's level
        int[] t = a.triangles();
        TriangleMesh open = new TriangleMesh(a.vertices(), java.util.Arrays.copyOf(t, 30));
        double w = WindingNumbers.of(open, 1, 1, 0.2);
        assertTrue(w > 0.5 && w < 1, "open box near the bottom: " + w);
    }

    @Test
    void polygonsCountTheirTurns() {
        double[] square = {0, 0, 2, 0, 2, 2, 0, 2};
        double[] hole = {0.5, 0.5, 0.5, 1.5, 1.5, 1.5, 1.5, 0.5}; // clockwise
        assertEquals(1, WindingNumbers.ofPolygons(new double[][] {square}, 1, 1), 1e-12);
        assertEquals(0, WindingNumbers.ofPolygons(new double[][] {square}, 3, 1), 1e-12);
        assertEquals(0, WindingNumbers.ofPolygons(new double[][] {square, hole}, 1, 1), 1e-12, "in the hole");
        assertEquals(1, WindingNumbers.ofPolygons(new double[][] {square, hole}, 0.2, 1), 1e-12);
        double[] shifted = {1, 1, 3, 1, 3, 3, 1, 3};
        assertEquals(2, WindingNumbers.ofPolygons(new double[][] {square, shifted}, 1.5, 1.5), 1e-12);
        assertThrows(IllegalArgumentException.class,
                () -> WindingNumbers.ofPolygons(new double[][] {{0, 0, 1, 1}}, 0, 0));
    }

    @Test
    void matchesTheNumpyReferenceOnTheFigurine() throws IOException {
        TriangleMesh m = MeshFiles.read(MeshFilesTest.resource("Wuson.obj"));
        List<String> rows = Files.readAllLines(MeshFilesTest.resource("wuson_oracle.csv"));
        double[][] p = new double[rows.size() - 1][];
        double[] d = new double[p.length];
        double[] w = new double[p.length];
        for (int i = 0; i < p.length; i++) {
            String[] f = rows.get(i + 1).split(",");
            p[i] = new double[] {Double.parseDouble(f[0]), Double.parseDouble(f[1]), Double.parseDouble(f[2])};
            d[i] = Double.parseDouble(f[3]);
            w[i] = Double.parseDouble(f[4]);
        }
        MeshDistance dist = new MeshDistance(m);
        double[] ud = dist.distances(p, false);
        double[] sd = dist.distances(p, true);
        double[] wn = WindingNumbers.of(m, p);
        for (int i = 0; i < p.length; i++) {
            assertEquals(d[i], ud[i], 1e-12, "distance at row " + i);
            assertEquals(w[i], wn[i], 1e-10, "winding at row " + i);
            assertEquals(Math.abs(w[i]) > 0.5 ? -d[i] : d[i], sd[i], 1e-12, "signed distance at row " + i);
        }
    }

    @Test
    void theHierarchyIsExactAgainstBruteForce() {
        SplittableRandom r = new SplittableRandom(3);
        // a soup of random triangles, some degenerate (a repeated corner, three collinear corners)
        int t = 500;
        double[] v = new double[9 * t];
        int[] tri = new int[3 * t];
        for (int i = 0; i < 9 * t; i++) {
            v[i] = r.nextDouble(-1, 1);
        }
        for (int i = 0; i < 3 * t; i++) {
            tri[i] = i;
        }
        System.arraycopy(v, 0, v, 3, 3); // triangle 0: corners 0 and 1 equal
        for (int k = 0; k < 3; k++) { // triangle 1: collinear corners
            v[9 + 6 + k] = 2 * v[9 + 3 + k] - v[9 + k];
        }
        TriangleMesh m = new TriangleMesh(v, tri);
        MeshDistance bvh = new MeshDistance(m);
        for (int q = 0; q < 2000; q++) {
            double x = r.nextDouble(-2, 2);
            double y = r.nextDouble(-2, 2);
            double z = r.nextDouble(-2, 2);
            double best = Double.POSITIVE_INFINITY;
            for (int i = 0; i < t; i++) {
                best = Math.min(best, bruteForce2(v, 9 * i, x, y, z));
            }
            assertEquals(Math.sqrt(best), bvh.unsigned(x, y, z), 1e-12, "query " + q);
        }
    }

    /** The distance to a triangle by sampling its barycentric grid finely and its edges exactly (independent). */
    private static double bruteForce2(double[] v, int o, double x, double y, double z) {
        double best = Double.POSITIVE_INFINITY;
        for (int e = 0; e < 3; e++) {
            int a = o + 3 * e;
            int b = o + 3 * ((e + 1) % 3);
            best = Math.min(best, segment2(v, a, b, x, y, z));
        }
        // the interior: the foot of the perpendicular when it falls inside
        double[] a = {v[o], v[o + 1], v[o + 2]};
        double[] u = {v[o + 3] - a[0], v[o + 4] - a[1], v[o + 5] - a[2]};
        double[] w = {v[o + 6] - a[0], v[o + 7] - a[1], v[o + 8] - a[2]};
        double uu = dot(u, u);
        double uw = dot(u, w);
        double ww = dot(w, w);
        double det = uu * ww - uw * uw;
        if (det > 1e-14 * uu * ww) {
            double[] p = {x - a[0], y - a[1], z - a[2]};
            double s = (ww * dot(p, u) - uw * dot(p, w)) / det;
            double t = (uu * dot(p, w) - uw * dot(p, u)) / det;
            if (s >= 0 && t >= 0 && s + t <= 1) {
                double dx = p[0] - s * u[0] - t * w[0];
                double dy = p[1] - s * u[1] - t * w[1];
                double dz = p[2] - s * u[2] - t * w[2];
                best = Math.min(best, dx * dx + dy * dy + dz * dz);
            }
        }
        return best;
    }

    private static double segment2(double[] v, int a, int b, double x, double y, double z) {
        double[] u = {v[b] - v[a], v[b + 1] - v[a + 1], v[b + 2] - v[a + 2]};
        double[] p = {x - v[a], y - v[a + 1], z - v[a + 2]};
        double len2 = dot(u, u);
        double s = len2 == 0 ? 0 : Math.max(0, Math.min(1, dot(p, u) / len2));
        double dx = p[0] - s * u[0];
        double dy = p[1] - s * u[1];
        double dz = p[2] - s * u[2];
        return dx * dx + dy * dy + dz * dz;
    }

    private static double dot(double[] a, double[] b) {
        return a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
    }

    @Test
    void badInputIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new TriangleMesh(new double[9], new int[] {0, 1, 3}));
        assertThrows(IllegalArgumentException.class,
                () -> new TriangleMesh(new double[] {0, 0, 0, 1, 0, 0, 0, Double.NaN, 0}, new int[] {0, 1, 2}));
        assertThrows(IllegalArgumentException.class, () -> new TriangleMesh(new double[8], new int[] {0, 1, 2}));
        TriangleMesh m = box(new double[] {0, 0, 0}, new double[] {1, 1, 1});
        assertThrows(IllegalArgumentException.class, () -> WindingNumbers.of(m, new double[][] {{0, 0}}));
        assertThrows(IllegalArgumentException.class,
                () -> new MeshDistance(m).distances(new double[][] {{0, Double.NaN, 0}}, true));
    }
}
