package org.lipot.lipschitz.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Validates an NPY header before the array is handed to ND4J's native reader, which does not report
 * corrupt or truncated files clearly. Reads the magic, version, header dictionary ({@code descr},
 * {@code fortran_order}, {@code shape}) and checks that the data the header promises is there.
 */
final class NpyCheck {

    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");
    private static final Pattern SUPPORTED = Pattern.compile("[<|]([fiu][1248]|b1)");

    private NpyCheck() {
    }

    /**
     * Checks one NPY stream.
     *
     * @param in        the NPY bytes (the stream is consumed)
     * @param available the number of bytes in the stream
     * @param file      the file to name in errors
     * @param what      what the stream is, for errors (the file itself, or an NPZ entry)
     */
    static void check(InputStream in, long available, Path file, String what) throws IOException {
        byte[] magic = in.readNBytes(10);
        if (magic.length < 10 || (magic[0] & 0xff) != 0x93 || !"NUMPY".equals(new String(magic, 1, 5,
                StandardCharsets.US_ASCII))) {
            throw DataFiles.corrupt(file, what + " is not an NPY array (no \\x93NUMPY magic)");
        }
        int major = magic[6];
        long headerLength;
        int prefix;
        if (major == 1) {
            headerLength = (magic[8] & 0xff) | (magic[9] & 0xff) << 8;
            prefix = 10;
        } else if (major == 2 || major == 3) {
            byte[] more = in.readNBytes(2);
            if (more.length < 2) {
                throw DataFiles.corrupt(file, what + ": truncated NPY header");
            }
            headerLength = (magic[8] & 0xffL) | (magic[9] & 0xffL) << 8 | (more[0] & 0xffL) << 16
                    | (more[1] & 0xffL) << 24;
            prefix = 12;
        } else {
            throw DataFiles.corrupt(file, what + ": NPY format version " + major + " is not supported");
        }
        byte[] header = in.readNBytes((int) Math.min(headerLength, 1 << 20));
        if (header.length < headerLength) {
            throw DataFiles.corrupt(file, what + ": truncated NPY header (" + header.length + " of " + headerLength
                    + " bytes)");
        }
        String dict = new String(header, StandardCharsets.UTF_8);
        Matcher descr = DESCR.matcher(dict);
        Matcher fortran = FORTRAN.matcher(dict);
        Matcher shape = SHAPE.matcher(dict);
        if (!descr.find() || !fortran.find() || !shape.find()) {
            throw DataFiles.corrupt(file, what + ": NPY header is not a dictionary with descr, fortran_order and"
                    + " shape: " + dict.trim());
        }
        String type = descr.group(1);
        if (!SUPPORTED.matcher(type).matches()) {
            throw DataFiles.corrupt(file, what + ": NPY dtype '" + type + "' is not supported (little-endian"
                    + " f4, f8, i1..i8, u1..u8 or b1)");
        }
        if (fortran.group(1).equals("True")) {
            throw DataFiles.corrupt(file, what + ": NPY array is in Fortran order; save it in C order"
                    + " (numpy.ascontiguousarray)");
        }
        long count = 1;
        for (String s : shape.group(1).split(",")) {
            if (!s.isBlank()) {
                try {
                    count *= Long.parseLong(s.trim());
                } catch (NumberFormatException e) {
                    throw DataFiles.corrupt(file, what + ": NPY shape (" + shape.group(1) + ") is not a tuple of"
                            + " integers");
                }
            }
        }
        long expected = prefix + headerLength + count * Integer.parseInt(type.substring(2));
        if (available < expected) {
            throw DataFiles.corrupt(file, what + ": truncated NPY data: the header promises " + expected
                    + " bytes in all, there are " + available);
        }
        if (available > expected) {
            throw DataFiles.corrupt(file, what + ": " + (available - expected) + " bytes after the NPY data");
        }
    }
}
