package org.lipot.lipschitz.io;

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
 * Writes a file atomically for this package (models, plots): the content goes to a temporary file in the same
 * folder, is forced to disk, and the temporary file is then moved over the target, so readers see either the old
 * file or the complete new one. (The transport module has its own, {@code org.lipot.transport.io.AtomicWrite}; the
 * lipschitz module may not depend on it outside tests.)
 */
final class AtomicFile {

    /** Writes the whole content of a file to a buffered stream. */
    @FunctionalInterface
    interface Content {
        void writeTo(OutputStream out) throws IOException;
    }

    private AtomicFile() {
    }

    /**
     * Writes {@code content} to {@code target}, replacing it if it exists; on failure the temporary file is removed
     * and the target is left as it was.
     *
     * @throws IOException if anything fails (the caller names the file in its message)
     */
    static void write(Path target, Content content) throws IOException {
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
        } finally {
            if (!moved) {
                try {
                    Files.deleteIfExists(temp);
                } catch (IOException ignored) {
                    // the failure that got us here is the one to report
                }
            }
        }
    }
}
