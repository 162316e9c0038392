package org.lipot.lipschitz.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.lipot.lipschitz.nn.Tensors;
import org.lipot.transport.io.Npy;
import org.lipot.transport.io.NpyArray;
import org.lipot.transport.io.Npz;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Data sets from array files: a features file and a labels file, each NPY ({@code .npy}) or delimited text
 * ({@code .csv}, {@code .txt}, optionally gzipped); or two arrays of one NPZ archive.
 *
 * <p><b>Features</b>: {@code N x D}, or images {@code N x H x W} / {@code N x C x H x W} (NPY), flattened
 * to {@code N x D} in C order with the image shape recorded. Converted to float32 as they are (no scaling).
 * <b>Labels</b>: {@code N} integer values {@code >= 0} (NPY: shape {@code (N,)} or {@code (N, 1)}; text:
 * one value per line). {@code numClasses = 0} means "the largest label + 1".
 *
 * <p>Text files: values separated by commas, semicolons, tabs or spaces; blank lines and lines starting
 * with {@code #} are skipped; no header line. NPY files and NPZ entries (stored or compressed) are read by
 * {@link Npy}: float, integer and boolean dtypes in either byte order, C or Fortran order, checked to hold exactly
 * the data their header promises. Every problem raises
 * {@link java.io.UncheckedIOException} naming the file (and the line, for text).
 */
public final class ArrayDataFiles {

    private ArrayDataFiles() {
    }

    /**
     * Loads features and labels from two files.
     *
     * @param numClasses the number of classes, or 0 to take the largest label + 1
     */
    public static Dataset load(Path features, Path labels, int numClasses) {
        return assemble(readArray(features), features, readArray(labels), labels, numClasses);
    }

    /**
     * Loads features and labels from two arrays of an NPZ archive ({@code numpy.savez}).
     *
     * @param featuresKey the name of the features array (for example {@code "x"})
     * @param labelsKey   the name of the labels array (for example {@code "y"})
     * @param numClasses  the number of classes, or 0 to take the largest label + 1
     */
    public static Dataset loadNpz(Path npz, String featuresKey, String labelsKey, int numClasses) {
        Map<String, NpyArray> arrays = Npz.read(npz);
        for (String key : new String[] {featuresKey, labelsKey}) {
            if (!arrays.containsKey(key)) {
                throw DataFiles.corrupt(npz, "no array '" + key + "' in this NPZ archive (arrays: " + arrays.keySet()
                        + ")");
            }
        }
        return assemble(Tensors.fromNpy(arrays.get(featuresKey)), npz, Tensors.fromNpy(arrays.get(labelsKey)), npz,
                numClasses);
    }

    /** One NPY or delimited-text array file, chosen by the extension ({@code .gz} ignored for text). */
    static INDArray readArray(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".npy")) {
            return readNpy(file);
        }
        if (name.endsWith(".csv") || name.endsWith(".txt") || name.endsWith(".csv.gz") || name.endsWith(".txt.gz")) {
            return readText(file);
        }
        throw DataFiles.corrupt(file, "unknown array file type (expected .npy, .csv or .txt)");
    }

    private static INDArray readNpy(Path file) {
        return Tensors.fromNpy(Npy.read(file));
    }

    private static INDArray readText(Path file) {
        List<double[]> rows = new ArrayList<>();
        int lineNumber = 0;
        try (BufferedReader in = new BufferedReader(new InputStreamReader(DataFiles.open(file),
                StandardCharsets.UTF_8))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                lineNumber++;
                String t = line.strip();
                if (t.isEmpty() || t.startsWith("#")) {
                    continue;
                }
                String[] cells = t.split("\\s*[,;\\t ]\\s*");
                double[] row = new double[cells.length];
                for (int j = 0; j < cells.length; j++) {
                    try {
                        row[j] = Double.parseDouble(cells[j]);
                    } catch (NumberFormatException e) {
                        throw DataFiles.corrupt(file, "line " + lineNumber + ", column " + (j + 1) + ": '" + cells[j]
                                + "' is not a number");
                    }
                }
                if (!rows.isEmpty() && row.length != rows.get(0).length) {
                    throw DataFiles.corrupt(file, "line " + lineNumber + " has " + row.length + " values, the first"
                            + " row has " + rows.get(0).length);
                }
                rows.add(row);
            }
        } catch (IOException e) {
            throw DataFiles.unreadable(file, e);
        }
        if (rows.isEmpty()) {
            throw DataFiles.corrupt(file, "no data rows");
        }
        int cols = rows.get(0).length;
        double[] flat = new double[rows.size() * cols];
        for (int i = 0; i < rows.size(); i++) {
            System.arraycopy(rows.get(i), 0, flat, i * cols, cols);
        }
        return Nd4j.create(flat, new long[] {rows.size(), cols}, DataType.DOUBLE);
    }

    private static Dataset assemble(INDArray x, Path xFile, INDArray y, Path yFile, int numClasses) {
        long[] s = x.shape();
        if (s.length < 2 || s.length > 4) {
            throw DataFiles.corrupt(xFile, "features must have 2 to 4 dimensions (N x D, N x H x W or N x C x H x W),"
                    + " got shape " + java.util.Arrays.toString(s));
        }
        int[] image = s.length == 3 ? new int[] {1, (int) s[1], (int) s[2]}
                : s.length == 4 ? new int[] {(int) s[1], (int) s[2], (int) s[3]} : null;
        long n = s[0];
        long d = x.length() / Math.max(n, 1);
        INDArray features = x.castTo(DataType.FLOAT).reshape('c', n, d).dup('c');
        if (y.rank() > 2 || (y.rank() == 2 && y.columns() != 1 && y.rows() != 1)) {
            throw DataFiles.corrupt(yFile, "labels must be a vector or N x 1, got shape "
                    + java.util.Arrays.toString(y.shape()));
        }
        double[] v = y.castTo(DataType.DOUBLE).dup('c').data().asDouble();
        if (v.length != n) {
            throw DataFiles.corrupt(yFile, "has " + v.length + " labels but " + xFile + " has " + n + " samples");
        }
        int[] labels = new int[v.length];
        int max = -1;
        for (int i = 0; i < v.length; i++) {
            if (!(v[i] >= 0) || v[i] != Math.rint(v[i]) || v[i] > Integer.MAX_VALUE) {
                throw DataFiles.corrupt(yFile, "label " + i + " is " + v[i] + ", not an integer >= 0");
            }
            labels[i] = (int) v[i];
            max = Math.max(max, labels[i]);
        }
        int classes = numClasses > 0 ? numClasses : max + 1;
        if (max >= classes) {
            throw DataFiles.corrupt(yFile, "label " + max + " is not below numClasses = " + classes);
        }
        if (classes < 1) {
            throw DataFiles.corrupt(yFile, "no labels");
        }
        return new Dataset(features, labels, classes, image);
    }
}
