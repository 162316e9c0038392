package org.lipot.transport.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NpzTest {

    @TempDir
    Path dir;

    private Path zip(String name, boolean compressed, Map<String, byte[]> entries) throws IOException {
        Path file = dir.resolve(name);
        try (OutputStream out = Files.newOutputStream(file); ZipOutputStream zip = new ZipOutputStream(out)) {
            zip.setLevel(compressed ? 9 : 0);
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                zip.putNextEntry(new ZipEntry(e.getKey()));
                zip.write(e.getValue());
                zip.closeEntry();
            }
        }
        return file;
    }

    @Test
    void readsEveryArrayInOrderStoredOrCompressed() throws IOException {
        NpyArray x = NpyArray.ofMatrix(new double[][] {{1, 2}, {3, 4}, {5, 6}});
        NpyArray y = new NpyArray(new int[] {3}, new double[] {0.5, 0.25, 1}, "f4");
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("x.npy", Npy.encode(x));
        entries.put("y.npy", Npy.encode(y));
        for (boolean compressed : new boolean[] {false, true}) {
            Path file = zip("a" + compressed + ".npz", compressed, entries);
            Map<String, NpyArray> arrays = Npz.read(file);
            assertEquals(List.of("x", "y"), List.copyOf(arrays.keySet()));
            assertEquals(x, arrays.get("x"));
            assertEquals(y, arrays.get("y"));
        }
    }

    @Test
    void corruptArchivesNameTheFileAndTheEntry() throws IOException {
        byte[] good = Npy.encode(NpyArray.ofVector(new double[] {1, 2, 3}));
        Path cut = zip("cut.npz", true, Map.of("w.npy", Arrays.copyOf(good, good.length - 8)));
        UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> Npz.read(cut));
        assertTrue(e.getMessage().startsWith(cut + ", array 'w': truncated data"), e.getMessage());
        Path other = zip("other.npz", false, Map.of("notes.txt", new byte[] {1}));
        e = assertThrows(UncheckedIOException.class, () -> Npz.read(other));
        assertTrue(e.getMessage().contains("'notes.txt' is not an NPY array"), e.getMessage());
        Path empty = zip("empty.npz", false, Map.of());
        e = assertThrows(UncheckedIOException.class, () -> Npz.read(empty));
        assertTrue(e.getMessage().contains("no arrays") || e.getMessage().contains("not an NPZ"), e.getMessage());
        Path junk = Files.writeString(dir.resolve("junk.npz"), "not a zip");
        e = assertThrows(UncheckedIOException.class, () -> Npz.read(junk));
        assertTrue(e.getMessage().startsWith(junk.toString()), e.getMessage());
        e = assertThrows(UncheckedIOException.class, () -> Npz.read(dir.resolve("missing.npz")));
        assertTrue(e.getMessage().contains("missing.npz"), e.getMessage());
    }
}
