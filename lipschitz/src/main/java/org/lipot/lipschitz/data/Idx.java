package org.lipot.lipschitz.data;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Reader of the IDX format of MNIST and Fashion-MNIST (LeCun et al.), plain or gzipped (detected from the
 * content, not the name).
 *
 * <p>Format: big-endian; two zero bytes, a type code ({@code 0x08} = unsigned byte, the only type these data
 * sets use and the only one read here), the number of dimensions {@code r}; then {@code r} 32-bit
 * dimension sizes; then the {@code prod(dims)} values in row-major order, and nothing after them.
 *
 * <p>Errors are {@link java.io.UncheckedIOException}s whose message starts with the file name: a missing
 * file, a wrong magic number, an unsupported type, a truncated file ("expected N bytes of values, found
 * M"), trailing bytes, a broken gzip stream.
 */
public final class Idx {

    private static final int TYPE_UNSIGNED_BYTE = 0x08;

    private Idx() {
    }

    /** Reads an IDX file of unsigned bytes. */
    public static IdxData read(Path file) {
        try (InputStream raw = DataFiles.open(file); DataInputStream in = new DataInputStream(raw)) {
            int magic;
            try {
                magic = in.readInt();
            } catch (EOFException e) {
                throw DataFiles.corrupt(file, "not an IDX file: shorter than its 4-byte magic number");
            }
            if ((magic >>> 16) != 0) {
                throw DataFiles.corrupt(file, String.format("not an IDX file: magic number 0x%08x does not start"
                        + " with two zero bytes", magic));
            }
            int type = (magic >>> 8) & 0xff;
            int rank = magic & 0xff;
            if (type != TYPE_UNSIGNED_BYTE) {
                throw DataFiles.corrupt(file, String.format("IDX type code 0x%02x is not supported (only 0x08,"
                        + " unsigned byte)", type));
            }
            if (rank < 1) {
                throw DataFiles.corrupt(file, "IDX header has 0 dimensions");
            }
            int[] dims = new int[rank];
            long n = 1;
            for (int i = 0; i < rank; i++) {
                try {
                    dims[i] = in.readInt();
                } catch (EOFException e) {
                    throw DataFiles.corrupt(file, "truncated IDX header: " + rank + " dimensions declared, " + i
                            + " present");
                }
                if (dims[i] < 0) {
                    throw DataFiles.corrupt(file, "IDX dimension " + i + " is negative (" + dims[i] + ")");
                }
                n *= dims[i];
            }
            if (n > Integer.MAX_VALUE - 8) {
                throw DataFiles.corrupt(file, "IDX data of " + n + " values is too large for one array");
            }
            byte[] values = new byte[(int) n];
            int got = in.readNBytes(values, 0, values.length);
            if (got < values.length) {
                throw DataFiles.corrupt(file, "truncated IDX file: expected " + n + " bytes of values, found " + got);
            }
            if (in.read() >= 0) {
                throw DataFiles.corrupt(file, "IDX file has bytes after its " + n + " declared values");
            }
            return new IdxData(dims, values);
        } catch (IOException e) {
            throw DataFiles.unreadable(file, e);
        }
    }

    /**
     * An image data set from an IDX image file ({@code N x H x W} unsigned bytes) and an IDX label file
     * ({@code N} unsigned bytes). Pixels become float32 {@code value / 255} in [0, 1] (no standardisation),
     * features {@code N x (H W)} in row-major pixel order, image shape {@code {1, H, W}}.
     *
     * @param numClasses the number of classes; every label must be below it
     * @throws java.io.UncheckedIOException if a file is unreadable or corrupt, the image file is not rank 3,
     *                                      the label file not rank 1, or their counts differ
     */
    public static Dataset readImagesAndLabels(Path images, Path labels, int numClasses) {
        IdxData img = read(images);
        IdxData lab = read(labels);
        int[] dims = img.dims();
        if (dims.length != 3) {
            throw DataFiles.corrupt(images, "an IDX image file must have 3 dimensions (N, H, W), got "
                    + dims.length);
        }
        if (lab.dims().length != 1) {
            throw DataFiles.corrupt(labels, "an IDX label file must have 1 dimension, got " + lab.dims().length);
        }
        if (lab.count() != img.count()) {
            throw DataFiles.corrupt(labels, "has " + lab.count() + " labels but " + images + " has " + img.count()
                    + " images");
        }
        int[] y = new int[lab.count()];
        for (int i = 0; i < y.length; i++) {
            y[i] = lab.get(i);
            if (y[i] >= numClasses) {
                throw DataFiles.corrupt(labels, "label " + i + " is " + y[i] + ", not below " + numClasses);
            }
        }
        byte[] v = img.values();
        float[] f = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            f[i] = (v[i] & 0xff) / 255f;
        }
        int d = img.itemSize();
        return new Dataset(Nd4j.create(f, new long[] {img.count(), d}, DataType.FLOAT), y, numClasses,
                new int[] {1, dims[1], dims[2]});
    }
}
