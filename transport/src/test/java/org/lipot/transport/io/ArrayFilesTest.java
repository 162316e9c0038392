package org.lipot.transport.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ArrayFilesTest {

    static final double[][] M = {{1, 2}, {3, -0.5}};

    @TempDir
    Path dir;

    @Test
    void dispatchesOnTheExtension() throws IOException {
        for (String name : new String[] {"m.npy", "m.csv", "m.txt", "m.tsv", "M.NPY", "m.Csv"}) {
            Path file = dir.resolve(name);
            ArrayFiles.write(file, M);
            assertEquals(NpyArray.ofMatrix(M), ArrayFiles.readAny(file), name);
        }
        assertEquals((byte) 0x93, Files.readAllBytes(dir.resolve("m.npy"))[0]);
        assertEquals("1.0,2.0\n3.0,-0.5\n", Files.readString(dir.resolve("m.csv")));
        assertEquals("1.0\t2.0\n3.0\t-0.5\n", Files.readString(dir.resolve("m.tsv")));
    }

    @Test
    void anNpyFileKeepsItsShapeAndATextFileIsAMatrix() throws IOException {
        Npy.write(dir.resolve("v.npy"), new double[] {1, 2, 3});
        assertArrayEquals(new int[] {3}, ArrayFiles.readAny(dir.resolve("v.npy")).shape());
        Files.writeString(dir.resolve("v.csv"), "1\n2\n3\n");
        assertArrayEquals(new int[] {3, 1}, ArrayFiles.readAny(dir.resolve("v.csv")).shape());
    }

    @Test
    void anUnknownExtensionNamesThePath() {
        for (String name : new String[] {"m.dat", "m", "m.npz"}) {
            Path file = dir.resolve(name);
            var e = assertThrows(IllegalArgumentException.class, () -> ArrayFiles.readAny(file));
            assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> ArrayFiles.write(file, M));
            assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
        }
    }
}
