package org.lipot.lipschitz.sdf;

import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * The lines of a text mesh file, split into whitespace-separated tokens, with their 1-based line numbers for error
 * messages. Bytes are read as ISO-8859-1 (the formats are ASCII); {@code '#'} starts a comment when
 * {@code comments} is set.
 */
final class TextLines {

    private final Path file;
    private final byte[] bytes;
    private final boolean comments;
    private int pos;
    private long line;
    private String[] tokens;

    TextLines(Path file, byte[] bytes, int start, long firstLine, boolean comments) {
        this.file = file;
        this.bytes = bytes;
        this.pos = start;
        this.line = firstLine - 1;
        this.comments = comments;
    }

    /** Moves to the next line that has a token; false at the end of the file. */
    boolean next() {
        while (pos < bytes.length) {
            int end = pos;
            while (end < bytes.length && bytes[end] != '\n') {
                end++;
            }
            String text = new String(bytes, pos, end - pos, java.nio.charset.StandardCharsets.ISO_8859_1);
            pos = end + 1;
            line++;
            if (comments) {
                int hash = text.indexOf('#');
                if (hash >= 0) {
                    text = text.substring(0, hash);
                }
            }
            text = text.strip();
            if (!text.isEmpty()) {
                tokens = text.split("\\s+");
                return true;
            }
        }
        tokens = null;
        return false;
    }

    /** The current line's tokens. */
    String[] tokens() {
        return tokens;
    }

    /** The current line number (1-based). */
    long line() {
        return line;
    }

    /** The offset of the byte after the current line. */
    int position() {
        return pos;
    }

    /** Token {@code k} of the current line as a finite double. */
    double number(int k, String what) {
        String t = token(k, what);
        double v;
        try {
            v = Double.parseDouble(t);
        } catch (NumberFormatException e) {
            throw error(what + " '" + t + "' is not a number");
        }
        if (!Double.isFinite(v)) {
            throw error(what + " is " + t);
        }
        return v;
    }

    /** Token {@code k} of the current line as an int. */
    int integer(int k, String what) {
        String t = token(k, what);
        try {
            return Integer.parseInt(t);
        } catch (NumberFormatException e) {
            throw error(what + " '" + t + "' is not an integer");
        }
    }

    /** Token {@code k} of the current line as a count: a non-negative integer (long). */
    long count(int k, String what) {
        String t = token(k, what);
        long v;
        try {
            v = Long.parseLong(t);
        } catch (NumberFormatException e) {
            throw error(what + " '" + t + "' is not an integer");
        }
        if (v < 0) {
            throw error(what + " is negative (" + v + ")");
        }
        return v;
    }

    private String token(int k, String what) {
        if (k >= tokens.length) {
            throw error("missing " + what + " (the line has " + tokens.length + " values)");
        }
        return tokens[k];
    }

    /** An error at the current line. */
    UncheckedIOException error(String what) {
        return MeshFiles.corrupt(file, line, what);
    }

    /**
     * Refuses a declared element count that the rest of the file cannot hold, at {@code minBytes} per element, before
     * anything is allocated for it.
     */
    void checkRoom(long count, long minBytes, String what) {
        long room = bytes.length - (long) Math.min(pos, bytes.length);
        if (count > room / minBytes) {
            throw error("the header declares " + count + " " + what + " but the " + room
                    + " bytes after it can hold at most " + room / minBytes);
        }
    }
}
