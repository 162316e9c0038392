package org.lipot.lipschitz.layers;

import java.nio.ByteOrder;
import java.nio.IntBuffer;

import org.lipot.lipschitz.nn.Layer;
import org.lipot.lipschitz.nn.ParallelBlocks;
import org.lipot.lipschitz.nn.Tensors;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * GroupSort activation (Anil, Lucas and Grosse 2019): the channels (dimension 1) are cut into consecutive groups
 * of {@code k} and each group is sorted in ascending order, at every sample and spatial position.
 *
 * <p>For an input (N, C) or (N, C, H, W) (NCHW; any trailing dimensions), channels {@code (g k, ..., g k + k - 1)}
 * are sorted at each position. The map is a permutation of the coordinates chosen per input, piecewise linear
 * and continuous, so it is 1-Lipschitz and gradient-norm preserving; its gradient routes each output gradient
 * back to the input entry that produced it (ties: the stable order). {@code k = 2} gives {@link GroupSort2}
 * (min, max); {@link FullSort} sorts all channels; {@link MaxMin} is {@code k = 2} in descending order.
 */
public class GroupSort implements Layer {

    private final int groupSize;
    private final boolean descending;
    private int[] source;   // source[i] = flat input index feeding flat output i (general case)
    private byte[] swapped;   // pairs (k = 2): 1 where the pair was out of order, one per pair
    private int pairSpatial;
    private long[] shape;

    /**
     * Ascending sort within groups of {@code groupSize} channels.
     *
     * @throws IllegalArgumentException if {@code groupSize < 1}
     */
    public GroupSort(int groupSize) {
        this(checkGroupSize(groupSize), false);
    }

    private static int checkGroupSize(int groupSize) {
        if (groupSize < 1) {
            throw new IllegalArgumentException("groupSize must be >= 1, got " + groupSize);
        }
        return groupSize;
    }

    /**
     * @param groupSize channels per group, or 0 for the whole channel dimension
     * @param descending sort order
     */
    GroupSort(int groupSize, boolean descending) {
        this.groupSize = groupSize;
        this.descending = descending;
    }

    /** Channels per group (0 = all channels). */
    public int groupSize() {
        return groupSize;
    }

    /** The input shape, whose first (channel) dimension must be a multiple of the group size. */
    @Override
    public int[] outputShape(int[] input) {
        if (input == null || input.length < 1 || groupSize > 0 && input[0] % groupSize != 0) {
            throw new IllegalArgumentException("samples have shape " + java.util.Arrays.toString(input)
                    + ", whose channels are not a multiple of the group size " + groupSize);
        }
        return input.clone();
    }

    @Override
    public INDArray forward(INDArray input, boolean training) {
        if (input == null || input.rank() < 2) {
            throw new IllegalArgumentException("input must have rank >= 2 (N, C, ...), got "
                    + (input == null ? null : java.util.Arrays.toString(input.shape())));
        }
        Tensors.checkType(input, "input");
        int channels = (int) input.size(1);
        int k = groupSize == 0 ? channels : groupSize;
        if (channels % k != 0) {
            throw new IllegalArgumentException("input has " + channels + " channels, not a multiple of the group size "
                    + k);
        }
        shape = input.shape();
        int batch = (int) input.size(0);
        int spatial = (int) (input.length() / ((long) batch * channels));
        if (k == 2) {
            return sortPairs(input, spatial);
        }
        swapped = null;
        double[] x = Tensors.toDoubles(input);
        double[] y = new double[x.length];
        source = new int[x.length];
        int[] idx = new int[k];
        for (int nIdx = 0; nIdx < batch; nIdx++) {
            int base = nIdx * channels * spatial;
            for (int g = 0; g < channels; g += k) {
                for (int s = 0; s < spatial; s++) {
                    int first = base + g * spatial + s;
                    sortGroup(x, first, spatial, k, idx);
                    for (int j = 0; j < k; j++) {
                        int o = first + j * spatial;
                        y[o] = x[idx[j]];
                        source[o] = idx[j];
                    }
                }
            }
        }
        return Tensors.fromDoubles(y, shape, input.dataType());
    }

    /** Insertion sort of the k strided entries (stable; groups are small in practice). */
    private void sortGroup(double[] x, int first, int stride, int k, int[] idx) {
        for (int j = 0; j < k; j++) {
            int cand = first + j * stride;
            int p = j;
            while (p > 0 && (descending ? x[idx[p - 1]] < x[cand] : x[idx[p - 1]] > x[cand])) {
                idx[p] = idx[p - 1];
                p--;
            }
            idx[p] = cand;
        }
    }

    /**
     * Pairs of channels, read and written through the arrays' native buffers in bulk, a pair plane at a time on
     * both cores: the general case's double copies of a 6 M-entry conv activation cost 50-130 ms per layer and step,
     * and ND4J's element-wise operations on the strided halves of the pairs were slower still. {@code swapped}
     * keeps one byte per pair for backward.
     */
    private INDArray sortPairs(INDArray input, int spatial) {
        int n = (int) input.length();
        if (swapped == null || swapped.length != n / 2) {
            swapped = new byte[n / 2];
        }
        pairSpatial = spatial;
        source = null;
        return exchangePairs(input, true);
    }

    // Branch-free: on activations the order of a pair is a coin flip, and the branches of "if out of order, swap"
    // were mispredicted half the time (a 256 x 32 x 28 x 28 pair sort took 11 ms on both cores and its gradient
    // 8.8 ms; by flags and a masked exchange of the words, 4 and 3.5 ms).

    /**
     * A copy of {@code a} with the two channels of each pair exchanged where {@code swapped} says so, after setting
     * {@code swapped} from the values first when {@code sort}. The exchange only moves values, so it moves 32-bit
     * words (a float64 is two).
     */
    private INDArray exchangePairs(INDArray values, boolean sort) {
        INDArray a = Tensors.dense(values);
        INDArray out = Nd4j.createUninitialized(a.dataType(), shape, 'c');
        int shift = a.dataType() == DataType.DOUBLE ? 1 : 0; // words per value: 1 << shift
        int spatial = pairSpatial;
        int run = spatial << shift;
        IntBuffer in = Tensors.words(a);
        IntBuffer to = Tensors.words(out);
        byte[] sw = swapped;
        boolean desc = descending;
        ParallelBlocks.run((int) (a.length() / (2 * spatial)), (t, from, end) -> {
            int[] u = new int[run];
            int[] v = new int[run];
            for (int q = from; q < end; q++) {
                int base = 2 * q * run;
                in.get(base, u, 0, run);
                in.get(base + run, v, 0, run);
                if (sort) {
                    outOfOrder(u, v, shift, desc, sw, q * spatial);
                }
                for (int k = 0; k < run; k++) {
                    int mask = -sw[q * spatial + (k >> shift)]; // all ones where swapped
                    int d = (u[k] ^ v[k]) & mask;
                    u[k] ^= d;
                    v[k] ^= d;
                }
                to.put(base, u, 0, run);
                to.put(base + run, v, 0, run);
            }
        });
        return out;
    }

    /**
     * {@code sw[off + s] = 1} where the values of words {@code u} and {@code v} at position {@code s} are out of order
     * (ascending, or descending), else 0: ties keep their order, as the stable sort does, and so does a NaN.
     */
    private static void outOfOrder(int[] u, int[] v, int shift, boolean descending, byte[] sw, int off) {
        if (shift == 0) {
            for (int s = 0; s < u.length; s++) {
                float a = Float.intBitsToFloat(u[s]);
                float b = Float.intBitsToFloat(v[s]);
                sw[off + s] = (byte) ((descending ? a < b : a > b) ? 1 : 0);
            }
        } else {
            for (int s = 0; s < u.length / 2; s++) {
                double a = Double.longBitsToDouble(bits(u, 2 * s));
                double b = Double.longBitsToDouble(bits(v, 2 * s));
                sw[off + s] = (byte) ((descending ? a < b : a > b) ? 1 : 0);
            }
        }
    }

    private static final boolean LITTLE_ENDIAN = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN;

    /** The 64 bits of the two native-order words at {@code w[i]}, {@code w[i + 1]}. */
    private static long bits(int[] w, int i) {
        long first = w[i] & 0xffffffffL;
        long second = w[i + 1] & 0xffffffffL;
        return LITTLE_ENDIAN ? second << 32 | first : first << 32 | second;
    }

    @Override
    public INDArray backward(INDArray gradOutput) {
        if (source == null && swapped == null) {
            throw new IllegalStateException("backward called before forward");
        }
        if (gradOutput == null || !java.util.Arrays.equals(gradOutput.shape(), shape)) {
            throw new IllegalArgumentException("gradOutput has shape "
                    + (gradOutput == null ? null : java.util.Arrays.toString(gradOutput.shape()))
                    + " but the output has shape " + java.util.Arrays.toString(shape));
        }
        if (swapped != null) { // each output's gradient goes back to the input it came from
            return exchangePairs(gradOutput, false);
        }
        double[] g = Tensors.toDoubles(gradOutput);
        double[] gx = new double[g.length];
        for (int o = 0; o < g.length; o++) {
            gx[source[o]] = g[o];
        }
        return Tensors.fromDoubles(gx, shape, gradOutput.dataType());
    }

    /** 1: a coordinate permutation. */
    @Override
    public double lipschitzBound() {
        return 1.0;
    }

    /** A new instance with the same grouping (the layer has no weights). */
    @Override
    public Layer export() {
        return new GroupSort(groupSize, descending);
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[groupSize=" + groupSize + (descending ? ", descending" : "") + "]";
    }
}
