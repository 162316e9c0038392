package org.lipot.lipschitz.param;

import java.lang.reflect.Array;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

import org.lipot.lipschitz.nn.ParallelBlocks;
import org.lipot.lipschitz.nn.Tensors;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Batched 2-D convolution and its two backward passes, stateless (EJML style): outputs are written into optional
 * caller arrays and returned.
 *
 * <p>With {@code g} a {@link ConvGeometry}, {@code x} of shape (N, cin, h, w), kernel {@code k} (cout, cin, kh, kw)
 * and bias {@code b} (cout):
 * <pre>
 *   forward:         y[n][o][y'][z'] = b[o] + sum_{c,i,j} k[o][c][i][j] xpad[n][c][sh y' + i - padTop][sw z' + j - padLeft]
 *   backwardInput:   dx = T^T dy    (the adjoint, i.e. the transposed convolution; for circular padding the
 *                                    wrapped contributions are folded back onto the pixels they came from)
 *   backwardKernel:  dk[o][c][i][j] = sum_{n,y',z'} dy[n][o][y'][z'] xpad[n][c][sh y' + i - padTop][sw z' + j - padLeft]
 *   backwardBias:    db[o] = sum_{n,y',z'} dy[n][o][y'][z']
 * </pre>
 * {@code backwardInput} is also the forward pass of a transposed-convolution layer with the same kernel.
 *
 * <p><b>Method</b>: im2col + GEMM. A gather table maps each entry of the column matrix (rows {@code (c, i, j)} in
 * the kernel's C order, columns {@code (n, y', z')}) to its input pixel or to a zero (padding); circular padding is
 * the same table with indices taken modulo the input size, so no padded copy of the input is made. The forward is
 * one GEMM {@code (cout x cin kh kw) (cin kh kw x N P)}, {@code P = outH outW}; the input backward is the transposed
 * GEMM followed by a scatter-add through the same table (col2im), or, at stride 1 with an odd kernel, "same" padding
 * and no more output than input channels, the forward convolution of {@code dy} with the flipped kernel (which
 * moves fewer values); the kernel backward is {@code dY cols^T}. Batches
 * whose column matrix would exceed {@value #MAX_COLUMN_ENTRIES} entries are processed in chunks of samples.
 * Measured against ND4J's {@code conv2d}/{@code conv2d_bp} custom ops in docs/decisions/0007-conv-kernels.md.
 *
 * <p>Arrays follow the input's data type: float32 (training) or float64 (checks); every array of one call must
 * have the same type. Outputs that are {@code null} are allocated; outputs given must have the exact shape and type
 * and are overwritten (the kernel and bias gradients can instead be accumulated, see {@link #backward}).
 */
public final class Conv2dOps {

    /** Largest column matrix (entries) built at once; larger batches are split into chunks of samples. */
    static final int MAX_COLUMN_ENTRIES = 1 << 23;

    /**
     * Largest column matrix of a whole batch (entries) that a forward keeps for the backward
     * ({@link Workspace#keepColumns}): 256 MB in float32.
     */
    static final long MAX_KEPT_ENTRIES = 1L << 26;

    private Conv2dOps() {
    }

    /** Same as {@link #forward(INDArray, INDArray, INDArray, ConvGeometry, INDArray, Workspace)} with fresh buffers. */
    public static INDArray forward(INDArray x, INDArray kernel, INDArray bias, ConvGeometry g, INDArray out) {
        return forward(x, kernel, bias, g, out, new Workspace());
    }

    /**
     * {@code y = conv(x, k) + b}. The bias rides on the GEMM as an extra row of ones in the column matrix.
     *
     * @param x         input (N, cin, h, w), not modified
     * @param kernel    (cout, cin, kh, kw), not modified
     * @param bias      (cout) or null for no bias, not modified
     * @param g         the geometry
     * @param out       (N, cout, outH, outW), dense C order, to overwrite; or null
     * @param workspace reusable buffers (modified)
     * @return {@code out}, or a new array
     * @throws IllegalArgumentException if a shape or data type does not match {@code g} and {@code x}
     */
    public static INDArray forward(INDArray x, INDArray kernel, INDArray bias, ConvGeometry g, INDArray out,
                                   Workspace workspace) {
        int n = batch(x, g.inputShape(x != null && x.rank() == 4 ? x.size(0) : 0), "x", g);
        DataType t = x.dataType();
        check(kernel, g.kernelShape(), t, "kernel");
        if (bias != null) {
            check(bias, new long[] {g.cout()}, t, "bias");
        }
        out = output(out, g.outputShape(n), t, "out");
        int rows = g.cin() * g.kh() * g.kw();
        INDArray k2 = kernel.reshape('c', g.cout(), rows);
        if (bias != null) {
            INDArray kb = workspace.array("kernelBias", t, g.cout(), rows + 1);
            kb.get(NDArrayIndex.all(), NDArrayIndex.interval(0, rows)).assign(k2);
            kb.getColumn(rows).assign(bias);
            k2 = kb;
        }
        Columns cols = new Columns(g, Tensors.dense(x), bias != null, workspace);
        int p = cols.pixels;
        boolean keep = workspace.keep && (long) cols.rows * p * n <= MAX_KEPT_ENTRIES;
        workspace.kept = null;
        for (int n0 = 0; n0 < n; n0 += cols.chunk) {
            int nb = Math.min(cols.chunk, n - n0);
            INDArray c = cols.fill(n0, nb, keep ? Columns.keptRole(n0 / cols.chunk) : Columns.ROLE);
            INDArray y2 = workspace.array("product", t, g.cout(), (long) nb * p);
            Nd4j.gemm(k2, c, y2, false, false, 1.0, 0.0);
            transposeBlocks(y2, out, n0, nb, g.cout(), p, true);
        }
        if (keep) {
            workspace.kept = new Kept(x, g, cols.rows, n);
        }
        return out;
    }

    /**
     * {@code dx = T^T dy}: the gradient with respect to the input (the transposed convolution), fresh buffers.
     *
     * @param gradOut {@code dy} (N, cout, outH, outW), not modified
     * @param kernel  (cout, cin, kh, kw), not modified
     * @param g       the geometry
     * @param gradIn  (N, cin, h, w), dense C order, to overwrite; or null
     * @return {@code gradIn}, or a new array
     * @throws IllegalArgumentException if a shape or data type does not match
     */
    public static INDArray backwardInput(INDArray gradOut, INDArray kernel, ConvGeometry g, INDArray gradIn) {
        return backward(null, gradOut, kernel, g, gradIn, null, null, false, new Workspace()).gradIn;
    }

    /**
     * {@code dk} (and nothing else): the gradient with respect to the kernel, fresh buffers.
     *
     * @param x          the forward's input (N, cin, h, w), not modified
     * @param gradOut    {@code dy} (N, cout, outH, outW), not modified
     * @param g          the geometry
     * @param gradKernel (cout, cin, kh, kw) to overwrite, or null
     * @return {@code gradKernel}, or a new array
     * @throws IllegalArgumentException if a shape or data type does not match
     */
    public static INDArray backwardKernel(INDArray x, INDArray gradOut, ConvGeometry g, INDArray gradKernel) {
        if (gradKernel == null) {
            gradKernel = Nd4j.create(gradOut.dataType(), g.kernelShape());
        }
        return backward(x, gradOut, null, g, null, gradKernel, null, false, new Workspace()).gradKernel;
    }

    /**
     * {@code db[o] = sum_{n,y,z} dy[n][o][y][z]}.
     *
     * @param gradOut  {@code dy} (N, cout, outH, outW), not modified
     * @param gradBias (cout) to overwrite, or null
     * @return {@code gradBias}, or a new array
     * @throws IllegalArgumentException if {@code gradOut} is not 4-D or {@code gradBias} has the wrong shape
     */
    public static INDArray backwardBias(INDArray gradOut, INDArray gradBias) {
        if (gradOut == null || gradOut.rank() != 4) {
            throw new IllegalArgumentException("gradOut must be (N, cout, outH, outW), got "
                    + (gradOut == null ? null : Arrays.toString(gradOut.shape())));
        }
        INDArray s = gradOut.sum(0, 2, 3);
        if (gradBias == null) {
            return s;
        }
        check(gradBias, new long[] {gradOut.size(1)}, gradOut.dataType(), "gradBias");
        return gradBias.assign(s);
    }

    /** The gradients computed by {@link #backward}; a field is null when it was not asked for. */
    public record Gradients(INDArray gradIn, INDArray gradKernel, INDArray gradBias) {
    }

    /** Same as {@link #backward(INDArray, INDArray, INDArray, ConvGeometry, INDArray, INDArray, INDArray, boolean,
     * Workspace)} with fresh buffers. */
    public static Gradients backward(INDArray x, INDArray gradOut, INDArray kernel, ConvGeometry g, INDArray gradIn,
                                     INDArray gradKernel, INDArray gradBias, boolean accumulate) {
        return backward(x, gradOut, kernel, g, gradIn, gradKernel, gradBias, accumulate, new Workspace());
    }

    /**
     * Every gradient in one pass, sharing the rearranged {@code dy} and the column matrix (the bias gradient rides
     * on the kernel GEMM as the row of ones). A gradient is computed when asked for: {@code gradIn} when
     * {@code kernel} is not null (pass {@code gradIn = null} to have it allocated), {@code gradKernel} /
     * {@code gradBias} when not null (then {@code x} is needed for the kernel).
     *
     * @param x          the forward's input (N, cin, h, w), or null if {@code gradKernel} is null
     * @param gradOut    {@code dy} (N, cout, outH, outW), not modified
     * @param kernel     (cout, cin, kh, kw), or null to skip {@code gradIn}
     * @param g          the geometry
     * @param gradIn     (N, cin, h, w), dense C order, to overwrite; or null (allocated when {@code kernel} is given)
     * @param gradKernel (cout, cin, kh, kw) to write, or null to skip
     * @param gradBias   (cout) to write, or null to skip
     * @param accumulate whether to add into {@code gradKernel} and {@code gradBias} instead of overwriting them
     *                   ({@code gradIn} is always overwritten)
     * @param workspace  reusable buffers (modified)
     * @throws IllegalArgumentException if a shape or data type does not match, or {@code x} is missing
     */
    public static Gradients backward(INDArray x, INDArray gradOut, INDArray kernel, ConvGeometry g, INDArray gradIn,
                                     INDArray gradKernel, INDArray gradBias, boolean accumulate,
                                     Workspace workspace) {
        int n = batch(gradOut, g.outputShape(gradOut != null && gradOut.rank() == 4 ? gradOut.size(0) : 0),
                "gradOut", g);
        DataType t = gradOut.dataType();
        int rows = g.cin() * g.kh() * g.kw();
        if (kernel != null) {
            check(kernel, g.kernelShape(), t, "kernel");
            gradIn = output(gradIn, g.inputShape(n), t, "gradIn");
        }
        if (gradBias != null) {
            check(gradBias, new long[] {g.cout()}, t, "gradBias");
        }
        Columns cols = null;
        if (gradKernel != null) {
            check(gradKernel, g.kernelShape(), t, "gradKernel");
            if (x == null) {
                throw new IllegalArgumentException("x is needed for the kernel gradient");
            }
            batch(x, g.inputShape(n), "x", g);
            if (x.dataType() != t) {
                throw new IllegalArgumentException("x has data type " + x.dataType() + " but gradOut has " + t);
            }
            cols = new Columns(g, Tensors.dense(x), gradBias != null, workspace);
            cols.useKept(x, n);
        } else if (gradBias != null) {
            INDArray s = gradOut.sum(0, 2, 3);
            if (accumulate) {
                gradBias.addi(s);
            } else {
                gradBias.assign(s);
            }
        }
        if (kernel == null && cols == null) {
            return new Gradients(null, null, gradBias);
        }
        INDArray dy = Tensors.dense(gradOut);
        boolean byAdjoint = kernel != null && adjointIsConvolution(g);
        boolean byScatter = kernel != null && !byAdjoint;
        Scatter scatter = byScatter ? new Scatter(g, gradIn, workspace) : null;
        INDArray k2 = byScatter ? kernel.reshape('c', g.cout(), rows) : null;
        INDArray gk2 = cols == null ? null : workspace.array("kernelGradient", t, g.cout(), cols.rows);
        int p = g.outH() * g.outW();
        int chunk = cols != null ? cols.chunk : Columns.chunk(rows, p, n);
        for (int n0 = 0; (cols != null || byScatter) && n0 < n; n0 += chunk) {
            int nb = Math.min(chunk, n - n0);
            INDArray dy2 = workspace.array("outputGradient", t, g.cout(), nb, p);
            transposeBlocks(dy2, dy, n0, nb, g.cout(), p, false);
            INDArray dy2m = dy2.reshape('c', g.cout(), (long) nb * p);
            if (cols != null) {
                Nd4j.gemm(dy2m, cols.of(n0, nb), gk2, false, true, 1.0, n0 == 0 ? 0.0 : 1.0);
            }
            if (k2 != null) {
                INDArray dcols = workspace.array("columnGradient", t, rows, (long) nb * p);
                Nd4j.gemm(k2, dy2m, dcols, true, false, 1.0, 0.0);
                scatter.add(dcols, n0, nb);
            }
        }
        if (cols != null) {
            INDArray gk = gk2.get(NDArrayIndex.all(), NDArrayIndex.interval(0, rows)).reshape(g.kernelShape());
            INDArray gb = gradBias == null ? null : gk2.getColumn(rows);
            if (accumulate) {
                gradKernel.addi(gk);
                if (gb != null) {
                    gradBias.addi(gb);
                }
            } else {
                gradKernel.assign(gk);
                if (gb != null) {
                    gradBias.assign(gb);
                }
            }
        }
        if (byAdjoint) {
            Workspace aw = workspace.adjoint();
            ConvGeometry ga = new ConvGeometry(g.cout(), g.cin(), g.kh(), g.kw(), 1, 1, g.padding(), g.h(), g.w());
            forward(dy, adjointKernel(kernel, g, aw), null, ga, gradIn, aw);
        }
        return new Gradients(gradIn, gradKernel, gradBias);
    }

    /**
     * Whether the input gradient is computed as a forward convolution of {@code dy} instead of a GEMM into a column
     * gradient and its scatter-add (col2im). At stride 1 with an odd kernel and "same" zero or circular padding,
     * {@code T^T} is the convolution with the kernel transposed in its channels and flipped in space,
     * {@code k'[c][o][i][j] = k[o][c][kh-1-i][kw-1-j]}, with the same padding (padTop = kh - 1 - padTop). That reads a
     * column matrix of {@code cout kh kw} rows instead of writing one of {@code cin kh kw}: the cheaper way when
     * {@code cout <= cin} (32 -> 32 channels on 256 images of 28 x 28: 50-56 ms against 65-72, float32, 2026-12-03).
     */
    private static boolean adjointIsConvolution(ConvGeometry g) {
        return g.sh() == 1 && g.sw() == 1 && g.kh() % 2 == 1 && g.kw() % 2 == 1
                && g.padding() != ConvGeometry.Padding.ZERO_VALID && g.cout() <= g.cin();
    }

    /** The kernel of the adjoint convolution (see {@link #adjointIsConvolution}), in a buffer of {@code ws}. */
    private static INDArray adjointKernel(INDArray kernel, ConvGeometry g, Workspace ws) {
        INDArray k = Tensors.dense(kernel);
        INDArray out = ws.array("kernel", k.dataType(), g.cin(), g.cout(), g.kh(), g.kw());
        int w = k.dataType() == DataType.DOUBLE ? 2 : 1;
        int taps = g.kh() * g.kw();
        IntBuffer from = Tensors.words(k);
        IntBuffer to = Tensors.words(out);
        for (int o = 0; o < g.cout(); o++) {
            for (int c = 0; c < g.cin(); c++) {
                for (int q = 0; q < taps; q++) {
                    // tap (i, j) = q goes to (kh-1-i, kw-1-j) = taps-1-q
                    to.put(((c * g.cout() + o) * taps + taps - 1 - q) * w, from, ((o * g.cin() + c) * taps + q) * w, w);
                }
            }
        }
        return out;
    }

    /**
     * Reusable buffers of {@link Conv2dOps} (column matrices, GEMM products, gather tables, Java staging arrays):
     * fresh off-heap arrays of tens of MB cost more than the GEMM (measured: 25-50 ms to create the 29 MB column
     * matrix of a 256 x 16 x 14 x 14 batch, against 7-11 ms for its GEMM), so a layer keeps one workspace and
     * passes it to every call. Arrays are reused while the shapes repeat and replaced when they change. Not
     * thread-safe; holds no results (outputs are never workspace arrays).
     */
    public static final class Workspace {
        private final Map<String, INDArray> arrays = new HashMap<>();
        private boolean keep;
        /** What the kept column matrices hold, or null. */
        private Kept kept;
        private final Map<String, Object> javaArrays = new HashMap<>();
        private final Map<Integer, Runs> runs = new HashMap<>();
        private ConvGeometry runsGeometry;
        /** The buffers of the input gradient's adjoint convolution, or null before its first use. */
        private Workspace adjoint;

        /** An empty workspace; buffers are allocated on first use. */
        public Workspace() {
        }

        /**
         * Whether {@link #forward} keeps its column matrices (a whole batch's, up to {@value #MAX_KEPT_ENTRIES}
         * entries) for a {@link #backward} on the same input array, which then skips rebuilding them for the kernel
         * gradient. Default false (inference and norm iterations need no backward on the same input). The input
         * must not be modified in between: the match is by reference. The kept buffers stay allocated with the
         * workspace, for the next training step.
         *
         * @param keep whether to keep the column matrices from now on
         */
        public void keepColumns(boolean keep) {
            this.keep = keep;
            if (!keep) {
                kept = null;
            }
        }

        /** A workspace of its own for the adjoint convolution, whose geometry differs from the forward's. */
        private Workspace adjoint() {
            if (adjoint == null) {
                adjoint = new Workspace();
            }
            return adjoint;
        }

        INDArray array(String role, DataType t, long... shape) {
            INDArray a = arrays.get(role);
            if (a != null && a.dataType() == t && Arrays.equals(a.shape(), shape)) {
                return a;
            }
            long length = 1;
            for (long d : shape) {
                length *= d;
            }
            // a smaller array of the same role (the last chunk of a batch) lives at the start of the larger buffer:
            // fresh off-heap pages cost more than the GEMM they feed
            if (a == null || a.dataType() != t || a.data().length() < length) {
                a = Nd4j.createUninitialized(t, shape, 'c');
            } else {
                a = Nd4j.create(a.data(), shape, Nd4j.getStrides(shape, 'c'), 0, 'c');
            }
            arrays.put(role, a);
            return a;
        }

        float[] floats(String role, int length) {
            return (float[]) javaArray(role, float.class, length);
        }

        double[] doubles(String role, int length) {
            return (double[]) javaArray(role, double.class, length);
        }

        int[] ints(String role, int length) {
            return (int[]) javaArray(role, int.class, length);
        }

        /** A primitive array of at least {@code length} entries, kept under {@code role} (contents undefined). */
        private Object javaArray(String role, Class<?> component, int length) {
            Object a = javaArrays.get(role);
            if (a == null || a.getClass().getComponentType() != component || Array.getLength(a) < length) {
                a = Array.newInstance(component, length);
                javaArrays.put(role, a);
            }
            return a;
        }

        /**
         * {@link #gatherTable} of {@code g} over values of {@code words} 32-bit words each, cut into {@link Runs}:
         * with holes bridged for a gather, without for a scatter.
         */
        Runs runs(ConvGeometry g, int words, boolean bridgeHoles) {
            if (!g.equals(runsGeometry)) {
                runs.clear();
                runsGeometry = g;
            }
            return runs.computeIfAbsent(2 * words + (bridgeHoles ? 1 : 0), key -> {
                int[] base = gatherTable(g);
                int[] e = new int[base.length * words];
                for (int q = 0; q < base.length; q++) {
                    for (int k = 0; k < words; k++) {
                        e[q * words + k] = base[q] < 0 ? -1 : base[q] * words + k;
                    }
                }
                return Runs.of(e, g.cin() * g.kh() * g.kw(), bridgeHoles ? 4 * words : 0);
            });
        }
    }

    /** The input, geometry, column rows and batch size whose column matrices a workspace keeps. */
    private record Kept(INDArray input, ConvGeometry g, int rows, int n) {
    }

    /**
     * A gather table as runs: row {@code r} of the column matrix is runs {@code start[r] <= k < start[r + 1]}, run
     * {@code k} covering entries {@code [to[k], to[k] + length[k])} of the row with words
     * {@code from[k] + step[k] q}, {@code q < length[k]}, of the input, or with zeros when {@code from[k] < 0};
     * then the entries {@code holes[h]}, {@code holeStart[r] <= h < holeStart[r + 1]}, are zeros. A stride-1
     * convolution's row is a few dozen runs of a whole image row each, copied by {@code System.arraycopy} (measured:
     * the per-entry table gather ran at a few hundred MB/s and was most of a 32 -> 32 channel conv). For a gather,
     * a run of step 1 bridges a few padding zeros when the words after them continue it (a 3 x 3 kernel's side
     * columns read image rows with one padding zero between them): the bridge copies a neighbouring pixel that the
     * hole then overwrites, so a row is one long copy and some stores instead of 28 copies and 28 fills (the gather
     * was a fifth of a conv training step's CPU time, mostly its per-run overhead). A scatter must not add the
     * bridged values, so its runs have no holes.
     */
    static final class Runs {
        final int[] start;
        final int[] to;
        final int[] from;
        final int[] step;
        final int[] length;
        final int[] holeStart;
        final int[] holes;

        private Runs(int rows, int count, int holeCount) {
            start = new int[rows + 1];
            to = new int[count];
            from = new int[count];
            step = new int[count];
            length = new int[count];
            holeStart = new int[rows + 1];
            holes = new int[holeCount];
        }

        /**
         * The runs of a table of {@code rows} rows of equal length, bridging gaps of zeros up to {@code bridge}
         * entries long (0: none) inside runs of step 1.
         */
        static Runs of(int[] table, int rows, int bridge) {
            int perRow = table.length / rows;
            long counts = cut(table, rows, perRow, bridge, null);
            Runs runs = new Runs(rows, (int) (counts >>> 32), (int) counts);
            cut(table, rows, perRow, bridge, runs);
            return runs;
        }

        /**
         * Cuts the table into maximal runs (zeros, or words at a constant positive step, step-1 runs bridging short
         * gaps of zeros), filling {@code out} unless it is null; returns the number of runs times 2^32 plus the
         * number of holes.
         */
        private static long cut(int[] table, int rows, int perRow, int bridge, Runs out) {
            boolean fill = out != null;
            int k = 0;
            int h = 0;
            for (int r = 0; r < rows; r++) {
                if (fill) {
                    out.start[r] = k;
                    out.holeStart[r] = h;
                }
                int base = r * perRow;
                int q = 0;
                while (q < perRow) {
                    int first = table[base + q];
                    int step = first >= 0 && q + 1 < perRow && table[base + q + 1] > first
                            ? table[base + q + 1] - first : 1;
                    int len = 1;
                    while (q + len < perRow) {
                        int next = table[base + q + len];
                        if (first < 0 ? next < 0 : next == first + step * len) {
                            len++;
                            continue;
                        }
                        int gap = 0;
                        while (first >= 0 && step == 1 && gap < bridge && q + len + gap < perRow
                                && table[base + q + len + gap] < 0) {
                            gap++;
                        }
                        if (gap == 0 || q + len + gap >= perRow || table[base + q + len + gap] != first + len + gap) {
                            break;
                        }
                        for (int z = 0; z < gap; z++, h++) {
                            if (fill) {
                                out.holes[h] = q + len + z;
                            }
                        }
                        len += gap;
                    }
                    if (fill) {
                        out.to[k] = q;
                        out.from[k] = first;
                        out.step[k] = step;
                        out.length[k] = len;
                    }
                    k++;
                    q += len;
                }
            }
            if (fill) {
                out.start[rows] = k;
                out.holeStart[rows] = h;
            }
            return (long) k << 32 | h;
        }
    }

    /**
     * For each column-matrix row {@code r = (c, i, j)} and output pixel {@code q = (y', z')}, the index
     * {@code c h w + row w + col} of the input pixel it reads, or -1 where it reads zero padding.
     */
    static int[] gatherTable(ConvGeometry g) {
        int oh = g.outH();
        int ow = g.outW();
        int p = oh * ow;
        int[] table = new int[g.cin() * g.kh() * g.kw() * p];
        boolean circular = g.padding() == ConvGeometry.Padding.CIRCULAR;
        int r = 0;
        for (int c = 0; c < g.cin(); c++) {
            for (int i = 0; i < g.kh(); i++) {
                for (int j = 0; j < g.kw(); j++, r++) {
                    for (int y = 0; y < oh; y++) {
                        int row = y * g.sh() + i - g.padTop();
                        if (circular) {
                            row = Math.floorMod(row, g.h());
                        }
                        for (int z = 0; z < ow; z++) {
                            int col = z * g.sw() + j - g.padLeft();
                            if (circular) {
                                col = Math.floorMod(col, g.w());
                            }
                            boolean inside = row >= 0 && row < g.h() && col >= 0 && col < g.w();
                            table[r * p + y * ow + z] = inside ? (c * g.h() + row) * g.w() + col : -1;
                        }
                    }
                }
            }
        }
        return table;
    }

    /**
     * Copies between the channel-major block {@code cm} (channels, nb, pixels) of a chunk and samples
     * {@code [n0, n0 + nb)} of the dense NCHW array {@code nchw}, one contiguous run of {@code pixels} values at a
     * time, into {@code nchw} if {@code toSamples}, else out of it. (ND4J's assign of a permuted array into a view of
     * a chunk took 8 times the GEMM: 265 ms instead of 32 for a 32 -> 64 channel conv of 256 images of 14 x 14.)
     */
    private static void transposeBlocks(INDArray cm, INDArray nchw, int n0, int nb, int channels, int pixels,
                                        boolean toSamples) {
        int w = cm.dataType() == DataType.DOUBLE ? 2 : 1;
        int run = pixels * w;
        IntBuffer block = Tensors.words(cm);
        IntBuffer samples = Tensors.words(nchw);
        ParallelBlocks.run(channels, (t, from, to) -> {
            for (int o = from; o < to; o++) {
                for (int s = 0; s < nb; s++) {
                    int b = (o * nb + s) * run;
                    int a = ((n0 + s) * channels + o) * run;
                    if (toSamples) {
                        samples.put(a, block, b, run);
                    } else {
                        block.put(b, samples, a, run);
                    }
                }
            }
        });
    }

    private static int batch(INDArray a, long[] expected, String name, ConvGeometry g) {
        if (a == null || a.rank() != 4 || !Arrays.equals(a.shape(), expected) || a.size(0) < 1) {
            throw new IllegalArgumentException(name + " has shape " + (a == null ? null : Arrays.toString(a.shape()))
                    + " but " + g + " needs " + Arrays.toString(expected) + " with N >= 1");
        }
        if (a.dataType() != DataType.FLOAT && a.dataType() != DataType.DOUBLE) {
            throw new IllegalArgumentException(name + " must be float32 or float64, got " + a.dataType());
        }
        if (a.size(0) > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(name + " has too many samples: " + a.size(0));
        }
        return (int) a.size(0);
    }

    private static void check(INDArray a, long[] shape, DataType t, String name) {
        if (a == null || !Arrays.equals(a.shape(), shape)) {
            throw new IllegalArgumentException(name + " has shape " + (a == null ? null : Arrays.toString(a.shape()))
                    + ", expected " + Arrays.toString(shape));
        }
        if (a.dataType() != t) {
            throw new IllegalArgumentException(name + " has data type " + a.dataType() + ", expected " + t);
        }
    }

    private static INDArray output(INDArray out, long[] shape, DataType t, String name) {
        if (out == null) {
            return Nd4j.createUninitialized(t, shape, 'c');
        }
        check(out, shape, t, name);
        if (out.isView() || out.ordering() != 'c') {
            throw new IllegalArgumentException(name + " must be a dense C-order array, not a view");
        }
        return out;
    }

    /**
     * The column matrix of one input, filled chunk by chunk: rows {@code (c, i, j)} (plus a row of ones when a bias
     * rides on the GEMM), columns {@code (n, y', z')}.
     */
    private static final class Columns {
        final int rows;
        final int pixels;
        final int chunk;
        private final int gathered;
        private final int chw;
        private final INDArray x;
        private final ConvGeometry g;
        private final Workspace ws;

        Columns(ConvGeometry g, INDArray x, boolean onesRow, Workspace ws) {
            this.g = g;
            this.gathered = g.cin() * g.kh() * g.kw();
            this.rows = gathered + (onesRow ? 1 : 0);
            this.pixels = g.outH() * g.outW();
            this.chunk = chunk(rows, pixels, (int) x.size(0));
            this.chw = g.inputSize();
            this.x = x;
            this.ws = ws;
        }

        /** The workspace role of the column buffer when nothing is kept. */
        static final String ROLE = "columns";

        private boolean useKept;

        /** The workspace role of kept chunk {@code k}. */
        static String keptRole(int k) {
            return ROLE + k;
        }

        /** Takes the workspace's kept column matrices if they are those of {@code input} (same array) here. */
        void useKept(INDArray input, int n) {
            Kept k = ws.kept;
            useKept = k != null && k.input() == input && k.g().equals(g) && k.rows() == rows && k.n() == n;
        }

        /** The column matrix of samples {@code [n0, n0 + nb)}: the kept one, or filled now. */
        INDArray of(int n0, int nb) {
            return useKept ? ws.arrays.get(keptRole(n0 / chunk)) : fill(n0, nb, ROLE);
        }

        static int chunk(int rows, int pixels, int n) {
            long perSample = (long) rows * pixels;
            int most = (int) Math.max(1, Math.min(n, MAX_COLUMN_ENTRIES / perSample));
            // chunks of equal size, so that the workspace's column and product matrices keep one shape: a last,
            // smaller chunk made them be reallocated twice per call (fresh pages: 255 ms instead of 33 for a
            // 32 -> 64 channel conv of 256 images of 14 x 14)
            int chunks = (n + most - 1) / most;
            return (n + chunks - 1) / chunks;
        }

        /**
         * The (rows, nb * pixels) column matrix of samples {@code [n0, n0 + nb)}, in the workspace buffer of
         * {@code role}. The gather only
         * moves values, so it moves 32-bit words whatever the type: a float64 is two words, with the table expanded
         * to match, and a zero word pattern is +0 in both types.
         */
        INDArray fill(int n0, int nb, String role) {
            int width = nb * pixels;
            INDArray out = ws.array(role, x.dataType(), rows, width);
            int w = x.dataType() == DataType.DOUBLE ? 2 : 1;
            Runs runs = ws.runs(g, w, true);
            IntBuffer src = Tensors.words(x);
            IntBuffer dst = Tensors.words(out);
            int[][] inputs = new int[ParallelBlocks.tasks(nb)][];
            int[][] pieces = new int[inputs.length][];
            for (int t = 0; t < inputs.length; t++) {
                inputs[t] = ws.ints("inputWords" + t, chw * w);
                pieces[t] = ws.ints("pieceWords" + t, pixels * w);
            }
            // sample by sample, so that a sample's input stays in cache while all its rows are gathered from it
            ParallelBlocks.run(nb, (t, from, to) -> {
                int[] xs = inputs[t];
                int[] piece = pieces[t];
                for (int s = from; s < to; s++) {
                    src.get((n0 + s) * chw * w, xs, 0, chw * w);
                    for (int r = 0; r < gathered; r++) {
                        gather(xs, 0, runs, r, piece, 0);
                        dst.put((r * width + s * pixels) * w, piece, 0, pixels * w);
                    }
                }
            });
            if (rows > gathered) {
                out.getRow(gathered).assign(1);
            }
            return out;
        }
    }

    /**
     * col2im: scatter-adds column-matrix rows into the input gradient through the gather table's {@link Runs}, in
     * parallel over blocks of samples (each owns its part of the gradient).
     */
    private static final class Scatter {
        private final Runs runs;
        private final int rows;
        private final int pixels;
        private final int chw;
        private final INDArray gradIn;
        private final Workspace ws;

        Scatter(ConvGeometry g, INDArray gradIn, Workspace ws) {
            this.runs = ws.runs(g, 1, false);
            this.rows = g.cin() * g.kh() * g.kw();
            this.pixels = g.outH() * g.outW();
            this.chw = g.inputSize();
            this.gradIn = gradIn;
            this.ws = ws;
        }

        void add(INDArray dcols, int n0, int nb) {
            int width = nb * pixels;
            boolean single = dcols.dataType() == DataType.FLOAT;
            Object[] sources = new Object[ParallelBlocks.tasks(nb)];
            for (int t = 0; t < sources.length; t++) {
                sources[t] = single ? ws.floats("gradPiece" + t, pixels) : ws.doubles("gradPiece" + t, pixels);
            }
            Object acc = single ? ws.floats("gradInput", nb * chw) : ws.doubles("gradInput", nb * chw);
            // sample by sample, so that a sample's gradient stays in cache while all its rows are added into it
            ParallelBlocks.run(nb, (t, s0, s1) -> {
                if (single) {
                    float[] src = (float[]) sources[t];
                    float[] a = (float[]) acc;
                    Arrays.fill(a, s0 * chw, s1 * chw, 0f);
                    FloatBuffer in = dcols.data().asNioFloat();
                    for (int s = s0; s < s1; s++) {
                        for (int r = 0; r < rows; r++) {
                            in.get(r * width + s * pixels, src, 0, pixels);
                            scatter(src, 0, runs, r, a, s * chw);
                        }
                    }
                } else {
                    double[] src = (double[]) sources[t];
                    double[] a = (double[]) acc;
                    Arrays.fill(a, s0 * chw, s1 * chw, 0.0);
                    DoubleBuffer in = dcols.data().asNioDouble();
                    for (int s = s0; s < s1; s++) {
                        for (int r = 0; r < rows; r++) {
                            in.get(r * width + s * pixels, src, 0, pixels);
                            scatter(src, 0, runs, r, a, s * chw);
                        }
                    }
                }
            });
            if (single) {
                gradIn.data().asNioFloat().put(n0 * chw, (float[]) acc, 0, nb * chw);
            } else {
                gradIn.data().asNioDouble().put(n0 * chw, (double[]) acc, 0, nb * chw);
            }
        }
    }

    // The scatter-add is arithmetic, so it has float and double twins (EJML style); the gather only moves words and
    // exists once. A type-generic col2im was tried and measured slower: gathering each tap's contributions (a word
    // move, since a tap reads each input pixel at most once) into a (kh kw, N cin h w) matrix and summing it with a
    // GEMM by a row of ones took 17-31 ms against 11-23 ms for this scatter (input gradient, float32, batch 256,
    // 1x28x28 -> 16 and 16x14x14 -> 32 channels, same JVM, 2026-12-03).

    /** Row {@code r} of one sample's column block: {@code dst[dOff + ...]} from the sample's words at {@code xOff}. */
    private static void gather(int[] x, int xOff, Runs runs, int r, int[] dst, int dOff) {
        for (int k = runs.start[r]; k < runs.start[r + 1]; k++) {
            int d = dOff + runs.to[k];
            int len = runs.length[k];
            int from = runs.from[k];
            if (from < 0) {
                Arrays.fill(dst, d, d + len, 0);
            } else if (runs.step[k] == 1) {
                System.arraycopy(x, xOff + from, dst, d, len);
            } else {
                int step = runs.step[k];
                for (int q = 0; q < len; q++) {
                    dst[d + q] = x[xOff + from + step * q];
                }
            }
        }
        for (int h = runs.holeStart[r]; h < runs.holeStart[r + 1]; h++) {
            dst[dOff + runs.holes[h]] = 0;
        }
    }

    private static void scatter(float[] src, int sOff, Runs runs, int r, float[] acc, int aOff) {
        for (int k = runs.start[r]; k < runs.start[r + 1]; k++) {
            int from = runs.from[k];
            if (from < 0) {
                continue;
            }
            int s = sOff + runs.to[k];
            int a = aOff + from;
            int step = runs.step[k];
            int len = runs.length[k];
            if (step == 1) {
                for (int q = 0; q < len; q++) {
                    acc[a + q] += src[s + q];
                }
            } else {
                for (int q = 0; q < len; q++) {
                    acc[a + step * q] += src[s + q];
                }
            }
        }
    }

    private static void scatter(double[] src, int sOff, Runs runs, int r, double[] acc, int aOff) {
        for (int k = runs.start[r]; k < runs.start[r + 1]; k++) {
            int from = runs.from[k];
            if (from < 0) {
                continue;
            }
            int s = sOff + runs.to[k];
            int a = aOff + from;
            int step = runs.step[k];
            int len = runs.length[k];
            if (step == 1) {
                for (int q = 0; q < len; q++) {
                    acc[a + q] += src[s + q];
                }
            } else {
                for (int q = 0; q < len; q++) {
                    acc[a + step * q] += src[s + q];
                }
            }
        }
    }
}
