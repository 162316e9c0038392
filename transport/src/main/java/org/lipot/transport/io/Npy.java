package org.lipot.transport.io;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Reads and writes numpy's NPY format, so arrays pass to and from Python ({@code np.load}, {@code np.save}).
 *
 * <p>A file is the magic {@code \x93NUMPY}, a version byte pair, the header length (2 bytes little-endian in
 * version 1.0, 4 bytes in 2.0 and 3.0), a header dict (see numpy's {@code numpy.lib.format}) and the raw data.
 *
 * <p><b>Reading</b> accepts versions 1.0, 2.0 and 3.0; element types {@code f8}, {@code f4}, signed and unsigned
 * integers of 1 to 8 bytes and booleans {@code b1}, in either byte order, widened to double (64-bit integers
 * beyond 2^53 are rounded) and recorded in {@link NpyArray#dtype()}; C or Fortran order (Fortran data are
 * transposed into C order); any rank, including the scalar shape {@code ()}. The source must hold exactly the
 * bytes its header promises. Files, archive entries and bytes in memory go through the same checks.
 *
 * <p><b>Writing</b> produces what {@code np.save} does: version 1.0, {@code '<f4'} for an array of dtype
 * {@code f4} (bit for bit) and {@code '<f8'} for every other, C order, the header padded with spaces and ended by a
 * newline so the data start at a multiple of 64 bytes (version 2.0 only if the header would not fit in 65535
 * bytes). File writes are atomic.
 *
 * <p>Errors: an unreadable, corrupt or unsupported file gives {@link java.io.UncheckedIOException} whose message
 * names the file and what is wrong.
 */
public final class Npy {

    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    /** numpy aligns the start of the data to this many bytes. */
    private static final int ALIGNMENT = 64;
    /** Bytes moved per bulk read or write: a multiple of every element size. */
    private static final int CHUNK = 1 << 20;
    /** Java's practical maximum array length. */
    private static final int MAX_ELEMENTS = Integer.MAX_VALUE - 8;

    private Npy() {
    }

    /**
     * Reads an NPY file.
     *
     * @throws java.io.UncheckedIOException naming the file if it cannot be read, is corrupt, or uses an unsupported
     *                                      version or dtype
     */
    public static NpyArray read(Path file) {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            return read(file.toString(), channel, channel.size());
        } catch (IOException e) {
            throw FileErrors.unreadable(file, e);
        }
    }

    /**
     * Reads an NPY file holding a matrix {@code (n, d)} or a vector {@code (n,)} (read as one column).
     *
     * @throws java.io.UncheckedIOException  as {@link #read(Path)}
     * @throws IllegalArgumentException naming the file and its shape if the array has another rank
     */
    public static double[][] readMatrix(Path file) {
        return read(file).toMatrix(file.toString());
    }

    /**
     * Reads an NPY file holding a vector: shape {@code (n,)}, {@code (n, 1)} or {@code (1, n)}.
     *
     * @throws java.io.UncheckedIOException  as {@link #read(Path)}
     * @throws IllegalArgumentException naming the file and its shape for any other shape
     */
    public static double[] readVector(Path file) {
        return read(file).toVector(file.toString());
    }

    /**
     * Reads an NPY array from a stream holding exactly {@code size} bytes: an entry of an NPZ or model archive, or
     * bytes in memory. The stream is read to the end of the array, not closed.
     *
     * @param where names the source in error messages (for example {@code "model.zip, entry 1.weight.npy"})
     * @throws java.io.UncheckedIOException naming {@code where} if the bytes cannot be read, are corrupt, or use an
     *                                      unsupported version or dtype
     * @throws IllegalArgumentException     if {@code size} is negative (unknown)
     */
    public static NpyArray read(InputStream in, long size, String where) {
        if (size < 0) {
            throw new IllegalArgumentException(where + ": the size of the NPY bytes must be known, got " + size);
        }
        try {
            return read(where, Channels.newChannel(in), size);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + where + ": " + e.getMessage(), e);
        }
    }

    /**
     * Writes an array in C order, atomically, replacing the file if it exists: as float32 if its dtype is
     * {@code f4}, otherwise as float64.
     *
     * @throws java.io.UncheckedIOException naming the file if it cannot be written
     */
    public static void write(Path file, NpyArray array) {
        AtomicWrite.write(file, out -> write(out, array));
    }

    /** The bytes of {@link #write(Path, NpyArray)}, for an archive entry or a message. */
    public static byte[] encode(NpyArray array) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            write(out, array);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a ByteArrayOutputStream does not throw
        }
        return out.toByteArray();
    }

    private static void write(OutputStream out, NpyArray array) throws IOException {
        int[] shape = array.shape();
        double[] data = array.data();
        boolean float32 = array.dtype().equals("f4");
        NpyHeader.Dtype dtype = float32 ? NpyHeader.Dtype.F4 : NpyHeader.Dtype.F8;
        out.write(prefix(NpyHeader.littleEndian(dtype, shape).toDict()));
        ByteBuffer bytes = ByteBuffer.allocate(CHUNK).order(ByteOrder.LITTLE_ENDIAN);
        int perChunk = CHUNK / dtype.size;
        for (int offset = 0; offset < data.length; offset += perChunk) {
            int count = Math.min(perChunk, data.length - offset);
            if (float32) {
                FloatBuffer floats = bytes.clear().asFloatBuffer();
                for (int k = 0; k < count; k++) {
                    floats.put((float) data[offset + k]);
                }
            } else {
                bytes.clear().asDoubleBuffer().put(data, offset, count);
            }
            out.write(bytes.array(), 0, count * dtype.size);
        }
    }

    /**
     * Writes a matrix as shape {@code (n, d)}; see {@link #write(Path, NpyArray)}.
     *
     * @throws IllegalArgumentException if the rows are null or ragged
     */
    public static void write(Path file, double[][] rows) {
        write(file, NpyArray.ofMatrix(rows));
    }

    /**
     * Writes a vector as shape {@code (n,)}; see {@link #write(Path, NpyArray)}.
     *
     * @throws IllegalArgumentException if {@code values} is null
     */
    public static void write(Path file, double[] values) {
        write(file, NpyArray.ofVector(values));
    }

    private static NpyArray read(String file, ReadableByteChannel channel, long size) throws IOException {
        if (size < MAGIC.length + 2) {
            throw FileErrors.corrupt(file, "not an NPY file: only " + size + " bytes");
        }
        ByteBuffer start = readFully(channel, MAGIC.length + 2);
        for (int k = 0; k < MAGIC.length; k++) {
            if (start.get(k) != MAGIC[k]) {
                throw FileErrors.corrupt(file, "not an NPY file: bad magic bytes (expected \\x93NUMPY)");
            }
        }
        int major = start.get(MAGIC.length);
        int minor = start.get(MAGIC.length + 1);
        if (major < 1 || major > 3 || minor != 0) {
            throw FileErrors.corrupt(file, "unsupported NPY format version " + major + "." + minor
                    + " (supported: 1.0, 2.0, 3.0)");
        }
        int lengthBytes = major == 1 ? 2 : 4;
        long headerStart = MAGIC.length + 2 + lengthBytes;
        if (size < headerStart) {
            throw FileErrors.corrupt(file, "truncated header: the file ends inside the header length");
        }
        ByteBuffer length = readFully(channel, lengthBytes).order(ByteOrder.LITTLE_ENDIAN);
        long headerLength = major == 1 ? Short.toUnsignedLong(length.getShort(0))
                : Integer.toUnsignedLong(length.getInt(0));
        if (size - headerStart < headerLength) {
            throw FileErrors.corrupt(file, "truncated header: it should have " + headerLength
                    + " bytes but the file ends after " + (size - headerStart));
        }
        if (headerLength > MAX_ELEMENTS) {
            throw FileErrors.corrupt(file, "header of " + headerLength + " bytes is too long");
        }
        // versions 1.0 and 2.0 use latin-1, 3.0 UTF-8
        String text = new String(readFully(channel, (int) headerLength).array(),
                major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        NpyHeader header = NpyHeader.parse(file, text);

        long count = NpyArray.elementCount(header.shape());
        if (count > MAX_ELEMENTS) {
            throw FileErrors.corrupt(file, "shape " + NpyArray.shapeString(header.shape())
                    + " has more elements than a Java array can hold");
        }
        long expected = count * header.dtype().size;
        long actual = size - headerStart - headerLength;
        if (actual != expected) {
            throw FileErrors.corrupt(file, (actual < expected ? "truncated data: " : "trailing bytes: ") + "shape "
                    + NpyArray.shapeString(header.shape()) + " of " + header.dtype().code() + " needs " + expected
                    + " data bytes but the file has " + actual + " after the header");
        }
        double[] data = readData(channel, header, (int) count);
        return new NpyArray(header.shape(), header.fortranOrder() ? fortranToC(header.shape(), data) : data,
                header.dtype().code());
    }

    /** Decodes the data in chunks: bulk reads into a direct buffer, bulk conversion, no per-element I/O. */
    private static double[] readData(ReadableByteChannel channel, NpyHeader header, int count) throws IOException {
        double[] data = new double[count];
        int size = header.dtype().size;
        ByteBuffer bytes = ByteBuffer.allocateDirect((int) Math.min(CHUNK, (long) count * size)).order(header.order());
        for (int offset = 0; offset < count; ) {
            int n = Math.min(bytes.capacity() / size, count - offset);
            bytes.clear().limit(n * size);
            fill(channel, bytes);
            bytes.flip();
            header.dtype().decode(bytes, data, offset, n);
            offset += n;
        }
        return data;
    }

    /**
     * The C-order copy of an array stored in Fortran order, where the first index varies fastest: element
     * {@code (i_0, ..., i_{r-1})} is at {@code f[sum_k i_k * stride_k]} with {@code stride_0 = 1} and
     * {@code stride_k = stride_{k-1} * shape_{k-1}}.
     */
    private static double[] fortranToC(int[] shape, double[] f) {
        int rank = shape.length;
        if (rank < 2 || f.length == 0) {
            return f;
        }
        int[] stride = new int[rank];
        stride[0] = 1;
        for (int k = 1; k < rank; k++) {
            stride[k] = stride[k - 1] * shape[k - 1];
        }
        double[] c = new double[f.length];
        int[] index = new int[rank];
        int source = 0;
        for (int p = 0; p < c.length; p++) {
            c[p] = f[source];
            // advance the multi-index in C order (last axis fastest), keeping source = sum_k index_k * stride_k
            for (int k = rank - 1; k >= 0; k--) {
                source += stride[k];
                if (++index[k] < shape[k]) {
                    break;
                }
                source -= stride[k] * shape[k];
                index[k] = 0;
            }
        }
        return c;
    }

    /** Magic, version, header length and the header padded so that the data start at a multiple of 64. */
    private static byte[] prefix(String dict) {
        byte[] text = dict.getBytes(StandardCharsets.ISO_8859_1);
        int major = 1;
        int headerStart = MAGIC.length + 2 + 2;
        int total = alignUp(headerStart + text.length + 1);
        if (total - headerStart > 0xFFFF) {
            // too long for version 1.0's 2-byte length
            major = 2;
            headerStart += 2;
            total = alignUp(headerStart + text.length + 1);
        }
        ByteBuffer prefix = ByteBuffer.allocate(total).order(ByteOrder.LITTLE_ENDIAN);
        prefix.put(MAGIC).put((byte) major).put((byte) 0);
        int headerLength = total - headerStart;
        if (major == 1) {
            prefix.putShort((short) headerLength);
        } else {
            prefix.putInt(headerLength);
        }
        prefix.put(text);
        while (prefix.position() < total - 1) {
            prefix.put((byte) ' ');
        }
        return prefix.put((byte) '\n').array();
    }

    private static int alignUp(int length) {
        return (length + ALIGNMENT - 1) / ALIGNMENT * ALIGNMENT;
    }

    private static ByteBuffer readFully(ReadableByteChannel channel, int length) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(length);
        fill(channel, buffer);
        return buffer;
    }

    private static void fill(ReadableByteChannel channel, ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) {
            if (channel.read(buffer) < 0) {
                throw new EOFException("the data ended early (was the file changed while being read?)");
            }
        }
    }
}
