package org.lipot.lipschitz.sdf;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;

/**
 * STL, binary or ASCII. Binary: an 80-byte header, a little-endian 32-bit triangle count {@code n}, then {@code n}
 * records of 50 bytes (a normal and three vertices as float32, two attribute bytes); a file whose size is exactly
 * {@code 84 + 50 n} is read as binary, even if its header starts with {@code solid}, as some exporters write.
 * ASCII: {@code solid}, then facets {@code facet normal ...}, {@code outer loop}, three {@code vertex x y z} lines,
 * {@code endloop}, {@code endfacet}, and {@code endsolid}. Each triangle gets its own three vertices (STL does not
 * share them); the normals are ignored, the corner order gives the orientation.
 */
final class StlFormat {

    private static final int HEADER = 84;
    private static final int RECORD = 50;

    private StlFormat() {
    }

    static TriangleMesh read(Path file, byte[] bytes) {
        long n = bytes.length >= HEADER
                ? ByteBuffer.wrap(bytes, 80, 4).order(ByteOrder.LITTLE_ENDIAN).getInt() & 0xffffffffL : -1;
        if (n >= 0 && HEADER + RECORD * n == bytes.length) {
            return binary(file, bytes, (int) n);
        }
        String start = new String(bytes, 0, Math.min(bytes.length, 5), java.nio.charset.StandardCharsets.ISO_8859_1);
        if (!start.equals("solid")) {
            throw MeshFiles.corrupt(file, 0, "neither ASCII STL (no 'solid' at the start) nor binary STL ("
                    + (n < 0 ? "shorter than the 84-byte header" : "the header declares " + n + " triangles, "
                    + (HEADER + RECORD * n) + " bytes, but the file has " + bytes.length) + ")");
        }
        return ascii(file, bytes);
    }

    private static TriangleMesh binary(Path file, byte[] bytes, int n) {
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        MeshFiles.Doubles vertices = new MeshFiles.Doubles();
        MeshFiles.Ints triangles = new MeshFiles.Ints();
        for (int t = 0; t < n; t++) {
            int at = HEADER + RECORD * t + 12;
            for (int c = 0; c < 9; c++) {
                float x = b.getFloat(at + 4 * c);
                if (!Float.isFinite(x)) {
                    throw MeshFiles.corrupt(file, 0, "triangle " + t + ": coordinate " + c % 3 + " of corner "
                            + c / 3 + " is " + x);
                }
                vertices.add(x);
            }
            for (int c = 0; c < 3; c++) {
                triangles.add(3 * t + c);
            }
        }
        return MeshFiles.mesh(file, vertices, triangles);
    }

    private static TriangleMesh ascii(Path file, byte[] bytes) {
        TextLines in = new TextLines(file, bytes, 0, 1, false);
        MeshFiles.Doubles vertices = new MeshFiles.Doubles();
        MeshFiles.Ints triangles = new MeshFiles.Ints();
        int inLoop = -1; // corners seen in the open loop, -1 outside a loop
        while (in.next()) {
            String key = in.tokens()[0];
            switch (key) {
                case "outer" -> {
                    if (inLoop >= 0) {
                        throw in.error("'outer loop' inside a loop");
                    }
                    inLoop = 0;
                }
                case "vertex" -> {
                    if (inLoop < 0) {
                        throw in.error("'vertex' outside an 'outer loop'");
                    }
                    if (inLoop == 3) {
                        throw in.error("a facet loop with more than 3 vertices");
                    }
                    for (int k = 1; k <= 3; k++) {
                        vertices.add(in.number(k, "coordinate " + k + " of the vertex"));
                    }
                    inLoop++;
                }
                case "endloop" -> {
                    if (inLoop != 3) {
                        throw in.error("a facet loop with " + Math.max(inLoop, 0) + " vertices instead of 3");
                    }
                    int v = vertices.size() / 3;
                    triangles.add(v - 3);
                    triangles.add(v - 2);
                    triangles.add(v - 1);
                    inLoop = -1;
                }
                case "solid", "facet", "endfacet", "endsolid" -> {
                    if (inLoop >= 0) {
                        throw in.error("'" + key + "' inside a facet loop");
                    }
                }
                default -> throw in.error("unexpected '" + key + "' in an ASCII STL file");
            }
        }
        if (inLoop >= 0) {
            throw in.error("the file ends inside a facet loop");
        }
        return MeshFiles.mesh(file, vertices, triangles);
    }
}
