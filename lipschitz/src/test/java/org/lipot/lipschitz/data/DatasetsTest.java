package org.lipot.lipschitz.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/** The embedded digits, Fashion-MNIST (when installed), NPY / NPZ / CSV files, splits. */
class DatasetsTest {

    @TempDir
    Path dir;

    static Path resource(String name) {
        try {
            return Path.of(DatasetsTest.class.getResource("/data/" + name).toURI());
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void digitsAreEmbedded() {
        Dataset d = Digits.load();
        assertEquals(1797, d.size());
        assertEquals(64, d.numFeatures());
        assertEquals(10, d.numClasses());
        assertArrayEquals(new int[] {1, 8, 8}, d.imageShape());
        assertArrayEquals(new int[] {178, 182, 177, 183, 181, 182, 181, 179, 174, 180}, d.classCounts());
        assertEquals(0, d.label(0));
        assertEquals(1, d.label(1));
        // first row of the source: 0,0,5,13,9,1,0,0,... -> /16
        assertEquals(5f / 16, d.features().getFloat(0, 2), 0f);
        assertEquals(13f / 16, d.features().getFloat(0, 3), 0f);
        assertEquals(0f, d.features().minNumber().floatValue(), 0f);
        assertEquals(1f, d.features().maxNumber().floatValue(), 0f);
        assertEquals(DataType.FLOAT, d.features().dataType());
    }

    @Test
    void digitsSplitIsDeterministicAndStratified() {
        TrainTest a = Digits.trainTest(0.2, 42);
        TrainTest b = Digits.trainTest(0.2, 42);
        TrainTest c = Digits.trainTest(0.2, 43);
        assertArrayEquals(a.test().labels(), b.test().labels());
        assertEquals(a.test().features(), b.test().features());
        assertNotEquals(a.test().features(), c.test().features());
        assertEquals(1797, a.train().size() + a.test().size());
        int[] counts = Digits.load().classCounts();
        int[] testCounts = a.test().classCounts();
        for (int k = 0; k < 10; k++) {
            assertEquals(Math.round(0.2 * counts[k]), testCounts[k], "class " + k);
        }
        assertEquals(359, a.test().size());
    }

    @Test
    void fashionMnistWhenInstalled() {
        assumeTrue(MnistLayout.isPresent(FashionMnist.DEFAULT_DIRECTORY), "Fashion-MNIST is not installed");
        TrainTest t = FashionMnist.load();
        assertEquals(60000, t.train().size());
        assertEquals(10000, t.test().size());
        assertEquals(784, t.train().numFeatures());
        assertArrayEquals(new int[] {1, 28, 28}, t.train().imageShape());
        assertEquals(9, t.train().label(0), "first training label: ankle boot");
        assertEquals(9, t.test().label(0), "first test label: ankle boot");
        assertEquals("Ankle boot", FashionMnist.CLASS_NAMES.get(9));
        assertArrayEquals(new int[] {6000, 6000, 6000, 6000, 6000, 6000, 6000, 6000, 6000, 6000},
                t.train().classCounts());
        // sum of the first image's bytes is 76247 (computed with Python's gzip module)
        float[] first = t.train().features().getRow(0).toFloatVector();
        long sum = 0;
        for (float v : first) {
            assertEquals(v * 255, Math.round(v * 255), 1e-4, "value / 255");
            sum += Math.round(v * 255);
        }
        assertEquals(76247, sum);
        TrainTest small = t.limit(512, 100);
        assertEquals(512, small.train().size());
        assertEquals(100, small.test().size());
    }

    @Test
    void npyFeaturesAndLabels() {
        Dataset d = ArrayDataFiles.load(resource("x_f8.npy"), resource("y_i8.npy"), 0);
        assertEquals(5, d.size());
        assertEquals(3, d.numFeatures());
        assertEquals(3, d.numClasses(), "largest label + 1");
        assertArrayEquals(new int[] {0, 2, 1, 2, 0}, d.labels());
        assertEquals(DataType.FLOAT, d.features().dataType());
        assertEquals(5 / 4.0 - 1, d.features().getFloat(1, 2), 1e-7, "x[1][2] = 5/4 - 1");
        assertNull(d.imageShape());

        Dataset img = ArrayDataFiles.load(resource("x_f4_images.npy"), resource("y_u1_column.npy"), 4);
        assertArrayEquals(new int[] {1, 2, 2}, img.imageShape());
        assertEquals(4, img.numClasses());
        assertEquals(7f / 19, img.features().getFloat(1, 3), 1e-7f);
    }

    @Test
    void npzArchive() {
        Dataset d = ArrayDataFiles.loadNpz(resource("xy.npz"), "x", "y", 3);
        assertArrayEquals(new int[] {0, 2, 1, 2, 0}, d.labels());
        assertEquals(ArrayDataFiles.load(resource("x_f8.npy"), resource("y_i8.npy"), 3), d);
        UncheckedIOException e = assertThrows(UncheckedIOException.class,
                () -> ArrayDataFiles.loadNpz(resource("xy.npz"), "features", "y", 3));
        assertTrue(e.getMessage().contains("no array 'features'") && e.getMessage().contains("xy.npz"),
                e.getMessage());
        // numpy.savez_compressed: deflated entries read like stored ones
        assertEquals(d, ArrayDataFiles.loadNpz(resource("xy_compressed.npz"), "x", "y", 3));
    }

    @Test
    void csvFeaturesAndLabels() throws IOException {
        Path x = Files.writeString(dir.resolve("x.csv"), "# features\n1.5, 2, 3\n\n4;5;6e-1\n7\t8 9\n");
        Path y = Files.writeString(dir.resolve("y.txt"), "1\n0\n1\n");
        Dataset d = ArrayDataFiles.load(x, y, 2);
        assertEquals(3, d.size());
        assertEquals(0.6f, d.features().getFloat(1, 2), 0f);
        assertArrayEquals(new int[] {1, 0, 1}, d.labels());

        Path bad = Files.writeString(dir.resolve("bad.csv"), "1,2\n3,x\n");
        UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> ArrayDataFiles.load(bad, y, 2));
        assertTrue(e.getMessage().startsWith(bad.toString()) && e.getMessage().contains("line 2, column 2: 'x'"),
                e.getMessage());
        Path ragged = Files.writeString(dir.resolve("ragged.csv"), "1,2\n3\n");
        e = assertThrows(UncheckedIOException.class, () -> ArrayDataFiles.load(ragged, y, 2));
        assertTrue(e.getMessage().contains("line 2 has 1 values"), e.getMessage());
        Path frac = Files.writeString(dir.resolve("frac.csv"), "1\n0.5\n1\n");
        e = assertThrows(UncheckedIOException.class, () -> ArrayDataFiles.load(x, frac, 2));
        assertTrue(e.getMessage().contains("label 1 is 0.5"), e.getMessage());
        Path four = Files.writeString(dir.resolve("four.csv"), "1\n0\n1\n0\n");
        e = assertThrows(UncheckedIOException.class, () -> ArrayDataFiles.load(x, four, 2));
        assertTrue(e.getMessage().contains("has 4 labels but"), e.getMessage());
    }

    @Test
    void corruptAndTruncatedNpyFiles() throws IOException {
        byte[] good = Files.readAllBytes(resource("x_f8.npy"));
        Path cut = Files.write(dir.resolve("cut.npy"), Arrays.copyOf(good, good.length - 8));
        UncheckedIOException e = assertThrows(UncheckedIOException.class,
                () -> ArrayDataFiles.load(cut, resource("y_i8.npy"), 3));
        assertTrue(e.getMessage().startsWith(cut.toString()) && e.getMessage().contains("truncated data"),
                e.getMessage());
        Path junk = Files.writeString(dir.resolve("junk.npy"), "not numpy at all");
        e = assertThrows(UncheckedIOException.class, () -> ArrayDataFiles.load(junk, resource("y_i8.npy"), 3));
        assertTrue(e.getMessage().contains("not an NPY file"), e.getMessage());
        Path header = Files.write(dir.resolve("header.npy"), Arrays.copyOf(good, 40));
        e = assertThrows(UncheckedIOException.class, () -> ArrayDataFiles.load(header, resource("y_i8.npy"), 3));
        assertTrue(e.getMessage().contains("truncated header"), e.getMessage());
        // Fortran order is read, transposed into C order
        assertEquals(ArrayDataFiles.load(resource("x_f8.npy"), resource("y_i8.npy"), 3),
                ArrayDataFiles.load(resource("x_fortran.npy"), resource("y_i8.npy"), 3));
        Path npz = Files.write(dir.resolve("broken.npz"), Arrays.copyOf(Files.readAllBytes(resource("xy.npz")), 100));
        e = assertThrows(UncheckedIOException.class, () -> ArrayDataFiles.loadNpz(npz, "x", "y", 3));
        assertTrue(e.getMessage().contains("broken.npz"), e.getMessage());
        e = assertThrows(UncheckedIOException.class,
                () -> ArrayDataFiles.load(dir.resolve("x.parquet"), resource("y_i8.npy"), 3));
        assertTrue(e.getMessage().contains("unknown array file type"), e.getMessage());
    }

    @Test
    void datasetValidatesAndSubsets() {
        Dataset d = Digits.load();
        Dataset s = d.subset(5, 0, 5);
        assertArrayEquals(new int[] {d.label(5), d.label(0), d.label(5)}, s.labels());
        assertEquals(d.features().getRow(5), s.features().getRow(0));
        assertEquals(1.0, d.oneHot(new int[] {3}, DataType.DOUBLE).getDouble(0, d.label(3)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Dataset(Nd4j.zeros(DataType.FLOAT, 3, 4), new int[] {0, 1}, 2, null));
        assertTrue(e.getMessage().contains("features has 3 rows but labels has length 2"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> new Dataset(Nd4j.zeros(DataType.FLOAT, 2, 4), new int[] {0, 5}, 2, null));
        assertTrue(e.getMessage().contains("labels: entry 1 is 5"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> new Dataset(Nd4j.zeros(DataType.FLOAT, 2, 4), new int[] {0, 1}, 2, new int[] {1, 3, 3}));
        assertTrue(e.getMessage().contains("imageShape"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> d.split(1.0, 1));
        assertTrue(e.getMessage().contains("testFraction"), e.getMessage());
    }
}
