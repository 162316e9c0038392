package org.lipot.lipschitz.sdf;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/**
 * Reads triangle meshes from OBJ, OFF, STL (ASCII and binary) and PLY (ASCII, binary little and big endian), chosen
 * by the file's extension. Polygons are fanned into triangles ({@code (v0, v_k, v_k+1)}); normals, texture
 * coordinates, colours, groups and materials are ignored.
 *
 * <p>Errors are {@link UncheckedIOException}s whose message starts with the file name and, for text, the line:
 * {@code "mesh.obj:12: face refers to vertex 40 but only 38 are defined"}. A header that declares more elements than
 * the file's size can hold (an OFF or PLY claiming 10^11 vertices) is refused before anything is allocated, so a
 * malformed, truncated or absurd file fails at once and never runs out of memory. A file with no triangle fails too.
 */
public final class MeshFiles {

    /** The largest file read (one Java array holds it). */
    static final long MAX_BYTES = Integer.MAX_VALUE - 16;

    private MeshFiles() {
    }

    /**
     * Reads {@code file} by its extension ({@code .obj}, {@code .off}, {@code .stl}, {@code .ply}; any case).
     *
     * @throws UncheckedIOException     if the file cannot be read or is not a valid mesh of its format
     * @throws IllegalArgumentException if the extension is not one of those
     */
    public static TriangleMesh read(Path file) {
        String name = file.getFileName() == null ? "" : file.getFileName().toString().toLowerCase(Locale.ROOT);
        String ext = name.contains(".") ? name.substring(name.lastIndexOf('.') + 1) : "";
        if (!Arrays.asList("obj", "off", "stl", "ply").contains(ext)) {
            throw new IllegalArgumentException("mesh file " + file + ": unknown extension '" + ext
                    + "' (expected .obj, .off, .stl or .ply)");
        }
        byte[] bytes;
        try {
            long size = Files.size(file);
            if (size > MAX_BYTES) {
                throw corrupt(file, 0, "the file has " + size + " bytes, more than the " + MAX_BYTES
                        + " a mesh file may have here");
            }
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e, e);
        }
        if (bytes.length == 0) {
            throw corrupt(file, 0, "the file is empty");
        }
        return switch (ext) {
            case "obj" -> ObjFormat.read(file, bytes);
            case "off" -> OffFormat.read(file, bytes);
            case "stl" -> StlFormat.read(file, bytes);
            default -> PlyFormat.read(file, bytes);
        };
    }

    /** An error in {@code file} at 1-based {@code line} (0: no line, for binary data or the whole file). */
    static UncheckedIOException corrupt(Path file, long line, String what) {
        String message = file + (line > 0 ? ":" + line : "") + ": " + what;
        return new UncheckedIOException(message, new IOException(message));
    }

    /** The mesh of the collected arrays, or an error naming the file if they do not make one. */
    static TriangleMesh mesh(Path file, Doubles vertices, Ints triangles) {
        if (triangles.size() == 0) {
            throw corrupt(file, 0, "no triangle in the file (" + vertices.size() / 3 + " vertices)");
        }
        try {
            return new TriangleMesh(vertices.toArray(), triangles.toArray());
        } catch (IllegalArgumentException e) {
            throw corrupt(file, 0, e.getMessage());
        }
    }

    /** Appends the fan {@code (c0, c_k, c_k+1)} of a polygon's corners. */
    static void fan(Ints triangles, int[] corners, int count) {
        for (int k = 1; k + 1 < count; k++) {
            triangles.add(corners[0]);
            triangles.add(corners[k]);
            triangles.add(corners[k + 1]);
        }
    }

    /** A growable array of doubles (no boxing). */
    static final class Doubles {
        private double[] a = new double[64];
        private int n;

        void add(double v) {
            if (n == a.length) {
                a = Arrays.copyOf(a, 2 * n);
            }
            a[n++] = v;
        }

        int size() {
            return n;
        }

        double get(int i) {
            return a[i];
        }

        double[] toArray() {
            return Arrays.copyOf(a, n);
        }
    }

    /** A growable array of ints (no boxing). */
    static final class Ints {
        private int[] a = new int[64];
        private int n;

        void add(int v) {
            if (n == a.length) {
                a = Arrays.copyOf(a, 2 * n);
            }
            a[n++] = v;
        }

        int size() {
            return n;
        }

        int[] toArray() {
            return Arrays.copyOf(a, n);
        }
    }
}
