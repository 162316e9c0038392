package org.lipot.lipschitz.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** IDX files written here byte by byte, plain and gzipped; truncated and corrupt files. */
class IdxTest {

    @TempDir
    Path dir;

    /** An IDX file of unsigned bytes. */
    static byte[] idx(int[] dims, byte[] values) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeInt(0x0800 | dims.length);
        for (int d : dims) {
            out.writeInt(d);
        }
        out.write(values);
        out.flush();
        return bytes.toByteArray();
    }

    static byte[] gzip(byte[] plain) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream out = new GZIPOutputStream(bytes)) {
            out.write(plain);
        }
        return bytes.toByteArray();
    }

    /** 3 images of 2 x 4 pixels with values 0, 17, 34, ... (mod 256), and labels 2, 0, 1. */
    static byte[] images() throws IOException {
        byte[] v = new byte[3 * 2 * 4];
        for (int i = 0; i < v.length; i++) {
            v[i] = (byte) (i * 17 % 256);
        }
        return idx(new int[] {3, 2, 4}, v);
    }

    static byte[] labels() throws IOException {
        return idx(new int[] {3}, new byte[] {2, 0, 1});
    }

    @Test
    void roundTripPlainAndGzipped() throws IOException {
        byte[] v = {0, 1, (byte) 200, (byte) 255, 7, 9};
        Path plain = Files.write(dir.resolve("a-idx2-ubyte"), idx(new int[] {2, 3}, v));
        Path gz = Files.write(dir.resolve("a-idx2-ubyte.gz"), gzip(idx(new int[] {2, 3}, v)));
        for (Path p : new Path[] {plain, gz}) {
            IdxData d = Idx.read(p);
            assertArrayEquals(new int[] {2, 3}, d.dims());
            assertEquals(2, d.count());
            assertEquals(3, d.itemSize());
            assertArrayEquals(v, d.values());
            assertEquals(200, d.get(2), "unsigned");
            assertEquals(255, d.get(3));
        }
        assertEquals(Idx.read(plain), Idx.read(gz));
    }

    @Test
    void imagesAndLabelsBecomeAScaledDataset() throws IOException {
        Path img = Files.write(dir.resolve("img.gz"), gzip(images()));
        Path lab = Files.write(dir.resolve("lab"), labels());
        Dataset d = Idx.readImagesAndLabels(img, lab, 3);
        assertEquals(3, d.size());
        assertEquals(8, d.numFeatures());
        assertArrayEquals(new int[] {1, 2, 4}, d.imageShape());
        assertArrayEquals(new int[] {2, 0, 1}, d.labels());
        assertEquals(org.nd4j.linalg.api.buffer.DataType.FLOAT, d.features().dataType());
        assertEquals(17 * 9 % 256 / 255f, d.features().getFloat(1, 1), 0f, "image 1, pixel 1 = byte 9");
        assertEquals(0f, d.features().getFloat(0, 0), 0f);
    }

    @Test
    void mnistLayoutDirectory() throws IOException {
        Files.write(dir.resolve("train-images-idx3-ubyte.gz"), gzip(images()));
        Files.write(dir.resolve("train-labels-idx1-ubyte.gz"), gzip(labels()));
        Files.write(dir.resolve("t10k-images-idx3-ubyte"), images());
        Files.write(dir.resolve("t10k-labels-idx1-ubyte"), labels());
        assertTrue(MnistLayout.isPresent(dir));
        TrainTest tt = MnistLayout.load(dir, 3);
        assertEquals(3, tt.train().size());
        assertEquals(tt.train().features(), tt.test().features());
        Files.delete(dir.resolve("t10k-labels-idx1-ubyte"));
        UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> MnistLayout.load(dir, 3));
        assertTrue(e.getMessage().contains("t10k-labels-idx1-ubyte") && e.getMessage().startsWith(dir.toString()),
                e.getMessage());
    }

    @Test
    void truncatedFilesAreReportedWithThePath() throws IOException {
        byte[] full = images();
        Path cut = Files.write(dir.resolve("cut"), Arrays.copyOf(full, full.length - 5));
        UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> Idx.read(cut));
        assertTrue(e.getMessage().startsWith(cut.toString()) && e.getMessage().contains("truncated IDX file: expected"
                + " 24 bytes of values, found 19"), e.getMessage());

        Path cutGz = Files.write(dir.resolve("cut.gz"), Arrays.copyOf(gzip(full), 20));
        e = assertThrows(UncheckedIOException.class, () -> Idx.read(cutGz));
        assertTrue(e.getMessage().contains(cutGz.toString()), e.getMessage());

        Path header = Files.write(dir.resolve("header"), Arrays.copyOf(full, 9));
        e = assertThrows(UncheckedIOException.class, () -> Idx.read(header));
        assertTrue(e.getMessage().contains("truncated IDX header"), e.getMessage());
    }

    @Test
    void corruptFilesAreReportedWithThePath() throws IOException {
        Path text = Files.writeString(dir.resolve("text"), "hello, world");
        UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> Idx.read(text));
        assertTrue(e.getMessage().startsWith(text.toString()) && e.getMessage().contains("not an IDX file"),
                e.getMessage());

        byte[] floats = images();
        floats[2] = 0x0d;
        Path f = Files.write(dir.resolve("floats"), floats);
        e = assertThrows(UncheckedIOException.class, () -> Idx.read(f));
        assertTrue(e.getMessage().contains("type code 0x0d is not supported"), e.getMessage());

        byte[] longer = Arrays.copyOf(images(), images().length + 1);
        Path extra = Files.write(dir.resolve("extra"), longer);
        e = assertThrows(UncheckedIOException.class, () -> Idx.read(extra));
        assertTrue(e.getMessage().contains("bytes after"), e.getMessage());

        e = assertThrows(UncheckedIOException.class, () -> Idx.read(dir.resolve("missing")));
        assertTrue(e.getMessage().contains("missing"), e.getMessage());

        Path img = Files.write(dir.resolve("img"), images());
        Path twoLabels = Files.write(dir.resolve("lab2"), idx(new int[] {2}, new byte[] {0, 1}));
        e = assertThrows(UncheckedIOException.class, () -> Idx.readImagesAndLabels(img, twoLabels, 3));
        assertTrue(e.getMessage().contains("has 2 labels but") && e.getMessage().contains("3 images"),
                e.getMessage());
        Path lab = Files.write(dir.resolve("lab"), labels());
        e = assertThrows(UncheckedIOException.class, () -> Idx.readImagesAndLabels(img, lab, 2));
        assertTrue(e.getMessage().contains("label 0 is 2, not below 2"), e.getMessage());
    }
}
