package org.lipot.lipschitz.data;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/** File plumbing of this package: gzip detection and the exceptions, each naming the file. */
final class DataFiles {

    private DataFiles() {
    }

    /** The file was read but its content is not what its format requires. */
    static UncheckedIOException corrupt(Path file, String what) {
        String message = file + ": " + what;
        return new UncheckedIOException(message, new IOException(message));
    }

    /** The file could not be read (missing, no permission, I/O error, broken gzip stream). */
    static UncheckedIOException unreadable(Path file, IOException cause) {
        return new UncheckedIOException("cannot read " + file + ": " + cause, cause);
    }

    /** A stream of the file's content, gunzipped if the file starts with the gzip magic bytes 1f 8b. */
    static InputStream open(Path file) throws IOException {
        InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
        in.mark(2);
        int b0 = in.read();
        int b1 = in.read();
        in.reset();
        return b0 == 0x1f && b1 == 0x8b ? new BufferedInputStream(new GZIPInputStream(in, 1 << 16), 1 << 16) : in;
    }
}
