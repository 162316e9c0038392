package org.lipot.lipschitz.sdf;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Reads point clouds: XYZ text files ({@code .xyz}, {@code .txt}, {@code .csv}: one point per line, {@code x y z}
 * or {@code x y z nx ny nz}, separated by spaces, tabs or commas; {@code '#'} starts a comment; every line with the
 * same number of values) and the vertices of PLY files (with {@code nx ny nz} normals if present; faces ignored).
 * Errors are {@link UncheckedIOException}s naming the file and the line, as for {@link MeshFiles}.
 */
public final class PointCloudFiles {

    private PointCloudFiles() {
    }

    /**
     * The points of a file and, if it has them, their normals.
     *
     * @param points  {@code N x 3}
     * @param normals {@code N x 3}, or {@code null} when the file has 3 columns
     */
    public record Samples(double[][] points, double[][] normals) {
    }

    /**
     * Reads a point file: PLY by its {@code .ply} extension, XYZ text otherwise.
     *
     * @throws UncheckedIOException naming the file (and line) if it cannot be read or is malformed
     */
    public static Samples read(Path file) {
        byte[] bytes;
        try {
            long size = Files.size(file);
            if (size > MeshFiles.MAX_BYTES) {
                throw MeshFiles.corrupt(file, 0, "the file has " + size + " bytes, more than the " + MeshFiles.MAX_BYTES
                        + " a point file may have here");
            }
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e, e);
        }
        if (file.toString().toLowerCase(java.util.Locale.ROOT).endsWith(".ply")) {
            return PlyFormat.readPoints(file, bytes);
        }
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == ',') {
                bytes[i] = ' ';
            }
        }
        TextLines in = new TextLines(file, bytes, 0, 1, true);
        MeshFiles.Doubles values = new MeshFiles.Doubles();
        int columns = -1;
        while (in.next()) {
            int c = in.tokens().length;
            if (columns < 0) {
                if (c != 3 && c != 6) {
                    throw in.error("a point line needs 3 values (x y z) or 6 (x y z nx ny nz), got " + c);
                }
                columns = c;
            } else if (c != columns) {
                throw in.error("this line has " + c + " values but the first point line has " + columns);
            }
            for (int k = 0; k < c; k++) {
                values.add(in.number(k, "value " + (k + 1)));
            }
        }
        if (columns < 0) {
            throw MeshFiles.corrupt(file, 0, "no point in the file");
        }
        double[] v = values.toArray();
        int n = v.length / columns;
        double[][] p = new double[n][];
        double[][] nrm = columns == 6 ? new double[n][] : null;
        for (int i = 0; i < n; i++) {
            p[i] = Arrays.copyOfRange(v, i * columns, i * columns + 3);
            if (nrm != null) {
                nrm[i] = Arrays.copyOfRange(v, i * columns + 3, i * columns + 6);
            }
        }
        return new Samples(p, nrm);
    }
}
