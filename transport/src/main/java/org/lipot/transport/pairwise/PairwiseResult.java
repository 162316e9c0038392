package org.lipot.transport.pairwise;

import java.nio.file.Path;
import java.util.List;

import org.lipot.transport.Status;
import org.lipot.transport.io.ArrayFiles;

/**
 * A matrix of pairwise values with how it was computed. Entries are {@code NaN} exactly where a pair did not
 * succeed, and those pairs are listed with their status. For a symmetric result both triangles are filled and the
 * diagonal is 0 when the method says so ({@link PairwiseMethod#zeroOnDiagonal}).
 *
 * @param rows          the number of row clouds
 * @param columns       the number of column clouds
 * @param values        row-major {@code rows x columns}
 * @param failures      the pairs that did not succeed ({@code i <= j} for a symmetric result), by row then column
 * @param pairs         pairs computed
 * @param iterations    the solver iterations of all pairs
 * @param tiles         tiles run
 * @param taskSeconds   the sum of all tiles' times (preparation not included)
 * @param longestTile   the longest tile's time, in seconds
 * @param prepareSeconds the time spent preparing the clouds
 * @param wallSeconds   from start to end, preparation included
 */
public record PairwiseResult(int rows, int columns, double[] values, List<Failure> failures, long pairs,
                             long iterations, int tiles, double taskSeconds, double longestTile,
                             double prepareSeconds, double wallSeconds) {

    /** A pair that did not succeed. */
    public record Failure(int row, int column, Status status) {
    }

    /** Copies the arrays; the failures are sorted by row, then column, whatever order the engine found them in. */
    public PairwiseResult {
        values = values.clone();
        failures = failures.stream().sorted(java.util.Comparator.comparingInt(Failure::row)
                .thenComparingInt(Failure::column)).toList();
    }

    /** The value of pair {@code (i, j)}. */
    public double get(int i, int j) {
        return values[i * columns + j];
    }

    /** A copy of the values, row-major. */
    @Override
    public double[] values() {
        return values.clone();
    }

    /** The values as {@code rows x columns} arrays. */
    public double[][] toMatrix() {
        double[][] m = new double[rows][];
        for (int i = 0; i < rows; i++) {
            m[i] = java.util.Arrays.copyOfRange(values, i * columns, (i + 1) * columns);
        }
        return m;
    }

    /** Pairs per second of wall time. */
    public double pairsPerSecond() {
        return wallSeconds > 0 ? pairs / wallSeconds : Double.POSITIVE_INFINITY;
    }

    /** Writes the matrix as {@code .npy} or {@code .csv} (by the extension), atomically. */
    public void write(Path file) {
        ArrayFiles.write(file, toMatrix());
    }
}
