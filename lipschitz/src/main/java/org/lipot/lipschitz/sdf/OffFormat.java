package org.lipot.lipschitz.sdf;

import java.nio.file.Path;

/**
 * Object File Format: a header keyword ({@code OFF}, or a variant such as {@code COFF} or {@code NOFF} whose vertex
 * lines carry colours or normals after the coordinates), the counts {@code V F E} (on the keyword's line or the
 * next), {@code V} vertex lines {@code x y z ...} and {@code F} face lines {@code n i_1 ... i_n [colour]} with
 * 0-based indices. {@code '#'} starts a comment.
 */
final class OffFormat {

    private OffFormat() {
    }

    static TriangleMesh read(Path file, byte[] bytes) {
        TextLines in = new TextLines(file, bytes, 0, 1, true);
        if (!in.next() || !in.tokens()[0].endsWith("OFF")) {
            throw MeshFiles.corrupt(file, in.line(), "not an OFF file: it does not start with OFF");
        }
        int first = 1;
        if (in.tokens().length == 1) {
            if (!in.next()) {
                throw in.error("the file ends before the vertex and face counts");
            }
            first = 0;
        }
        long v = in.count(first, "vertex count");
        long f = in.count(first + 1, "face count");
        in.checkRoom(v, 6, "vertices"); // "0 0 0\n" at least
        in.checkRoom(f, 8, "faces"); // "3 0 1 2\n"
        MeshFiles.Doubles vertices = new MeshFiles.Doubles();
        for (long i = 0; i < v; i++) {
            if (!in.next()) {
                throw in.error("the file ends after " + i + " of " + v + " vertices");
            }
            for (int k = 0; k < 3; k++) {
                vertices.add(in.number(k, "coordinate " + (k + 1) + " of vertex " + i));
            }
        }
        MeshFiles.Ints triangles = new MeshFiles.Ints();
        int[] corners = new int[16];
        for (long i = 0; i < f; i++) {
            if (!in.next()) {
                throw in.error("the file ends after " + i + " of " + f + " faces");
            }
            int n = in.integer(0, "corner count of face " + i);
            if (n < 3 || n > in.tokens().length - 1) {
                throw in.error("face " + i + " declares " + n + " corners; it needs at least 3 and the line has "
                        + (in.tokens().length - 1) + " values after the count");
            }
            if (n > corners.length) {
                corners = new int[n];
            }
            for (int k = 0; k < n; k++) {
                int c = in.integer(k + 1, "corner " + k + " of face " + i);
                if (c < 0 || c >= v) {
                    throw in.error("face " + i + " refers to vertex " + c + ", outside [0, " + v + ")");
                }
                corners[k] = c;
            }
            MeshFiles.fan(triangles, corners, n);
        }
        return MeshFiles.mesh(file, vertices, triangles);
    }
}
