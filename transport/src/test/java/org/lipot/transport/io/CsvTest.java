package org.lipot.transport.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvTest {

    @TempDir
    Path dir;

    @Test
    void roundTripIsBitForBit() {
        double[] special = NpyTest.SPECIAL;
        double[][] m = {Arrays.copyOfRange(special, 0, 6), Arrays.copyOfRange(special, 6, 12)};
        Path file = dir.resolve("m.csv");
        Csv.write(file, m, "a", "b", "c", "d", "e", "f");
        double[][] back = Csv.readMatrix(file);
        assertEquals(2, back.length);
        for (int i = 0; i < 2; i++) {
            assertArrayEquals(bits(m[i]), bits(back[i]));
        }
        Csv.write(file, special);
        assertArrayEquals(bits(special), bits(Csv.readVector(file)));
    }

    @Test
    void writesCommasAHeaderAndNewlines() throws IOException {
        Path file = dir.resolve("w.csv");
        Csv.write(file, new double[][] {{1, -0.0}, {1e-5, 2.5}}, "x", "y");
        assertEquals("x,y\n1.0,-0.0\n1.0E-5,2.5\n", Files.readString(file));
        Csv.write(file, new double[][] {{1, 2}});
        assertEquals("1.0,2.0\n", Files.readString(file));
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(1, files.count(), "no temporary file is left behind");
        }
    }

    @Test
    void detectsTheSeparator() throws IOException {
        double[][] expected = {{1, 2.5}, {-3, 4}};
        for (String text : new String[] {"1,2.5\n-3,4\n", "1, 2.5\n-3 ,4\n", "1;2.5\n-3;4\n", "1\t2.5\n-3\t4\n",
                "1 2.5\n-3 4\n", "  1   2.5  \n-3 \t 4\n", "1,2.5\r\n-3,4\r\n", "1,2.5\n-3,4"}) {
            assertArrayEquals(expected, Csv.readMatrix(file(text)), text);
        }
    }

    @Test
    void skipsAHeaderCommentsAndBlankLines() throws IOException {
        double[][] expected = {{1, 2}, {3, 4}};
        assertArrayEquals(expected, Csv.readMatrix(file("x,y\n1,2\n3,4\n")));
        assertArrayEquals(expected, Csv.readMatrix(file("# made by hand\n\n  \nx;y\n# a comment\n1;2\n\n3;4\n")));
        assertArrayEquals(expected, Csv.readMatrix(file("x 1\n1 2\n3 4\n")), "one non-number makes a header");
        assertArrayEquals(expected, Csv.readMatrix(file("\"a, b\"\t\"c\"\n1\t2\n3\t4\n")));
    }

    @Test
    void readsNumpySpellingsOfNanAndInfinity() throws IOException {
        double[] v = Csv.readVector(file("nan\n-inf\ninf\nNaN\nInfinity\n-Infinity\n"));
        assertArrayEquals(new double[] {Double.NaN, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY, Double.NaN,
                Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY}, v);
    }

    @Test
    void readVectorTakesAColumnOrARow() throws IOException {
        assertArrayEquals(new double[] {1, 2, 3}, Csv.readVector(file("w\n1\n2\n3\n")));
        assertArrayEquals(new double[] {1, 2, 3}, Csv.readVector(file("1,2,3\n")));
        assertArrayEquals(new double[0], Csv.readVector(file("# nothing\n")));
        Path file = file("1,2\n3,4\n");
        var e = assertThrows(IllegalArgumentException.class, () -> Csv.readVector(file));
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
    }

    @Test
    void anEmptyFileHasNoRows() throws IOException {
        assertEquals(0, Csv.readMatrix(file("")).length);
        assertEquals(0, Csv.readMatrix(file("x,y\n")).length);
    }

    @Test
    void raggedRowsNameTheFileAndTheLines() throws IOException {
        Path file = file("x,y\n1,2\n3,4\n5\n");
        var e = assertThrows(UncheckedIOException.class, () -> Csv.readMatrix(file));
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("line 4 has 1 fields but line 2 has 2"), e.getMessage());
    }

    @Test
    void aNonNumericFieldNamesTheFileLineAndField() throws IOException {
        Path file = file("1,2\n3,4\n5,oops\n");
        var e = assertThrows(UncheckedIOException.class, () -> Csv.readMatrix(file));
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("line 3, field 2: 'oops'"), e.getMessage());
        Path trailing = file("1,2,3\n4,5,\n");
        e = assertThrows(UncheckedIOException.class, () -> Csv.readMatrix(trailing));
        assertTrue(e.getMessage().contains("line 2, field 3: ''"), e.getMessage());
    }

    @Test
    void aMissingFileNamesTheFile() {
        Path file = dir.resolve("missing.csv");
        var e = assertThrows(UncheckedIOException.class, () -> Csv.readMatrix(file));
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
    }

    @Test
    void writeRejectsInputsThatWouldNotReadBack() {
        Path file = dir.resolve("bad.csv");
        double[][] m = {{1, 2}};
        assertThrows(IllegalArgumentException.class, () -> Csv.write(file, new double[][] {{1, 2}, {3}}));
        assertThrows(IllegalArgumentException.class, () -> Csv.write(file, new double[][] {{}}));
        assertThrows(IllegalArgumentException.class, () -> Csv.write(file, m, "x"));
        assertThrows(IllegalArgumentException.class, () -> Csv.write(file, m, "x,1", "y"));
        assertThrows(IllegalArgumentException.class, () -> Csv.write(file, m, "x", "y\n"));
        var e = assertThrows(IllegalArgumentException.class, () -> Csv.write(file, m, "1", "2"));
        assertTrue(e.getMessage().contains("numbers"), e.getMessage());
        assertTrue(Files.notExists(file));
    }

    private Path file(String text) throws IOException {
        return Files.writeString(Files.createTempFile(dir, "in", ".csv"), text);
    }

    private static long[] bits(double[] v) {
        return Arrays.stream(v).mapToLong(Double::doubleToRawLongBits).toArray();
    }
}
