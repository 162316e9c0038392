package org.lipot.lipschitz.layers;

import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Arrays;

import org.lipot.lipschitz.nn.Layer;
import org.lipot.lipschitz.nn.ParallelBlocks;
import org.lipot.lipschitz.nn.Tensors;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The pooling layers: NCHW images over non-overlapping {@code kh x kw} windows (stride = window, floor mode: trailing
 * rows and columns that fill no window are dropped and get gradient 0), by a 1-Lipschitz function of each window: the
 * scaled sum {@code sum(x) / sqrt(kh kw)} or the Euclidean norm {@code sqrt(sum(x^2))}. The windows are disjoint, so
 * the layer is 1-Lipschitz whenever the window function is (Cauchy-Schwarz for the scaled sum, the triangle inequality
 * for the norm); with overlapping windows it would not be, which is why the stride is the window.
 *
 * <p>A global pooling has one window, the whole image, and outputs {@code (N, C)} instead of {@code (N, C, 1, 1)}.
 */
public abstract sealed class WindowPooling implements Layer
        permits ScaledAvgPool2d, ScaledL2NormPool2d, ScaledGlobalAvgPool2d, ScaledGlobalL2NormPool2d {

    /** The window function. */
    enum Kind {
        /** {@code sum(x) / sqrt(kh kw)}: the average times {@code sqrt(kh kw)}. */
        SCALED_SUM,
        /**
         * {@code sqrt(sum(x^2))}, with deel-lip's safe gradient {@code x / (||x|| + }{@value #GRADIENT_EPS}{@code )}:
         * 0 on an all-zero window, and of norm below 1 on a nearly zero one. The exact gradient {@code x / ||x||} is
         * a unit vector even for a window of rounding-level activations: on the first batch of the Fashion-MNIST
         * {@code conv} network it put lipot's conv gradients 4e-4 (kernels) and 5e-2 (biases) of their largest
         * entries away from the deel-lip convention's float64 values, against 1e-6 with this one
         * ({@code docs/bench/equivalence}).
         */
        L2_NORM
    }

    /** The {@code eps} of the norm's safe gradient (deel-lip's {@code eps_grad_sqrt}). */
    static final double GRADIENT_EPS = 1e-6;

    private final Kind kind;
    /** The window, or 0 for the whole image (global pooling). */
    private final int kh;
    private final int kw;
    private long[] inputShape;
    private double[] input;
    private double[] output;
    /** The float32 pass's input and output (native arrays), or null after a float64 pass. */
    private INDArray floatInput;
    private INDArray floatOutput;

    WindowPooling(Kind kind, int kh, int kw) {
        if (kh < 0 || kw < 0 || (kh == 0) != (kw == 0)) {
            throw new IllegalArgumentException("pool size must be positive, got " + kh + " x " + kw);
        }
        this.kind = kind;
        this.kh = kh;
        this.kw = kw;
    }

    private boolean global() {
        return kh == 0;
    }

    /** {@code size}, checked positive. */
    static int positive(int size, String name) {
        if (size < 1) {
            throw new IllegalArgumentException(name + " (pool size) must be positive, got " + size);
        }
        return size;
    }

    /** The window height (0 for a global pooling: the whole image). */
    public int poolHeight() {
        return kh;
    }

    /** The window width (0 for a global pooling: the whole image). */
    public int poolWidth() {
        return kw;
    }

    /** {@code [C, H / kh, W / kw]} (floor), or {@code [C]} for a global pooling, for samples {@code [C, H, W]}. */
    @Override
    public int[] outputShape(int[] in) {
        if (in == null || in.length != 3 || in[0] < 1 || in[1] < Math.max(1, kh) || in[2] < Math.max(1, kw)) {
            throw new IllegalArgumentException("samples have shape " + Arrays.toString(in) + " but the layer expects "
                    + "[C, H, W] with H >= " + Math.max(1, kh) + " and W >= " + Math.max(1, kw));
        }
        return global() ? new int[] {in[0]} : new int[] {in[0], in[1] / kh, in[2] / kw};
    }

    /** 1: disjoint windows, each pooled by a 1-Lipschitz function. */
    @Override
    public double lipschitzBound() {
        return 1.0;
    }

    @Override
    public INDArray forward(INDArray x, boolean training) {
        int[] out = outputShape(Tensors.checkImages(x, "input"));
        long[] s = x.shape();
        int n = (int) s[0];
        int c = (int) s[1];
        int h = (int) s[2];
        int w = (int) s[3];
        int wh = global() ? h : kh;
        int ww = global() ? w : kw;
        int oh = h / wh;
        int ow = w / ww;
        double scale = 1 / Math.sqrt((double) wh * ww);
        long[] shape = global() ? new long[] {n, c} : new long[] {n, c, out[1], out[2]};
        inputShape = s;
        if (x.dataType() == DataType.FLOAT) {
            floatInput = Tensors.dense(x);
            floatOutput = Nd4j.createUninitialized(DataType.FLOAT, shape, 'c');
            poolFloats(floats(floatInput), floats(floatOutput), n * c, h, w, wh, ww, (float) scale);
            input = null;
            output = null;
            return floatOutput;
        }
        floatInput = null;
        floatOutput = null;
        double[] in = Tensors.toDoubles(x);
        double[] y = new double[n * c * oh * ow];
        for (int plane = 0; plane < n * c; plane++) {
            int base = plane * h * w;
            for (int oy = 0; oy < oh; oy++) {
                for (int ox = 0; ox < ow; ox++) {
                    double acc = 0;
                    for (int i = 0; i < wh; i++) {
                        int row = base + (oy * wh + i) * w + ox * ww;
                        for (int j = 0; j < ww; j++) {
                            double v = in[row + j];
                            acc += kind == Kind.SCALED_SUM ? v : v * v;
                        }
                    }
                    y[(plane * oh + oy) * ow + ox] = kind == Kind.SCALED_SUM ? acc * scale : Math.sqrt(acc);
                }
            }
        }
        input = in;
        output = y;
        return Tensors.fromDoubles(y, shape, x.dataType());
    }

    /**
     * The float32 forward (training), through the arrays' native buffers: converting a 6 M-entry conv activation to
     * and from double arrays cost more than the pooling.
     */
    private void poolFloats(FloatBuffer in, FloatBuffer y, int planes, int h, int w, int wh, int ww, float scale) {
        int oh = h / wh;
        int ow = w / ww;
        boolean sum = kind == Kind.SCALED_SUM;
        // planes in parallel, each copied in and out in bulk (element-wise buffer access is bounds-checked)
        ParallelBlocks.run(planes, (t, from, to) -> {
            float[] x = new float[h * w];
            float[] out = new float[oh * ow];
            for (int plane = from; plane < to; plane++) {
                in.get(plane * h * w, x, 0, h * w);
                for (int oy = 0; oy < oh; oy++) {
                    for (int ox = 0; ox < ow; ox++) {
                        float acc = 0;
                        for (int i = 0; i < wh; i++) {
                            int row = (oy * wh + i) * w + ox * ww;
                            for (int j = 0; j < ww; j++) {
                                float v = x[row + j];
                                acc += sum ? v : v * v;
                            }
                        }
                        out[oy * ow + ox] = sum ? acc * scale : (float) Math.sqrt(acc);
                    }
                }
                y.put(plane * oh * ow, out, 0, oh * ow);
            }
        });
    }

    /** The float32 backward, as {@link #poolFloats}. */
    private INDArray unpoolFloats(INDArray gradOutput) {
        int n = (int) inputShape[0];
        int c = (int) inputShape[1];
        int h = (int) inputShape[2];
        int w = (int) inputShape[3];
        int wh = global() ? h : kh;
        int ww = global() ? w : kw;
        int oh = h / wh;
        int ow = w / ww;
        float scale = (float) (1 / Math.sqrt((double) wh * ww));
        INDArray g = Tensors.dense(gradOutput).castTo(DataType.FLOAT);
        INDArray gx = Nd4j.createUninitialized(DataType.FLOAT, inputShape, 'c'); // every entry written below
        FloatBuffer gb = floats(g);
        FloatBuffer xb = floats(floatInput);
        FloatBuffer yb = floats(floatOutput);
        FloatBuffer out = floats(gx);
        boolean sum = kind == Kind.SCALED_SUM;
        ParallelBlocks.run(n * c, (t, from, to) -> {
            float[] x = new float[h * w];
            float[] dx = new float[h * w];
            float[] go = new float[oh * ow];
            float[] yo = new float[oh * ow];
            for (int plane = from; plane < to; plane++) {
                gb.get(plane * oh * ow, go, 0, oh * ow);
                if (!sum) {
                    xb.get(plane * h * w, x, 0, h * w);
                    yb.get(plane * oh * ow, yo, 0, oh * ow);
                }
                for (int oy = 0; oy < oh; oy++) {
                    for (int ox = 0; ox < ow; ox++) {
                        int o = oy * ow + ox;
                        float f = sum ? go[o] * scale : (float) (go[o] / (yo[o] + (double) GRADIENT_EPS));
                        for (int i = 0; i < wh; i++) {
                            int row = (oy * wh + i) * w + ox * ww;
                            for (int j = 0; j < ww; j++) {
                                dx[row + j] = sum ? f : f * x[row + j];
                            }
                        }
                    }
                }
                out.put(plane * h * w, dx, 0, h * w);
            }
        });
        return gx;
    }

    /** A view of a dense C-order float array's native memory. */
    private static FloatBuffer floats(INDArray a) {
        return a.data().asNio().order(ByteOrder.nativeOrder()).asFloatBuffer();
    }

    @Override
    public INDArray backward(INDArray gradOutput) {
        if (inputShape == null) {
            throw new IllegalStateException("backward called before forward");
        }
        long outputs = floatOutput != null ? floatOutput.length() : output.length;
        if (gradOutput == null || gradOutput.length() != outputs || gradOutput.size(0) != inputShape[0]) {
            throw new IllegalArgumentException("gradOutput has shape "
                    + (gradOutput == null ? null : Arrays.toString(gradOutput.shape())) + " but the output has "
                    + outputs + " entries in " + inputShape[0] + " samples");
        }
        if (floatOutput != null) {
            return unpoolFloats(gradOutput);
        }
        int c = (int) inputShape[1];
        int h = (int) inputShape[2];
        int w = (int) inputShape[3];
        int n = (int) inputShape[0];
        int wh = global() ? h : kh;
        int ww = global() ? w : kw;
        int oh = h / wh;
        int ow = w / ww;
        double scale = 1 / Math.sqrt((double) wh * ww);
        double[] g = Tensors.toDoubles(gradOutput);
        double[] gx = new double[input.length];
        for (int plane = 0; plane < n * c; plane++) {
            int base = plane * h * w;
            for (int oy = 0; oy < oh; oy++) {
                for (int ox = 0; ox < ow; ox++) {
                    int o = (plane * oh + oy) * ow + ox;
                    double f = kind == Kind.SCALED_SUM ? g[o] * scale : g[o] / (output[o] + GRADIENT_EPS);
                    for (int i = 0; i < wh; i++) {
                        int row = base + (oy * wh + i) * w + ox * ww;
                        for (int j = 0; j < ww; j++) {
                            gx[row + j] = kind == Kind.SCALED_SUM ? f : f * input[row + j];
                        }
                    }
                }
            }
        }
        return Tensors.fromDoubles(gx, inputShape, gradOutput.dataType());
    }
}
