package org.lipot.lipschitz.sdf;

import java.util.Arrays;

/**
 * A triangle soup in 3-D: {@code V} vertices and {@code T} triangles that index them. Nothing else is assumed: the
 * mesh may be open, non-manifold, self-intersecting, made of several overlapping parts, or hold duplicated vertices;
 * the generalised winding number ({@link WindingNumbers}) still gives a sensible inside.
 *
 * <p>Vertex {@code v} is {@code (vertices[3v], vertices[3v + 1], vertices[3v + 2])}, in the file's units; triangle
 * {@code t} has corners {@code triangles[3t..3t+2]}, and its orientation (counter-clockwise seen from outside, as
 * the formats specify) decides the sign of the winding number. The arrays are <b>shared, not copied</b>: treat them
 * as read-only.
 *
 * @param vertices  {@code 3 V} finite coordinates, {@code V >= 3}
 * @param triangles {@code 3 T} vertex indices in {@code [0, V)}, {@code T >= 1}
 */
public record TriangleMesh(double[] vertices, int[] triangles) {

    /**
     * @throws IllegalArgumentException if an array is null, has a length that is not a multiple of 3, is empty, or
     *                                  holds a non-finite coordinate or an index out of range
     */
    public TriangleMesh {
        if (vertices == null || triangles == null) {
            throw new IllegalArgumentException((vertices == null ? "vertices" : "triangles") + " must not be null");
        }
        if (vertices.length % 3 != 0 || vertices.length < 9) {
            throw new IllegalArgumentException("vertices must hold 3 coordinates for each of at least 3 vertices, got "
                    + vertices.length + " values");
        }
        if (triangles.length % 3 != 0 || triangles.length == 0) {
            throw new IllegalArgumentException("triangles must hold 3 indices for each of at least 1 triangle, got "
                    + triangles.length + " values");
        }
        for (int i = 0; i < vertices.length; i++) {
            if (!Double.isFinite(vertices[i])) {
                throw new IllegalArgumentException("vertices: coordinate " + (i % 3) + " of vertex " + i / 3 + " is "
                        + vertices[i]);
            }
        }
        int v = vertices.length / 3;
        for (int i = 0; i < triangles.length; i++) {
            if (triangles[i] < 0 || triangles[i] >= v) {
                throw new IllegalArgumentException("triangles: corner " + (i % 3) + " of triangle " + i / 3
                        + " is vertex " + triangles[i] + ", outside [0, " + v + ")");
            }
        }
    }

    /** {@code V}. */
    public int vertexCount() {
        return vertices.length / 3;
    }

    /** {@code T}. */
    public int triangleCount() {
        return triangles.length / 3;
    }

    /** The axis-aligned bounding box of the vertices: {@code {minX, minY, minZ, maxX, maxY, maxZ}}. */
    public double[] bounds() {
        double[] b = {Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY,
            Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY};
        for (int i = 0; i < vertices.length; i++) {
            int k = i % 3;
            b[k] = Math.min(b[k], vertices[i]);
            b[k + 3] = Math.max(b[k + 3], vertices[i]);
        }
        return b;
    }

    /** The length of the bounding box's diagonal, the scale that tolerances are quoted against. */
    public double diagonal() {
        double[] b = bounds();
        return Math.sqrt(sq(b[3] - b[0]) + sq(b[4] - b[1]) + sq(b[5] - b[2]));
    }

    private static double sq(double x) {
        return x * x;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TriangleMesh m && Arrays.equals(vertices, m.vertices)
                && Arrays.equals(triangles, m.triangles);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(vertices) + Arrays.hashCode(triangles);
    }

    @Override
    public String toString() {
        return "TriangleMesh[" + vertexCount() + " vertices, " + triangleCount() + " triangles]";
    }
}
