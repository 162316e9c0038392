package org.lipot.transport.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * Reads numpy's NPZ archives ({@code numpy.savez} and {@code numpy.savez_compressed}): a zip file whose entries
 * {@code NAME.npy} are NPY arrays, each read with {@link Npy#read(InputStream, long, String)}.
 */
public final class Npz {

    private Npz() {
    }

    /**
     * Reads every array of an archive.
     *
     * @return the arrays by name (the entry name without {@code .npy}), in the archive's order
     * @throws java.io.UncheckedIOException naming the file (and the entry) if it cannot be read, is not a zip
     *                                      archive, holds an entry that is not {@code .npy}, holds no array, or
     *                                      an array is corrupt
     */
    public static Map<String, NpyArray> read(Path file) {
        Map<String, NpyArray> arrays = new LinkedHashMap<>();
        try (ZipFile zip = new ZipFile(file.toFile())) {
            for (Enumeration<? extends ZipEntry> e = zip.entries(); e.hasMoreElements(); ) {
                ZipEntry entry = e.nextElement();
                String name = entry.getName();
                if (!name.endsWith(".npy")) {
                    throw FileErrors.corrupt(file, "entry '" + name + "' is not an NPY array (.npy)");
                }
                try (InputStream in = zip.getInputStream(entry)) {
                    arrays.put(name.substring(0, name.length() - 4), Npy.read(in, entry.getSize(),
                            file + ", array '" + name.substring(0, name.length() - 4) + "'"));
                }
            }
        } catch (ZipException e) {
            throw FileErrors.corrupt(file, "not an NPZ (zip) archive: " + e.getMessage());
        } catch (IOException e) {
            throw FileErrors.unreadable(file, e);
        }
        if (arrays.isEmpty()) {
            throw FileErrors.corrupt(file, "the NPZ archive holds no arrays");
        }
        return arrays;
    }
}
