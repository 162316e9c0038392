package org.lipot.lipschitz.layers;

import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;

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
            return sortPairs(input, batch, channels / 2, spatial);
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
                    if (k == 2) {
                        int a = first;
                        int b = first + spatial;
                        boolean swap = descending ? x[a] < x[b] : x[a] > x[b];
                        idx[0] = swap ? b : a;
                        idx[1] = swap ? a : b;
                    } else {
                        sortGroup(x, first, spatial, k, idx);
                    }
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
     * Pairs of channels, read and written in place through the arrays' native buffers: the general case's double
     * copies of a 6 M-entry conv activation cost 50-130 ms per layer and step, and ND4J's element-wise operations on
     * the strided halves of the pairs were slower still. {@code swapped} keeps one byte per pair for backward.
     */
    private INDArray sortPairs(INDArray input, int batch, int pairs, int spatial) {
        INDArray x = input.ordering() == 'c' && !input.isView() ? input : input.dup('c');
        INDArray y = Nd4j.createUninitialized(input.dataType(), shape, 'c');
        int n = (int) input.length();
        if (swapped == null || swapped.length != n / 2) {
            swapped = new byte[n / 2];
        }
        if (input.dataType() == DataType.FLOAT) {
            FloatBuffer xb = floats(x);
            FloatBuffer yb = floats(y);
            byte[] sw = swapped;
            boolean desc = descending;
            // pair planes in parallel, each copied in and out in bulk (element-wise buffer access is bounds-checked)
            ParallelBlocks.run(n / (2 * spatial), (t, from, to) -> {
                float[] a = new float[spatial];
                float[] b = new float[spatial];
                for (int q = from; q < to; q++) {
                    int base = 2 * q * spatial;
                    xb.get(base, a, 0, spatial);
                    xb.get(base + spatial, b, 0, spatial);
                    for (int s = 0; s < spatial; s++) {
                        float u = a[s];
                        float v = b[s];
                        boolean swap = desc ? u < v : u > v; // ties keep their order, as the stable sort does
                        sw[q * spatial + s] = (byte) (swap ? 1 : 0);
                        a[s] = swap ? v : u;
                        b[s] = swap ? u : v;
                    }
                    yb.put(base, a, 0, spatial);
                    yb.put(base + spatial, b, 0, spatial);
                }
            });
        } else {
            DoubleBuffer xb = doubles(x);
            DoubleBuffer yb = doubles(y);
            for (int p = 0, base = 0; base < n; base += 2 * spatial) {
                for (int s = 0; s < spatial; s++, p++) {
                    double a = xb.get(base + s);
                    double b = xb.get(base + spatial + s);
                    boolean swap = descending ? a < b : a > b;
                    swapped[p] = (byte) (swap ? 1 : 0);
                    yb.put(base + s, swap ? b : a);
                    yb.put(base + spatial + s, swap ? a : b);
                }
            }
        }
        pairSpatial = spatial;
        source = null;
        return y;
    }

    /** The pairs' gradient: each output's gradient goes back to the input it came from. */
    private INDArray unsortPairs(INDArray gradOutput) {
        INDArray g = gradOutput.ordering() == 'c' && !gradOutput.isView() ? gradOutput : gradOutput.dup('c');
        INDArray gx = Nd4j.createUninitialized(g.dataType(), shape, 'c');
        int n = (int) g.length();
        int spatial = pairSpatial;
        if (g.dataType() == DataType.FLOAT) {
            FloatBuffer gb = floats(g);
            FloatBuffer xb = floats(gx);
            byte[] sw = swapped;
            ParallelBlocks.run(n / (2 * spatial), (t, from, to) -> {
                float[] a = new float[spatial];
                float[] b = new float[spatial];
                for (int q = from; q < to; q++) {
                    int base = 2 * q * spatial;
                    gb.get(base, a, 0, spatial);
                    gb.get(base + spatial, b, 0, spatial);
                    for (int s = 0; s < spatial; s++) {
                        if (sw[q * spatial + s] != 0) {
                            float u = a[s];
                            a[s] = b[s];
                            b[s] = u;
                        }
                    }
                    xb.put(base, a, 0, spatial);
                    xb.put(base + spatial, b, 0, spatial);
                }
            });
        } else {
            DoubleBuffer gb = doubles(g);
            DoubleBuffer xb = doubles(gx);
            for (int p = 0, base = 0; base < n; base += 2 * spatial) {
                for (int s = 0; s < spatial; s++, p++) {
                    boolean swap = swapped[p] != 0;
                    double g0 = gb.get(base + s);
                    double g1 = gb.get(base + spatial + s);
                    xb.put(base + s, swap ? g1 : g0);
                    xb.put(base + spatial + s, swap ? g0 : g1);
                }
            }
        }
        return gx;
    }

    /** A view of a dense C-order array's native memory. */
    private static FloatBuffer floats(INDArray a) {
        return a.data().asNio().order(ByteOrder.nativeOrder()).asFloatBuffer();
    }

    private static DoubleBuffer doubles(INDArray a) {
        return a.data().asNio().order(ByteOrder.nativeOrder()).asDoubleBuffer();
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
        if (swapped != null) {
            return unsortPairs(gradOutput);
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
