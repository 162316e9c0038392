package org.lipot.lipschitz.sdf;

import java.nio.file.Path;

/**
 * Wavefront OBJ: {@code v x y z [w | r g b]} vertices and {@code f a b c ...} polygons, whose corners are
 * {@code i}, {@code i/t}, {@code i//n} or {@code i/t/n} with 1-based indices, or negative ones counted back from the
 * last vertex defined. A face may only use vertices defined before it. Other statements ({@code vn}, {@code vt},
 * {@code g}, {@code o}, {@code usemtl}, lines, points...) are skipped.
 */
final class ObjFormat {

    private ObjFormat() {
    }

    static TriangleMesh read(Path file, byte[] bytes) {
        TextLines in = new TextLines(file, bytes, 0, 1, true);
        MeshFiles.Doubles vertices = new MeshFiles.Doubles();
        MeshFiles.Ints triangles = new MeshFiles.Ints();
        int[] corners = new int[16];
        while (in.next()) {
            String[] t = in.tokens();
            if (t[0].equals("v")) {
                for (int k = 1; k <= 3; k++) {
                    vertices.add(in.number(k, "coordinate " + k + " of the vertex"));
                }
            } else if (t[0].equals("f")) {
                int count = t.length - 1;
                if (count < 3) {
                    throw in.error("a face needs at least 3 corners, got " + count);
                }
                if (count > corners.length) {
                    corners = new int[count];
                }
                int defined = vertices.size() / 3;
                for (int k = 0; k < count; k++) {
                    corners[k] = corner(in, t[k + 1], defined);
                }
                MeshFiles.fan(triangles, corners, count);
            }
        }
        return MeshFiles.mesh(file, vertices, triangles);
    }

    /** The 0-based vertex of a corner token, checked against the {@code defined} vertices so far. */
    private static int corner(TextLines in, String token, int defined) {
        int slash = token.indexOf('/');
        String head = slash < 0 ? token : token.substring(0, slash);
        int i;
        try {
            i = Integer.parseInt(head);
        } catch (NumberFormatException e) {
            throw in.error("face corner '" + token + "' does not start with a vertex index");
        }
        int v = i > 0 ? i - 1 : defined + i;
        if (i == 0 || v < 0 || v >= defined) {
            throw in.error("face refers to vertex " + i + " but " + defined + " are defined so far"
                    + (i == 0 ? " (indices start at 1)" : ""));
        }
        return v;
    }
}
