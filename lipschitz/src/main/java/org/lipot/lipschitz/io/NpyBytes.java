package org.lipot.lipschitz.io;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * NPY (format 1.0) encoding of float32 / float64 arrays in C order, little-endian ({@code '<f4'}, {@code '<f8'}),
 * bit for bit: the bytes are the array's values as stored, so a round trip through numpy or this class changes
 * nothing. Written here rather than with ND4J's {@code Nd4j.writeAsNumpy} to control the exact bytes and to report
 * corrupt input clearly.
 */
final class NpyBytes {

    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

    private NpyBytes() {
    }

    /**
     * The NPY bytes of {@code x}.
     *
     * @throws IllegalArgumentException if {@code x} is not float32 or float64
     */
    static byte[] encode(INDArray x) {
        DataType t = x.dataType();
        if (t != DataType.FLOAT && t != DataType.DOUBLE) {
            throw new IllegalArgumentException("only float32 and float64 arrays can be saved, got " + t);
        }
        long[] shape = x.shape();
        StringBuilder dims = new StringBuilder();
        for (int i = 0; i < shape.length; i++) {
            dims.append(i == 0 ? "" : ", ").append(shape[i]);
        }
        if (shape.length == 1) {
            dims.append(',');
        }
        String dict = "{'descr': '" + (t == DataType.FLOAT ? "<f4" : "<f8") + "', 'fortran_order': False, 'shape': ("
                + dims + "), }";
        // numpy pads the header with spaces and a final newline so that the data starts at a multiple of 64
        int unpadded = MAGIC.length + 4 + dict.length() + 1;
        int pad = (64 - unpadded % 64) % 64;
        byte[] header = (dict + " ".repeat(pad) + "\n").getBytes(StandardCharsets.US_ASCII);
        int width = t == DataType.FLOAT ? 4 : 8;
        ByteBuffer buf = ByteBuffer.allocate(Math.toIntExact(MAGIC.length + 4 + header.length + x.length() * width))
                .order(ByteOrder.LITTLE_ENDIAN);
        buf.put(MAGIC).put((byte) 1).put((byte) 0).putShort((short) header.length).put(header);
        INDArray c = x.dup('c');
        if (t == DataType.FLOAT) {
            buf.asFloatBuffer().put(c.data().asFloat());
        } else {
            buf.asDoubleBuffer().put(c.data().asDouble());
        }
        return buf.array();
    }

    /**
     * The array held by NPY {@code bytes}.
     *
     * @param what names the bytes in error messages (a file, an archive entry)
     * @throws IllegalArgumentException naming {@code what} if the bytes are not an NPY array, the type is not
     *                                  {@code '<f4'} or {@code '<f8'}, the order is Fortran, or the data is truncated
     */
    static INDArray decode(byte[] bytes, String what) {
        ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        if (bytes.length < 10 || !Arrays.equals(Arrays.copyOf(bytes, MAGIC.length), MAGIC)) {
            throw new IllegalArgumentException(what + " is not an NPY array (no \\x93NUMPY magic)");
        }
        int major = bytes[6];
        long headerLength;
        int start;
        if (major == 1) {
            headerLength = Short.toUnsignedInt(buf.getShort(8));
            start = 10;
        } else if (major == 2 || major == 3) {
            if (bytes.length < 12) {
                throw new IllegalArgumentException(what + " is truncated inside its NPY header");
            }
            headerLength = Integer.toUnsignedLong(buf.getInt(8));
            start = 12;
        } else {
            throw new IllegalArgumentException(what + " has unknown NPY version " + major);
        }
        if (start + headerLength > bytes.length) {
            throw new IllegalArgumentException(what + " is truncated inside its NPY header");
        }
        String header = new String(bytes, start, (int) headerLength, StandardCharsets.ISO_8859_1);
        Matcher descr = DESCR.matcher(header);
        Matcher fortran = FORTRAN.matcher(header);
        Matcher shapeM = SHAPE.matcher(header);
        if (!descr.find() || !fortran.find() || !shapeM.find()) {
            throw new IllegalArgumentException(what + " has a malformed NPY header: " + header.strip());
        }
        int width = switch (descr.group(1)) {
            case "<f4" -> 4;
            case "<f8" -> 8;
            default -> throw new IllegalArgumentException(what + " holds NPY type '" + descr.group(1)
                    + "'; only '<f4' (float32) and '<f8' (float64) are supported");
        };
        if (fortran.group(1).equals("True")) {
            throw new IllegalArgumentException(what + " is in Fortran order; only C order is supported");
        }
        long[] shape = parseShape(shapeM.group(1), what);
        long count = 1;
        for (long d : shape) {
            if (d > 0 && count > bytes.length / d) {
                throw new IllegalArgumentException(what + " has NPY shape " + Arrays.toString(shape) + " but only "
                        + bytes.length + " bytes: truncated");
            }
            count *= d;
        }
        long data = bytes.length - start - headerLength;
        if (data != count * width) {
            throw new IllegalArgumentException(what + " has " + data + " data bytes but its NPY header promises "
                    + count * width + " (shape " + Arrays.toString(shape) + ")" + (data < count * width
                    ? ": truncated" : ""));
        }
        buf.position((int) (start + headerLength));
        if (width == 4) {
            float[] v = new float[(int) count];
            buf.asFloatBuffer().get(v);
            return shape.length == 0 ? Nd4j.scalar(v[0]) : Nd4j.create(v, shape, 'c');
        }
        double[] v = new double[(int) count];
        buf.asDoubleBuffer().get(v);
        return shape.length == 0 ? Nd4j.scalar(v[0]) : Nd4j.create(v, shape, 'c');
    }

    private static long[] parseShape(String dims, String what) {
        String[] parts = dims.split(",");
        long[] shape = new long[parts.length];
        int n = 0;
        for (String p : parts) {
            if (p.isBlank()) {
                continue;
            }
            try {
                shape[n] = Long.parseLong(p.strip());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(what + " has a malformed NPY shape (" + dims + ")");
            }
            if (shape[n] < 0) {
                throw new IllegalArgumentException(what + " has a negative NPY dimension (" + dims + ")");
            }
            n++;
        }
        return Arrays.copyOf(shape, n);
    }
}
