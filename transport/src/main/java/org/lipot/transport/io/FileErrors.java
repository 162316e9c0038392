package org.lipot.transport.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/** The exceptions this package throws for files, each naming the file. */
final class FileErrors {

    private FileErrors() {
    }

    /** The file was read but its content is not what its format requires. */
    static UncheckedIOException corrupt(Path file, String what) {
        String message = file + ": " + what;
        return new UncheckedIOException(message, new IOException(message));
    }

    /** The file could not be read at all (missing, no permission, I/O error). */
    static UncheckedIOException unreadable(Path file, IOException cause) {
        return new UncheckedIOException("cannot read " + file + ": " + cause, cause);
    }

    /** The file could not be written. */
    static UncheckedIOException unwritable(Path file, IOException cause) {
        return new UncheckedIOException("cannot write " + file + ": " + cause, cause);
    }
}
