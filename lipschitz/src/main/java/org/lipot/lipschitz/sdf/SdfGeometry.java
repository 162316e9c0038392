package org.lipot.lipschitz.sdf;

import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

import org.lipot.transport.io.AtomicWrite;

/**
 * Geometry from a field: closest-point projection onto its zero level set, its zero contour in 2-D by marching
 * squares, and its zero surface in 3-D by marching tetrahedra on the cube grid, written to OBJ.
 *
 * <p>The 3-D surface splits every grid cube into six tetrahedra around its main diagonal and cuts each where the
 * field changes sign (one or two triangles), with vertices interpolated linearly along the grid edges and shared
 * between neighbours: the result is watertight wherever the zero level is inside the box, and, unlike the case
 * table of marching cubes, has no ambiguous cases to resolve. Triangles face increasing {@code f} (outward).
 */
public final class SdfGeometry {

    private SdfGeometry() {
    }

    /**
     * Projects points onto the field's zero level set by {@code x <- x - f(x) grad f(x) / |grad f(x)|^2}, iterated
     * {@code iterations} times (Newton's step along the gradient; for an exact distance one step lands on the
     * surface). Returns new points; rows whose gradient vanishes stay where they are.
     *
     * @throws IllegalArgumentException if a row does not have {@code d} finite coordinates or iterations &lt; 1
     */
    public static double[][] project(NeuralSdf field, double[][] points, int iterations) {
        if (iterations < 1) {
            throw new IllegalArgumentException("iterations must be >= 1, got " + iterations);
        }
        WindingNumbers.checkPoints(points, field.dimension());
        double[][] x = new double[points.length][];
        for (int p = 0; p < points.length; p++) {
            x[p] = points[p].clone();
        }
        for (int it = 0; it < iterations && x.length > 0; it++) {
            double[] f = field.distances(x);
            double[][] g = field.gradients(x);
            for (int p = 0; p < x.length; p++) {
                double n2 = 0;
                for (double c : g[p]) {
                    n2 += c * c;
                }
                if (n2 > 0) {
                    for (int k = 0; k < x[p].length; k++) {
                        x[p][k] -= f[p] * g[p][k] / n2;
                    }
                }
            }
        }
        return x;
    }

    /**
     * The zero contour of a 2-D field on {@code box = {x0, y0, x1, y1}} sampled on a grid of {@code n x n} cells,
     * by marching squares with linear interpolation along the cell edges, as OBJ vertices ({@code v x y 0}) and
     * segments ({@code l i j}), written atomically. Returns the number of segments. A saddle cell (opposite corners
     * of equal sign) is split by the sign at its centre.
     *
     * @throws IllegalArgumentException  if the field is not 2-D, the box is empty or {@code n < 2}
     * @throws UncheckedIOException      naming the file if it cannot be written
     */
    public static int contourObj(NeuralSdf field, double[] box, int n, Path obj) {
        if (field.dimension() != 2) {
            throw new IllegalArgumentException("marching squares needs a 2-D field, got " + field.dimension() + "-D");
        }
        if (box == null || box.length != 4 || !(box[2] > box[0]) || !(box[3] > box[1]) || n < 2) {
            throw new IllegalArgumentException("box must be {x0, y0, x1, y1} with x1 > x0, y1 > y0, and n >= 2");
        }
        double hx = (box[2] - box[0]) / n;
        double hy = (box[3] - box[1]) / n;
        double[][] grid = new double[(n + 1) * (n + 1)][];
        for (int j = 0; j <= n; j++) {
            for (int i = 0; i <= n; i++) {
                grid[j * (n + 1) + i] = new double[] {box[0] + i * hx, box[1] + j * hy};
            }
        }
        double[] f = field.distances(grid);
        double[][] centres = new double[n * n][];
        for (int j = 0; j < n; j++) {
            for (int i = 0; i < n; i++) {
                centres[j * n + i] = new double[] {box[0] + (i + 0.5) * hx, box[1] + (j + 0.5) * hy};
            }
        }
        double[] fc = field.distances(centres);
        StringBuilder v = new StringBuilder();
        StringBuilder l = new StringBuilder();
        int vertices = 0;
        int segments = 0;
        for (int j = 0; j < n; j++) {
            for (int i = 0; i < n; i++) {
                // corners counter-clockwise: (i, j), (i + 1, j), (i + 1, j + 1), (i, j + 1)
                int[] c = {j * (n + 1) + i, j * (n + 1) + i + 1, (j + 1) * (n + 1) + i + 1, (j + 1) * (n + 1) + i};
                double[][] cross = new double[4][];
                int count = 0;
                for (int e = 0; e < 4; e++) {
                    double fa = f[c[e]];
                    double fb = f[c[(e + 1) % 4]];
                    if ((fa < 0) != (fb < 0)) {
                        double t = fa / (fa - fb);
                        double[] a = grid[c[e]];
                        double[] b = grid[c[(e + 1) % 4]];
                        cross[e] = new double[] {a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1])};
                        count++;
                    }
                }
                if (count == 0) {
                    continue;
                }
                int[][] pairs;
                if (count == 2) {
                    int first = -1;
                    int second = -1;
                    for (int e = 0; e < 4; e++) {
                        if (cross[e] != null) {
                            if (first < 0) {
                                first = e;
                            } else {
                                second = e;
                            }
                        }
                    }
                    pairs = new int[][] {{first, second}};
                } else { // a saddle: join the edges around the corners whose sign differs from the centre's
                    boolean centreInside = fc[j * n + i] < 0;
                    boolean corner0Inside = f[c[0]] < 0;
                    pairs = corner0Inside == centreInside ? new int[][] {{0, 1}, {2, 3}} : new int[][] {{3, 0}, {1, 2}};
                }
                for (int[] p : pairs) {
                    for (int e : p) {
                        v.append(String.format(Locale.ROOT, "v %.9g %.9g 0%n", cross[e][0], cross[e][1]));
                    }
                    l.append("l ").append(vertices + 1).append(' ').append(vertices + 2).append('\n');
                    vertices += 2;
                    segments++;
                }
            }
        }
        String text = "# zero contour of a lipot signed distance field (marching squares, " + n + " x " + n + ")\n" + v + l;
        AtomicWrite.write(obj, out -> out.write(text.getBytes(StandardCharsets.US_ASCII)));
        return segments;
    }

    /** The six tetrahedra of a cube around its diagonal 0-6, as corner numbers (bit k of a corner = +1 along axis k). */
    private static final int[][] TETRAHEDRA = {{0, 1, 3, 7}, {0, 3, 2, 7}, {0, 2, 6, 7}, {0, 6, 4, 7}, {0, 4, 5, 7},
        {0, 5, 1, 7}};

    /**
     * The zero surface of a 3-D field on {@code box = {x0, y0, z0, x1, y1, z1}} sampled on a grid of {@code n^3}
     * cubes ({@link #surface}), as OBJ vertices and triangles, written atomically. Returns the number of triangles
     * (0, and a file with a comment only, when the zero level does not cross the box).
     *
     * @throws IllegalArgumentException if the field is not 3-D, the box is empty or {@code n} is not in [2, 512]
     * @throws UncheckedIOException     naming the file if it cannot be written
     */
    public static int surfaceObj(NeuralSdf field, double[] box, int n, Path obj) {
        TriangleMesh mesh = surface(field, box, n).orElse(null);
        writeSurfaceObj(mesh, n, obj);
        return mesh == null ? 0 : mesh.triangleCount();
    }

    /**
     * Writes a surface from {@link #surface} on {@code n^3} cubes (null: none) as OBJ {@code v} and {@code f} lines,
     * atomically.
     *
     * @throws UncheckedIOException naming the file if it cannot be written
     */
    public static void writeSurfaceObj(TriangleMesh mesh, int n, Path obj) {
        double[] xyz = mesh == null ? new double[0] : mesh.vertices();
        int[] tri = mesh == null ? new int[0] : mesh.triangles();
        StringBuilder text = new StringBuilder("# zero surface of a lipot signed distance field (marching tetrahedra, "
                + n + "^3 cubes)\n");
        for (int q = 0; q < xyz.length; q += 3) {
            text.append(String.format(Locale.ROOT, "v %.9g %.9g %.9g%n", xyz[q], xyz[q + 1], xyz[q + 2]));
        }
        for (int q = 0; q < tri.length; q += 3) {
            text.append("f ").append(tri[q] + 1).append(' ').append(tri[q + 1] + 1).append(' ').append(tri[q + 2] + 1)
                    .append('\n');
        }
        AtomicWrite.write(obj, out -> out.write(text.toString().getBytes(StandardCharsets.US_ASCII)));
    }

    /**
     * The zero surface of a 3-D field on {@code box = {x0, y0, z0, x1, y1, z1}} sampled on a grid of {@code n^3}
     * cubes, by marching tetrahedra, triangles facing out; empty when the zero level does not cross the box.
     *
     * @throws IllegalArgumentException if the field is not 3-D, the box is empty or {@code n} is not in [2, 512]
     */
    public static Optional<TriangleMesh> surface(NeuralSdf field, double[] box, int n) {
        if (field.dimension() != 3) {
            throw new IllegalArgumentException("a surface needs a 3-D field, got " + field.dimension() + "-D");
        }
        if (box == null || box.length != 6 || !(box[3] > box[0]) || !(box[4] > box[1]) || !(box[5] > box[2]) || n < 2
                || n > 512) {
            throw new IllegalArgumentException("box must be {x0, y0, z0, x1, y1, z1} with x1 > x0, y1 > y0, z1 > z0,"
                    + " and n in [2, 512]");
        }
        int m = n + 1;
        double[] h = {(box[3] - box[0]) / n, (box[4] - box[1]) / n, (box[5] - box[2]) / n};
        double[] f = new double[m * m * m];
        double[][] slab = new double[m * m][];
        for (int k = 0; k < m; k++) { // one z slab at a time bounds the memory of the points
            for (int j = 0; j < m; j++) {
                for (int i = 0; i < m; i++) {
                    slab[j * m + i] = new double[] {box[0] + i * h[0], box[1] + j * h[1], box[2] + k * h[2]};
                }
            }
            System.arraycopy(field.distances(slab), 0, f, k * m * m, m * m);
        }
        EdgeVertices vertexOfEdge = new EdgeVertices();
        MeshFiles.Doubles v = new MeshFiles.Doubles();
        MeshFiles.Ints t = new MeshFiles.Ints();
        int[] corner = new int[8];
        int[] g = new int[4];
        for (int k = 0; k < n; k++) {
            for (int j = 0; j < n; j++) {
                for (int i = 0; i < n; i++) {
                    for (int c = 0; c < 8; c++) {
                        corner[c] = ((k + (c >> 2 & 1)) * m + j + (c >> 1 & 1)) * m + i + (c & 1);
                    }
                    for (int[] tet : TETRAHEDRA) {
                        int inside = 0;
                        for (int c = 0; c < 4; c++) {
                            g[c] = corner[tet[c]];
                        }
                        for (int q : g) {
                            inside += f[q] < 0 ? 1 : 0;
                        }
                        if (inside == 0 || inside == 4) {
                            continue;
                        }
                        int[] neg = new int[inside];
                        int[] pos = new int[4 - inside];
                        int a = 0;
                        int b = 0;
                        for (int q : g) {
                            if (f[q] < 0) {
                                neg[a++] = q;
                            } else {
                                pos[b++] = q;
                            }
                        }
                        int[] ring; // the cut's vertices in order around it
                        if (inside == 1 || inside == 3) {
                            int lone = inside == 1 ? neg[0] : pos[0];
                            int[] others = inside == 1 ? pos : neg;
                            ring = new int[] {vertex(lone, others[0], f, box, h, m, vertexOfEdge, v),
                                vertex(lone, others[1], f, box, h, m, vertexOfEdge, v),
                                vertex(lone, others[2], f, box, h, m, vertexOfEdge, v)};
                        } else {
                            ring = new int[] {vertex(neg[0], pos[0], f, box, h, m, vertexOfEdge, v),
                                vertex(neg[0], pos[1], f, box, h, m, vertexOfEdge, v),
                                vertex(neg[1], pos[1], f, box, h, m, vertexOfEdge, v),
                                vertex(neg[1], pos[0], f, box, h, m, vertexOfEdge, v)};
                        }
                        double[] outward = direction(neg, pos, box, h, m);
                        for (int r = 1; r + 1 < ring.length; r++) {
                            triangle(ring[0], ring[r], ring[r + 1], outward, v, t);
                        }
                    }
                }
            }
        }
        int[] tri = t.toArray();
        return tri.length == 0 ? Optional.empty() : Optional.of(new TriangleMesh(v.toArray(), tri));
    }

    private static double[] gridPoint(int q, double[] box, double[] h, int m) {
        return new double[] {box[0] + (q % m) * h[0], box[1] + (q / m % m) * h[1], box[2] + (q / (m * m)) * h[2]};
    }

    /** The index (0-based) of the crossing on grid edge {@code (a, b)}, created once per edge. */
    private static int vertex(int a, int b, double[] f, double[] box, double[] h, int m,
                              EdgeVertices vertexOfEdge, MeshFiles.Doubles v) {
        long key = Math.min(a, b) * (long) Integer.MAX_VALUE + Math.max(a, b);
        int known = vertexOfEdge.get(key);
        if (known >= 0) {
            return known;
        }
        double s = f[a] / (f[a] - f[b]);
        double[] pa = gridPoint(a, box, h, m);
        double[] pb = gridPoint(b, box, h, m);
        int index = v.size() / 3;
        for (int k = 0; k < 3; k++) {
            v.add(pa[k] + s * (pb[k] - pa[k]));
        }
        vertexOfEdge.put(key, index);
        return index;
    }

    /** Grid edge (a key {@code >= 0}) to vertex index: open addressing with linear probing, no boxing. */
    private static final class EdgeVertices {
        private long[] keys = new long[1 << 12];
        private int[] values = new int[1 << 12];
        private int size;

        EdgeVertices() {
            java.util.Arrays.fill(keys, -1);
        }

        /** The vertex of {@code key}, or -1. */
        int get(long key) {
            int mask = keys.length - 1;
            for (int i = slot(key, mask); keys[i] != -1; i = (i + 1) & mask) {
                if (keys[i] == key) {
                    return values[i];
                }
            }
            return -1;
        }

        /** Records a key that is not there yet; the table doubles at half load. */
        void put(long key, int value) {
            if (2 * (size + 1) > keys.length) {
                long[] oldKeys = keys;
                int[] oldValues = values;
                keys = new long[2 * oldKeys.length];
                values = new int[2 * oldKeys.length];
                java.util.Arrays.fill(keys, -1);
                size = 0;
                for (int i = 0; i < oldKeys.length; i++) {
                    if (oldKeys[i] != -1) {
                        put(oldKeys[i], oldValues[i]);
                    }
                }
            }
            int mask = keys.length - 1;
            int i = slot(key, mask);
            while (keys[i] != -1) {
                i = (i + 1) & mask;
            }
            keys[i] = key;
            values[i] = value;
            size++;
        }

        private static int slot(long key, int mask) {
            long h = key * 0x9E3779B97F4A7C15L;
            return (int) (h ^ (h >>> 32)) & mask;
        }
    }

    /** From the inside corners' centroid to the outside corners'. */
    private static double[] direction(int[] neg, int[] pos, double[] box, double[] h, int m) {
        double[] d = new double[3];
        for (int q : pos) {
            double[] p = gridPoint(q, box, h, m);
            for (int k = 0; k < 3; k++) {
                d[k] += p[k] / pos.length;
            }
        }
        for (int q : neg) {
            double[] p = gridPoint(q, box, h, m);
            for (int k = 0; k < 3; k++) {
                d[k] -= p[k] / neg.length;
            }
        }
        return d;
    }

    /** Appends the triangle, flipped if needed so that its normal points along {@code outward}. */
    private static void triangle(int a, int b, int c, double[] outward, MeshFiles.Doubles v, MeshFiles.Ints t) {
        double[] u = new double[3];
        double[] w = new double[3];
        for (int k = 0; k < 3; k++) {
            u[k] = v.get(3 * b + k) - v.get(3 * a + k);
            w[k] = v.get(3 * c + k) - v.get(3 * a + k);
        }
        double dot = (u[1] * w[2] - u[2] * w[1]) * outward[0] + (u[2] * w[0] - u[0] * w[2]) * outward[1]
                + (u[0] * w[1] - u[1] * w[0]) * outward[2];
        t.add(a);
        t.add(dot < 0 ? c : b);
        t.add(dot < 0 ? b : c);
    }
}
