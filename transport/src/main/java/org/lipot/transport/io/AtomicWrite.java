package org.lipot.transport.io;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.UUID;

/**
 * Writes a file atomically: the content goes to a temporary file in the same folder, is forced to disk, and the
 * temporary file is then moved over the target, so readers see either the old file or the complete new one.
 * Used for every file lipot writes (arrays, plots, models).
 */
public final class AtomicWrite {

    /** Writes the content of a file to a buffered stream. */
    @FunctionalInterface
    public interface Content {
        /** Writes the whole content; the stream is closed by the caller. */
        void writeTo(OutputStream out) throws IOException;
    }

    private AtomicWrite() {
    }

    /**
     * Writes {@code content} to {@code target}, replacing it if it exists.
     *
     * @throws java.io.UncheckedIOException naming the target if anything fails; the temporary file is then removed
     */
    public static void write(Path target, Content content) {
        Path absolute = target.toAbsolutePath();
        // Not Files.createTempFile: on POSIX it creates the file with mode 0600, which the move would keep.
        Path temp = absolute.resolveSibling("." + absolute.getFileName() + "." + UUID.randomUUID() + ".tmp");
        boolean moved = false;
        try {
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                 OutputStream out = new BufferedOutputStream(Channels.newOutputStream(channel), 1 << 16)) {
                content.writeTo(out);
                out.flush();
                channel.force(true);
            }
            Files.move(temp, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            moved = true;
        } catch (IOException e) {
            throw FileErrors.unwritable(target, e);
        } finally {
            if (!moved) {
                deleteQuietly(temp);
            }
        }
    }

    private static void deleteQuietly(Path temp) {
        try {
            Files.deleteIfExists(temp);
        } catch (IOException ignored) {
            // the failure that got us here is the one to report
        }
    }
}
