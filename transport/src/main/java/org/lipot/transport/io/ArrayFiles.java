package org.lipot.transport.io;

import java.nio.file.Path;
import java.util.Locale;

/**
 * Reads and writes arrays in the format named by the file extension: {@code .npy} with {@link Npy}, and
 * {@code .csv}, {@code .tsv}, {@code .txt} with {@link Csv} (the extension is matched ignoring case).
 */
public final class ArrayFiles {

    private ArrayFiles() {
    }

    /**
     * Reads an array. An NPY file keeps its shape; a text file is a matrix of shape {@code (rows, columns)}, so a
     * single column reads as {@code (n, 1)}.
     *
     * @throws IllegalArgumentException      naming the path if its extension is none of the above
     * @throws java.io.UncheckedIOException as {@link Npy#read(Path)} and {@link Csv#readMatrix(Path)}
     */
    public static NpyArray readAny(Path file) {
        return switch (extension(file)) {
            case "npy" -> Npy.read(file);
            case "csv", "tsv", "txt" -> NpyArray.ofMatrix(Csv.readMatrix(file));
            default -> throw unknownExtension(file);
        };
    }

    /**
     * Writes a matrix atomically: {@code .npy} as float64 of shape {@code (n, d)}; {@code .csv} and {@code .txt}
     * comma-separated; {@code .tsv} tab-separated.
     *
     * @throws IllegalArgumentException      naming the path if its extension is none of the above, or if the rows
     *                                       are null or ragged
     * @throws java.io.UncheckedIOException naming the file if it cannot be written
     */
    public static void write(Path file, double[][] rows) {
        switch (extension(file)) {
            case "npy" -> Npy.write(file, rows);
            case "csv", "txt" -> Csv.write(file, rows);
            case "tsv" -> Csv.write(file, '\t', rows);
            default -> throw unknownExtension(file);
        }
    }

    /**
     * Checks, before any work, that {@link #write} knows the file's format.
     *
     * @throws IllegalArgumentException naming the path if its extension is not one {@link #write} handles
     */
    public static void checkWritable(Path file) {
        switch (extension(file)) {
            case "npy", "csv", "txt", "tsv" -> {
            }
            default -> throw unknownExtension(file);
        }
    }

    private static String extension(Path file) {
        Path name = file.getFileName();
        String s = name == null ? "" : name.toString();
        int dot = s.lastIndexOf('.');
        return dot < 0 ? "" : s.substring(dot + 1).toLowerCase(Locale.ROOT);
    }

    private static IllegalArgumentException unknownExtension(Path file) {
        return new IllegalArgumentException("file " + file
                + " has an unknown extension (expected .npy, .csv, .tsv or .txt)");
    }
}
