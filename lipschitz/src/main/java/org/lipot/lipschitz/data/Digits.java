package org.lipot.lipschitz.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPInputStream;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The UCI optical-recognition handwritten digits, 8 x 8 (Alpaydin and Kaynak, 1998; CC BY 4.0), embedded
 * in this library: 1797 images, 64 pixels each with integer values 0..16, 10 classes (178 to 183 images
 * each). A small data set for examples, tests and quick experiments, always available. Pixels are scaled
 * to [0, 1] float32 ({@code value / 16}), image shape {@code {1, 8, 8}}. Provenance and licence: the
 * README next to the resource {@code org/lipot/lipschitz/data/digits.csv.gz}.
 */
public final class Digits {

    /** Number of images. */
    public static final int SIZE = 1797;
    /** Features per image (8 x 8). */
    public static final int FEATURES = 64;
    /** Number of classes (the digits 0 to 9). */
    public static final int CLASSES = 10;
    private static final String RESOURCE = "digits.csv.gz";

    private Digits() {
    }

    /** All 1797 images, in the order of the source file. */
    public static Dataset load() {
        float[] features = new float[SIZE * FEATURES];
        int[] labels = new int[SIZE];
        try (InputStream raw = Digits.class.getResourceAsStream(RESOURCE)) {
            if (raw == null) {
                throw new UncheckedIOException(new IOException("resource " + RESOURCE + " is missing from the"
                        + " classpath (org/lipot/lipschitz/data/)"));
            }
            BufferedReader in = new BufferedReader(new InputStreamReader(new GZIPInputStream(raw),
                    StandardCharsets.US_ASCII));
            int row = 0;
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                if (line.isBlank()) {
                    continue;
                }
                String[] cells = line.split(",");
                if (row >= SIZE || cells.length != FEATURES + 1) {
                    throw new UncheckedIOException(new IOException("resource " + RESOURCE + ": line " + (row + 1)
                            + " is not 65 values, or more than " + SIZE + " lines"));
                }
                for (int j = 0; j < FEATURES; j++) {
                    features[row * FEATURES + j] = Integer.parseInt(cells[j].trim()) / 16f;
                }
                labels[row] = Integer.parseInt(cells[FEATURES].trim());
                row++;
            }
            if (row != SIZE) {
                throw new UncheckedIOException(new IOException("resource " + RESOURCE + " has " + row + " rows, not "
                        + SIZE));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read resource " + RESOURCE + ": " + e, e);
        }
        return new Dataset(Nd4j.create(features, new long[] {SIZE, FEATURES}, DataType.FLOAT), labels, CLASSES,
                new int[] {1, 8, 8});
    }

    /**
     * A deterministic stratified split of {@link #load()} (see {@link Dataset#split}).
     *
     * @param testFraction share of each class held out, in {@code (0, 1)}
     * @param seed         shuffle seed
     */
    public static TrainTest trainTest(double testFraction, long seed) {
        return load().split(testFraction, seed);
    }
}
