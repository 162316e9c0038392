package org.lipot.transport.io;

import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.nio.ShortBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The header of an NPY file: a Python dict literal such as
 * {@code {'descr': '<f8', 'fortran_order': False, 'shape': (3, 2), }} giving the element type and byte order,
 * the memory order and the shape. Keys may appear in any order; all three are required and no others are allowed
 * (as in numpy).
 *
 * @param dtype        element type
 * @param order        byte order of the elements
 * @param fortranOrder true if the data are in Fortran (column-major) order
 * @param shape        length of each axis
 */
record NpyHeader(Dtype dtype, ByteOrder order, boolean fortranOrder, int[] shape) {

    /** The element types this package reads; each is widened to double (exactly, except 64-bit integers beyond 2^53). */
    enum Dtype {
        F8(8) {
            @Override
            void decode(ByteBuffer bytes, double[] out, int offset, int count) {
                bytes.asDoubleBuffer().get(out, offset, count);
            }
        },
        F4(4) {
            @Override
            void decode(ByteBuffer bytes, double[] out, int offset, int count) {
                FloatBuffer in = bytes.asFloatBuffer();
                for (int i = 0; i < count; i++) {
                    out[offset + i] = in.get(i);
                }
            }
        },
        I4(4) {
            @Override
            void decode(ByteBuffer bytes, double[] out, int offset, int count) {
                IntBuffer in = bytes.asIntBuffer();
                for (int i = 0; i < count; i++) {
                    out[offset + i] = in.get(i);
                }
            }
        },
        I8(8) {
            @Override
            void decode(ByteBuffer bytes, double[] out, int offset, int count) {
                // values beyond 2^53 round to the nearest double
                LongBuffer in = bytes.asLongBuffer();
                for (int i = 0; i < count; i++) {
                    out[offset + i] = in.get(i);
                }
            }
        },
        I2(2) {
            @Override
            void decode(ByteBuffer bytes, double[] out, int offset, int count) {
                ShortBuffer in = bytes.asShortBuffer();
                for (int i = 0; i < count; i++) {
                    out[offset + i] = in.get(i);
                }
            }
        },
        I1(1) {
            @Override
            void decode(ByteBuffer bytes, double[] out, int offset, int count) {
                for (int i = 0; i < count; i++) {
                    out[offset + i] = bytes.get(bytes.position() + i);
                }
            }
        },
        U1(1) {
            @Override
            void decode(ByteBuffer bytes, double[] out, int offset, int count) {
                for (int i = 0; i < count; i++) {
                    out[offset + i] = Byte.toUnsignedInt(bytes.get(bytes.position() + i));
                }
            }
        },
        U2(2) {
            @Override
            void decode(ByteBuffer bytes, double[] out, int offset, int count) {
                ShortBuffer in = bytes.asShortBuffer();
                for (int i = 0; i < count; i++) {
                    out[offset + i] = Short.toUnsignedInt(in.get(i));
                }
            }
        },
        U4(4) {
            @Override
            void decode(ByteBuffer bytes, double[] out, int offset, int count) {
                IntBuffer in = bytes.asIntBuffer();
                for (int i = 0; i < count; i++) {
                    out[offset + i] = Integer.toUnsignedLong(in.get(i));
                }
            }
        },
        U8(8) {
            @Override
            void decode(ByteBuffer bytes, double[] out, int offset, int count) {
                // values beyond 2^53 round to the nearest double
                LongBuffer in = bytes.asLongBuffer();
                for (int i = 0; i < count; i++) {
                    long v = in.get(i);
                    out[offset + i] = v >= 0 ? v : 2.0 * (v >>> 1) + (v & 1);
                }
            }
        },
        B1(1) {
            @Override
            void decode(ByteBuffer bytes, double[] out, int offset, int count) {
                for (int i = 0; i < count; i++) {
                    out[offset + i] = bytes.get(bytes.position() + i) != 0 ? 1 : 0;
                }
            }
        };

        /** Bytes per element. */
        final int size;

        Dtype(int size) {
            this.size = size;
        }

        /** numpy's code without the byte order, such as {@code f8}. */
        String code() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** The type with this code, or null. */
        static Dtype ofCode(String code) {
            for (Dtype t : values()) {
                if (t.code().equals(code)) {
                    return t;
                }
            }
            return null;
        }

        /**
         * Converts {@code count} elements from the position of {@code bytes} (whose byte order is set) into
         * {@code out[offset..offset+count)}.
         */
        abstract void decode(ByteBuffer bytes, double[] out, int offset, int count);
    }

    private static final Set<String> KEYS = Set.of("descr", "fortran_order", "shape");
    private static final String SUPPORTED = "f8, f4, i8, i4, i2, i1, u8, u4, u2, u1, b1, little- or big-endian";

    /** The header numpy writes for a little-endian array of {@code dtype} in C order. */
    static NpyHeader littleEndian(Dtype dtype, int[] shape) {
        return new NpyHeader(dtype, ByteOrder.LITTLE_ENDIAN, false, shape);
    }

    /**
     * Parses a header dict.
     *
     * @param file names the source in error messages
     * @throws java.io.UncheckedIOException naming the file if the text is not a valid header, or the dtype is not
     *                                      supported
     */
    static NpyHeader parse(String file, String text) {
        Map<String, Object> dict = new Parser(file, text).header();
        if (!dict.keySet().equals(KEYS)) {
            throw FileErrors.corrupt(file, "bad NPY header: its keys are " + dict.keySet()
                    + " but must be descr, fortran_order and shape");
        }
        if (!(dict.get("descr") instanceof String descr)) {
            throw FileErrors.corrupt(file, "unsupported dtype " + dict.get("descr")
                    + ": structured arrays are not supported (supported: " + SUPPORTED + ")");
        }
        // '|' marks single-byte types, which have no byte order
        ByteOrder order = descr.startsWith("<") || descr.startsWith("|") ? ByteOrder.LITTLE_ENDIAN
                : descr.startsWith(">") ? ByteOrder.BIG_ENDIAN : null;
        Dtype dtype = order == null ? null : Dtype.ofCode(descr.substring(1));
        if (dtype != null && descr.startsWith("|") && dtype.size != 1) {
            dtype = null;
        }
        if (dtype == null) {
            throw FileErrors.corrupt(file, "unsupported dtype '" + descr + "' (supported: " + SUPPORTED + ")");
        }
        if (!(dict.get("fortran_order") instanceof Boolean fortranOrder)) {
            throw FileErrors.corrupt(file, "bad NPY header: fortran_order is " + dict.get("fortran_order")
                    + " but must be True or False");
        }
        return new NpyHeader(dtype, order, fortranOrder, shape(file, dict.get("shape")));
    }

    private static int[] shape(String file, Object value) {
        if (!(value instanceof List<?> dims)) {
            throw badShape(file, value);
        }
        int[] shape = new int[dims.size()];
        for (int k = 0; k < shape.length; k++) {
            if (!(dims.get(k) instanceof Long d) || d < 0 || d > Integer.MAX_VALUE) {
                throw badShape(file, value);
            }
            shape[k] = d.intValue();
        }
        return shape;
    }

    private static UncheckedIOException badShape(String file, Object value) {
        return FileErrors.corrupt(file, "bad NPY header: shape is " + value
                + " but must be a tuple of non-negative integers below 2^31");
    }

    /** The dict literal, in numpy's key order and spacing. */
    String toDict() {
        return "{'descr': '" + (dtype.size == 1 ? '|' : order == ByteOrder.LITTLE_ENDIAN ? '<' : '>') + dtype.code()
                + "', 'fortran_order': " + (fortranOrder ? "True" : "False")
                + ", 'shape': " + NpyArray.shapeString(shape) + ", }";
    }

    /**
     * A recursive-descent parser for the Python literals a header can hold: dicts, strings, integers, tuples,
     * lists, True and False. Tuples and lists become {@code List}, integers {@code Long}.
     */
    private static final class Parser {

        private final String file;
        private final String text;
        private int pos;

        Parser(String file, String text) {
            this.file = file;
            this.text = text;
        }

        /** The whole text: one dict, then only whitespace (numpy pads with spaces and ends with a newline). */
        Map<String, Object> header() {
            skipSpace();
            if (pos >= text.length() || text.charAt(pos) != '{') {
                throw fail("expected '{'");
            }
            Map<String, Object> dict = dict();
            skipSpace();
            if (pos < text.length()) {
                throw fail("unexpected text after the dict");
            }
            return dict;
        }

        private Object value() {
            skipSpace();
            if (pos >= text.length()) {
                throw fail("unexpected end");
            }
            char c = text.charAt(pos);
            return switch (c) {
                case '\'', '"' -> string(c);
                case '(' -> sequence(')');
                case '[' -> sequence(']');
                case '{' -> dict();
                default -> c == '-' || (c >= '0' && c <= '9') ? integer() : word();
            };
        }

        private Map<String, Object> dict() {
            pos++;
            Map<String, Object> dict = new LinkedHashMap<>();
            while (true) {
                skipSpace();
                if (accept('}')) {
                    return dict;
                }
                int keyAt = pos;
                if (!(value() instanceof String key)) {
                    pos = keyAt;
                    throw fail("dict keys must be strings");
                }
                skipSpace();
                expect(':');
                if (dict.put(key, value()) != null) {
                    throw fail("duplicate key '" + key + "'");
                }
                skipSpace();
                if (!accept(',')) {
                    expect('}');
                    return dict;
                }
            }
        }

        private List<Object> sequence(char close) {
            pos++;
            List<Object> items = new ArrayList<>();
            while (true) {
                skipSpace();
                if (accept(close)) {
                    return items;
                }
                items.add(value());
                skipSpace();
                if (!accept(',')) {
                    expect(close);
                    return items;
                }
            }
        }

        private String string(char quote) {
            pos++;
            StringBuilder s = new StringBuilder();
            while (pos < text.length()) {
                char c = text.charAt(pos++);
                if (c == quote) {
                    return s.toString();
                }
                if (c == '\\' && pos < text.length()) {
                    c = text.charAt(pos++);
                }
                s.append(c);
            }
            throw fail("unterminated string");
        }

        private Long integer() {
            int start = pos;
            if (text.charAt(pos) == '-') {
                pos++;
            }
            while (pos < text.length() && text.charAt(pos) >= '0' && text.charAt(pos) <= '9') {
                pos++;
            }
            try {
                return Long.parseLong(text.substring(start, pos));
            } catch (NumberFormatException e) {
                pos = start;
                throw fail("bad integer");
            }
        }

        private Boolean word() {
            int start = pos;
            while (pos < text.length() && Character.isLetter(text.charAt(pos))) {
                pos++;
            }
            String word = text.substring(start, pos);
            if (word.equals("True") || word.equals("False")) {
                return word.equals("True");
            }
            pos = start;
            throw fail("unexpected '" + (word.isEmpty() ? text.substring(pos, pos + 1) : word) + "'");
        }

        private boolean accept(char c) {
            if (pos < text.length() && text.charAt(pos) == c) {
                pos++;
                return true;
            }
            return false;
        }

        private void expect(char c) {
            if (!accept(c)) {
                throw fail("expected '" + c + "'");
            }
        }

        private void skipSpace() {
            while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
                pos++;
            }
        }

        private UncheckedIOException fail(String what) {
            String shown = text.strip();
            if (shown.length() > 200) {
                shown = shown.substring(0, 200) + "...";
            }
            return FileErrors.corrupt(file, "bad NPY header: " + what + " at character " + pos + " of " + shown);
        }
    }
}
