package org.lipot.transport.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URISyntaxException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Files written by numpy itself (see src/test/resources/io/README.md for the commands). */
class NumpyFilesTest {

    /** {@code m} in the README. */
    static final double[][] M = {{1.5, -2.0, 3.25}, {-0.0, 1e308, 5e-324}};

    @Test
    void float64InCOrder() {
        assertBitsEqual(M, Npy.readMatrix(resource("c_f8.npy")));
    }

    @Test
    void float64InFortranOrder() {
        assertBitsEqual(M, Npy.readMatrix(resource("fortran_f8.npy")));
    }

    @Test
    void bigEndianFloat32() {
        assertArrayEquals(new double[][] {{0, 0.25, 0.5}, {0.75, 1, 1.25}}, Npy.readMatrix(resource("be_f4.npy")));
    }

    @Test
    void int64Vector() {
        assertArrayEquals(new double[] {-2, -1, 0, 1, 2}, Npy.readVector(resource("i8.npy")));
    }

    @Test
    void int32Rank3InFortranOrder() {
        double[] expected = new double[24];
        for (int k = 0; k < 24; k++) {
            expected[k] = k;
        }
        assertEquals(new NpyArray(new int[] {2, 3, 4}, expected, "i4"), Npy.read(resource("i4_3d.npy")));
    }

    @Test
    void scalar() {
        assertEquals(new NpyArray(new int[0], new double[] {2.5}), Npy.read(resource("scalar.npy")));
    }

    @Test
    void versions2And3() {
        NpyArray expected = NpyArray.ofVector(new double[] {1, -1, 0.5});
        assertEquals(expected, Npy.read(resource("v2_f8.npy")));
        assertEquals(expected, Npy.read(resource("v3_f8.npy")));
    }

    @Test
    void savetxtWithCommasAndACommentedHeader() {
        assertBitsEqual(M, Csv.readMatrix(resource("savetxt.csv")));
    }

    @Test
    void savetxtWithSpaces() {
        assertBitsEqual(M, Csv.readMatrix(resource("savetxt.txt")));
    }

    static Path resource(String name) {
        try {
            return Path.of(NumpyFilesTest.class.getResource("/io/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void assertBitsEqual(double[][] expected, double[][] actual) {
        assertEquals(expected.length, actual.length);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i].length, actual[i].length);
            for (int j = 0; j < expected[i].length; j++) {
                assertEquals(Double.doubleToRawLongBits(expected[i][j]), Double.doubleToRawLongBits(actual[i][j]),
                        "entry (" + i + ", " + j + ")");
            }
        }
    }
}
