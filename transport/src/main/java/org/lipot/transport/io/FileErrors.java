package org.lipot.transport.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** The exceptions this package throws for files, each naming the file. */
final class FileErrors {

    private FileErrors() {
    }

    /** The file was read but its content is not what its format requires. */
    static UncheckedIOException corrupt(Path file, String what) {
        return corrupt(file.toString(), what);
    }

    /**
     * The same for a source named otherwise (an archive entry, bytes in memory).
     *
     * @param where names the source, as the message's prefix
     */
    static UncheckedIOException corrupt(String where, String what) {
        String message = where + ": " + what;
        return new UncheckedIOException(message, new IOException(message));
    }

    /** The file could not be read at all (missing, no permission, I/O error). */
    static UncheckedIOException unreadable(Path file, IOException cause) {
        return new UncheckedIOException("cannot read " + file + ": " + reason(cause), cause);
    }

    /** The file could not be written. */
    static UncheckedIOException unwritable(Path file, IOException cause) {
        return new UncheckedIOException("cannot write " + file + ": " + reason(cause), cause);
    }

    /** What went wrong in words, without the exception's class name (the file is named by the caller). */
    private static String reason(IOException cause) {
        if (cause instanceof NoSuchFileException) {
            return "no such file or folder";
        }
        if (cause instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (cause instanceof FileAlreadyExistsException) {
            return "a file is in the way";
        }
        String message = cause.getMessage();
        return message == null ? cause.getClass().getSimpleName() : message;
    }
}
