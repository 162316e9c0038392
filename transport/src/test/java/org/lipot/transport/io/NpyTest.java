package org.lipot.transport.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NpyTest {

    /** Values that a sloppy writer or reader would change: signed zero, subnormals, extremes, NaN, infinities. */
    static final double[] SPECIAL = {0.0, -0.0, Double.MIN_VALUE, Double.MIN_NORMAL / 3, 1e308, -Double.MAX_VALUE,
            Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Math.PI, 0.1, -1e-310};

    /** The 2 x 3 matrix the hand-built files hold, in C order; every value is exact in float32 and int32. */
    static final double[] MATRIX = {1, -2, 3, 0, 2_000_000, -7};

    @TempDir
    Path dir;

    // ---- round trips

    @Test
    void roundTripIsBitForBit() {
        Path file = dir.resolve("special.npy");
        double[][] m = {Arrays.copyOfRange(SPECIAL, 0, 6), Arrays.copyOfRange(SPECIAL, 6, 12)};
        Npy.write(file, m);
        double[][] back = Npy.readMatrix(file);
        assertEquals(2, back.length);
        for (int i = 0; i < 2; i++) {
            assertArrayEquals(bits(m[i]), bits(back[i]));
        }
        Npy.write(file, SPECIAL);
        assertArrayEquals(bits(SPECIAL), bits(Npy.readVector(file)));
    }

    @Test
    void roundTripKeepsEveryShape() {
        for (int[] shape : new int[][] {{}, {0}, {4}, {0, 3}, {2, 0}, {3, 1}, {2, 3, 4}, {1, 1, 1, 1, 2}}) {
            int count = Math.toIntExact(NpyArray.elementCount(shape));
            double[] data = new Random(count).doubles(count).toArray();
            NpyArray a = new NpyArray(shape, data);
            Path file = dir.resolve("shape.npy");
            Npy.write(file, a);
            assertEquals(a, Npy.read(file), Arrays.toString(shape));
        }
    }

    @Test
    void roundTripOfALargeArraySpansSeveralBuffers() {
        double[][] m = new double[300_001][2];
        Random random = new Random(1);
        for (double[] row : m) {
            row[0] = random.nextGaussian();
            row[1] = random.nextDouble() * 1e-300;
        }
        Path file = dir.resolve("large.npy");
        Npy.write(file, m);
        assertArrayEquals(m, Npy.readMatrix(file));
    }

    // ---- what the writer produces

    @Test
    void writtenHeaderIsPaddedToAMultipleOf64AndEndsWithANewline() throws IOException {
        for (int[] shape : new int[][] {{}, {7}, {1000, 2}, {2, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 3}}) {
            Path file = dir.resolve("header.npy");
            Npy.write(file, new NpyArray(shape, new double[Math.toIntExact(NpyArray.elementCount(shape))]));
            byte[] bytes = Files.readAllBytes(file);
            ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
            assertEquals((byte) 0x93, b.get(0));
            assertEquals("NUMPY", new String(bytes, 1, 5, StandardCharsets.US_ASCII));
            assertEquals(1, b.get(6));
            assertEquals(0, b.get(7));
            int headerLength = Short.toUnsignedInt(b.getShort(8));
            assertEquals(0, (10 + headerLength) % 64, Arrays.toString(shape));
            assertEquals('\n', bytes[10 + headerLength - 1]);
            String header = new String(bytes, 10, headerLength, StandardCharsets.ISO_8859_1);
            assertTrue(header.startsWith("{'descr': '<f8', 'fortran_order': False, 'shape': "
                    + NpyArray.shapeString(shape) + ", }"), header);
            assertTrue(header.substring(header.indexOf('}') + 1, headerLength - 1).isBlank(), header);
            assertEquals(10 + headerLength + 8L * NpyArray.elementCount(shape), bytes.length);
        }
    }

    @Test
    void writtenDataAreLittleEndianInCOrder() throws IOException {
        Path file = dir.resolve("order.npy");
        Npy.write(file, new double[][] {{1, 2}, {3, 4}});
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        b.position(b.limit() - 32);
        assertArrayEquals(new double[] {1, 2, 3, 4},
                new double[] {b.getDouble(), b.getDouble(), b.getDouble(), b.getDouble()});
    }

    @Test
    void writeReplacesTheFileAndLeavesNoTemporaryFile() throws IOException {
        Path file = dir.resolve("replace.npy");
        Files.writeString(file, "old content");
        Npy.write(file, new double[] {1, 2});
        assertArrayEquals(new double[] {1, 2}, Npy.readVector(file));
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(1, files.count());
        }
    }

    @Test
    void writeToAMissingFolderNamesTheFile() {
        Path file = dir.resolve("no such folder").resolve("x.npy");
        var e = assertThrows(UncheckedIOException.class, () -> Npy.write(file, new double[] {1}));
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
    }

    // ---- hand-built files: every version, dtype, byte order and memory order

    @Test
    void readsVersion1LittleEndianFloat64() {
        NpyArray a = read(npy(1, header("<f8", false, "(2, 3)"), data("<f8", MATRIX)));
        assertEquals(new NpyArray(new int[] {2, 3}, MATRIX), a);
    }

    @Test
    void readsVersion2BigEndianFloat64() {
        NpyArray a = read(npy(2, header(">f8", false, "(2, 3)"), data(">f8", MATRIX)));
        assertEquals(new NpyArray(new int[] {2, 3}, MATRIX), a);
    }

    @Test
    void readsVersion3Float32InBothByteOrders() {
        for (String descr : new String[] {"<f4", ">f4"}) {
            NpyArray a = read(npy(3, header(descr, false, "(2, 3)"), data(descr, MATRIX)));
            assertEquals(new NpyArray(new int[] {2, 3}, MATRIX, "f4"), a, descr);
        }
    }

    @Test
    void widensFloat32Exactly() {
        float f = 0.1f;
        NpyArray a = read(npy(1, header("<f4", false, "(1,)"), data("<f4", new double[] {f})));
        assertEquals((double) f, a.data()[0]);
    }

    @Test
    void readsIntegersInBothSizesAndByteOrders() {
        for (String descr : new String[] {"<i4", ">i4", "<i8", ">i8"}) {
            NpyArray a = read(npy(1, header(descr, false, "(2, 3)"), data(descr, MATRIX)));
            assertEquals(new NpyArray(new int[] {2, 3}, MATRIX, descr.substring(1)), a, descr);
        }
    }

    @Test
    void readsSmallIntegersUnsignedAndBooleans() {
        // numpy writes single-byte types with '|'
        byte[] u1 = {0, 7, (byte) 200, (byte) 255};
        assertEquals(new NpyArray(new int[] {4}, new double[] {0, 7, 200, 255}, "u1"), read(npy(1, header("|u1", false,
                "(4,)"), u1)));
        assertEquals(new NpyArray(new int[] {4}, new double[] {0, 7, -56, -1}, "i1"), read(npy(1, header("|i1", false,
                "(4,)"), u1)));
        assertEquals(new NpyArray(new int[] {4}, new double[] {0, 1, 1, 1}, "b1"), read(npy(1, header("|b1", false,
                "(4,)"), u1)));
        byte[] u2 = {(byte) 0xff, (byte) 0xff, 1, 0};
        assertEquals(new NpyArray(new int[] {2}, new double[] {65535, 1}, "u2"), read(npy(1, header("<u2", false,
                "(2,)"), u2)));
        assertEquals(new NpyArray(new int[] {2}, new double[] {-1, 1}, "i2"), read(npy(1, header("<i2", false,
                "(2,)"), u2)));
        byte[] u8 = new byte[8];
        Arrays.fill(u8, (byte) 0xff);
        assertEquals(0x1p64, read(npy(1, header("<u8", false, "(1,)"), u8)).data()[0]);
        byte[] u4 = {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff};
        assertEquals(4294967295.0, read(npy(1, header("<u4", false, "(1,)"), u4)).data()[0]);
    }

    @Test
    void streamsAndBytesReadLikeFilesAndFloat32WritesBitForBit() {
        double[] values = {0.1f, -3.5f, Float.MIN_VALUE, Float.MAX_VALUE, Float.NaN, 1e-3f};
        NpyArray f4 = new NpyArray(new int[] {2, 3}, values, "f4");
        byte[] bytes = Npy.encode(f4);
        assertEquals(0, (bytes.length - 6 * 4) % 64, "the data start at a multiple of 64");
        NpyArray back = Npy.read(new java.io.ByteArrayInputStream(bytes), bytes.length, "entry x.npy");
        assertEquals(f4, back);
        Path file = dir.resolve("f4.npy");
        Npy.write(file, f4);
        assertEquals(f4, Npy.read(file));
        UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> Npy.read(
                new java.io.ByteArrayInputStream(bytes), bytes.length - 1, "entry x.npy"));
        assertTrue(e.getMessage().startsWith("entry x.npy: "), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new NpyArray(new int[] {1}, new double[] {0.1}, "f4"));
    }

    @Test
    void transposesFortranOrderIntoCOrder() {
        // the 2 x 3 matrix stored column by column
        double[] columns = {MATRIX[0], MATRIX[3], MATRIX[1], MATRIX[4], MATRIX[2], MATRIX[5]};
        NpyArray a = read(npy(1, header("<f8", true, "(2, 3)"), data("<f8", columns)));
        assertEquals(new NpyArray(new int[] {2, 3}, MATRIX), a);
    }

    @Test
    void transposesFortranOrderOfRank3() {
        // element (i, j, k) = 100 i + 10 j + k; Fortran order puts it at i + 2 j + 6 k
        double[] fortran = new double[24];
        double[] c = new double[24];
        for (int i = 0; i < 2; i++) {
            for (int j = 0; j < 3; j++) {
                for (int k = 0; k < 4; k++) {
                    fortran[i + 2 * j + 6 * k] = 100 * i + 10 * j + k;
                    c[(i * 3 + j) * 4 + k] = 100 * i + 10 * j + k;
                }
            }
        }
        NpyArray a = read(npy(1, header(">i8", true, "(2, 3, 4)"), data(">i8", fortran)));
        assertEquals(new NpyArray(new int[] {2, 3, 4}, c, "i8"), a);
    }

    @Test
    void readsScalarsAndEmptyArrays() {
        for (boolean fortran : new boolean[] {false, true}) {
            NpyArray s = read(npy(1, header("<f8", fortran, "()"), data("<f8", new double[] {2.5})));
            assertEquals(new NpyArray(new int[0], new double[] {2.5}), s);
            NpyArray e = read(npy(1, header("<f8", fortran, "(0, 3)"), new byte[0]));
            assertEquals(new NpyArray(new int[] {0, 3}, new double[0]), e);
        }
    }

    @Test
    void readsKeysInAnyOrderAndAnyPythonSpelling() {
        String dict = "{ \"shape\" : ( 3 , ) ,'fortran_order':False,\n 'descr':'<f8'}";
        NpyArray a = read(npy(1, dict, data("<f8", new double[] {1, 2, 3})));
        assertEquals(NpyArray.ofVector(new double[] {1, 2, 3}), a);
    }

    @Test
    void readsAFloat32FileLargerThanOneBuffer() {
        double[] values = new double[700_003];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) Math.sin(i);
        }
        NpyArray a = read(npy(1, header(">f4", false, "(700003,)"), data(">f4", values)));
        assertArrayEquals(values, a.data());
    }

    // ---- corrupt files: each names the file and the problem

    @Test
    void badMagic() {
        byte[] bytes = npy(1, header("<f8", false, "(1,)"), data("<f8", new double[] {1}));
        bytes[3] = 'X';
        assertCorrupt(bytes, "magic");
        assertCorrupt("a,b\n1,2\n".getBytes(StandardCharsets.US_ASCII), "magic");
        assertCorrupt(new byte[] {(byte) 0x93, 'N', 'U'}, "only 3 bytes");
    }

    @Test
    void unsupportedVersion() {
        byte[] bytes = npy(1, header("<f8", false, "(1,)"), data("<f8", new double[] {1}));
        bytes[6] = 4;
        assertCorrupt(bytes, "version 4.0");
    }

    @Test
    void truncatedHeader() {
        byte[] bytes = npy(1, header("<f8", false, "(2, 3)"), new byte[0]);
        assertCorrupt(Arrays.copyOf(bytes, 40), "truncated header");
        assertCorrupt(Arrays.copyOf(bytes, 9), "truncated header");
    }

    @Test
    void truncatedData() {
        byte[] bytes = npy(1, header("<f8", false, "(2, 3)"), data("<f8", MATRIX));
        assertCorrupt(Arrays.copyOf(bytes, bytes.length - 1), "truncated data");
    }

    @Test
    void trailingBytes() {
        byte[] bytes = npy(1, header("<f8", false, "(2, 3)"), data("<f8", MATRIX));
        assertCorrupt(Arrays.copyOf(bytes, bytes.length + 8), "trailing bytes");
    }

    @Test
    void unsupportedDtypes() {
        assertCorrupt(npy(1, header("<c16", false, "(1,)"), new byte[16]), "unsupported dtype '<c16'");
        assertCorrupt(npy(1, header("|f8", false, "(1,)"), new byte[8]), "unsupported dtype '|f8'");
        assertCorrupt(npy(1, header("<U3", false, "(1,)"), new byte[12]), "unsupported dtype '<U3'");
        assertCorrupt(npy(1, "{'descr': [('x', '<f8')], 'fortran_order': False, 'shape': (1,), }", new byte[8]), "structured");
    }

    @Test
    void malformedHeaders() {
        assertCorrupt(npy(1, "{'descr' '<f8', 'fortran_order': False, 'shape': (1,), }", new byte[8]), "expected ':'");
        assertCorrupt(npy(1, "{'descr': '<f8', 'fortran_order': False, 'shape': (1,), ", new byte[8]), "bad NPY header");
        assertCorrupt(npy(1, "{'descr': '<f8', 'fortran_order': False}", new byte[8]), "keys");
        assertCorrupt(npy(1, "{'descr': '<f8', 'fortran_order': False, 'shape': (1,), 'x': 1}", new byte[8]), "keys");
        assertCorrupt(npy(1, header("<f8", false, "(1,)").replace("False", "0"), new byte[8]), "fortran_order");
        assertCorrupt(npy(1, header("<f8", false, "(-1,)"), new byte[8]), "shape");
        assertCorrupt(npy(1, header("<f8", false, "('a',)"), new byte[8]), "shape");
        assertCorrupt(npy(1, header("<f8", false, "(1,)") + " x", new byte[8]), "after the dict");
        assertCorrupt(npy(1, header("<f8", false, "(1,)").replace("False", "Maybe"), new byte[8]), "Maybe");
        assertCorrupt(npy(1, "", new byte[8]), "expected '{'");
    }

    @Test
    void aHugeShapeIsReportedNotAllocated() {
        assertCorrupt(npy(1, header("<f8", false, "(100000, 100000)"), new byte[8]), "more elements");
    }

    @Test
    void missingFileNamesTheFile() {
        Path file = dir.resolve("missing.npy");
        var e = assertThrows(UncheckedIOException.class, () -> Npy.read(file));
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
    }

    @Test
    void readMatrixAndReadVectorNameTheFileOnAWrongShape() {
        Path file = write(npy(1, header("<f8", false, "(2, 2, 2)"), new byte[64]));
        var e = assertThrows(IllegalArgumentException.class, () -> Npy.readMatrix(file));
        assertTrue(e.getMessage().contains(file.toString()) && e.getMessage().contains("(2, 2, 2)"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Npy.readVector(file));
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
    }

    // ---- helpers that build NPY bytes by hand, independently of the writer

    static String header(String descr, boolean fortran, String shape) {
        return "{'descr': '" + descr + "', 'fortran_order': " + (fortran ? "True" : "False") + ", 'shape': " + shape
                + ", }\n";
    }

    /** Magic, version {@code major}.0, the header length (2 bytes for 1.0, else 4) and the header as given. */
    static byte[] npy(int major, String header, byte[] data) {
        byte[] text = header.getBytes(major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        int lengthBytes = major == 1 ? 2 : 4;
        ByteBuffer b = ByteBuffer.allocate(8 + lengthBytes + text.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.US_ASCII)).put((byte) major).put((byte) 0);
        if (major == 1) {
            b.putShort((short) text.length);
        } else {
            b.putInt(text.length);
        }
        return b.put(text).put(data).array();
    }

    /** Values encoded as {@code descr} ('<f8', '>i4', ...) says, written with ByteBuffer's own put methods. */
    static byte[] data(String descr, double... values) {
        ByteOrder order = descr.charAt(0) == '<' ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN;
        String type = descr.substring(1);
        ByteBuffer b = ByteBuffer.allocate((type.charAt(1) - '0') * values.length).order(order);
        for (double v : values) {
            switch (type) {
                case "f8" -> b.putDouble(v);
                case "f4" -> b.putFloat((float) v);
                case "i8" -> b.putLong((long) v);
                case "i4" -> b.putInt((int) v);
                default -> throw new IllegalArgumentException(descr);
            }
        }
        return b.array();
    }

    private NpyArray read(byte[] bytes) {
        return Npy.read(write(bytes));
    }

    private Path write(byte[] bytes) {
        try {
            return Files.write(Files.createTempFile(dir, "hand", ".npy"), bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void assertCorrupt(byte[] bytes, String what) {
        Path file = write(bytes);
        var e = assertThrows(UncheckedIOException.class, () -> Npy.read(file));
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
        assertTrue(e.getMessage().contains(what), e.getMessage());
    }

    private static long[] bits(double[] v) {
        return Arrays.stream(v).mapToLong(Double::doubleToRawLongBits).toArray();
    }
}
