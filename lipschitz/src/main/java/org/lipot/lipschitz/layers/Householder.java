package org.lipot.lipschitz.layers;

import java.util.Arrays;
import java.util.List;

import org.lipot.lipschitz.nn.Layer;
import org.lipot.lipschitz.nn.Parameter;
import org.lipot.lipschitz.nn.Tensors;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Householder activation of order 1 (Singla, Singla and Feizi, ICLR 2022, "Improved deterministic l2 robustness
 * on CIFAR-10 and CIFAR-100", introduced as "Householder activations for provable robustness"): on each pair of
 * channels {@code z = (z_1, z_2) = (x_2i, x_2i+1)}, with a learned angle {@code theta_i} and the unit vector
 * {@code v = (sin(theta/2), -cos(theta/2))},
 * <pre>
 *   y = z                     if v^T z &gt; 0,
 *   y = (I - 2 v v^T) z       otherwise,   (I - 2 v v^T) = [[cos theta, sin theta], [sin theta, -cos theta]].
 * </pre>
 * The paper's statement is "outputs (I - 2vv^T) z if v^T z &le; 0, otherwise z". The reflection fixes the
 * boundary line {@code v^T z = 0}, so the map is continuous, piecewise orthogonal, hence 1-Lipschitz and
 * gradient-norm preserving. {@code theta = pi/2} gives {@code (max, min)} (= {@link MaxMin}),
 * {@code theta = 5 pi/2} gives {@code (min, max)} (= {@link GroupSort2}); the default start is {@code pi/2}.
 *
 * <p>Input (N, C) or NCHW with even C; the angle parameter has C/2 entries (one per channel pair, shared over
 * positions). Gradient w.r.t. {@code theta} on the reflected branch:
 * {@code dy_1/dtheta = -z_1 sin theta + z_2 cos theta}, {@code dy_2/dtheta = z_1 cos theta + z_2 sin theta}.
 */
public final class Householder implements Layer {

    private final int channels;
    private final DataType type;
    private final Parameter theta;
    private double[] x;
    private boolean[] reflected;
    private long[] shape;
    private boolean lastTraining;

    /**
     * An activation for {@code channels} channels, all angles {@code pi/2}.
     *
     * @throws IllegalArgumentException if {@code channels} is not positive and even, or the type is not
     *                                  FLOAT/DOUBLE
     */
    public Householder(int channels, DataType type) {
        if (channels <= 0 || channels % 2 != 0) {
            throw new IllegalArgumentException("channels must be positive and even, got " + channels);
        }
        if (type != DataType.FLOAT && type != DataType.DOUBLE) {
            throw new IllegalArgumentException("type must be FLOAT or DOUBLE, got " + type);
        }
        this.channels = channels;
        this.type = type;
        this.theta = new Parameter("theta", Nd4j.zeros(type, channels / 2).addi(Math.PI / 2));
    }

    /** The angles (channels / 2). */
    public Parameter theta() {
        return theta;
    }

    @Override
    public List<Parameter> parameters() {
        return List.of(theta);
    }

    /** The input shape, whose first (channel) dimension must be {@code channels}. */
    @Override
    public int[] outputShape(int[] input) {
        if (input == null || input.length < 1 || input[0] != channels) {
            throw new IllegalArgumentException("samples have shape " + Arrays.toString(input)
                    + " but the layer expects [" + channels + ", ...]");
        }
        return input.clone();
    }

    @Override
    public INDArray forward(INDArray input, boolean training) {
        if (input == null || input.rank() < 2 || input.size(1) != channels) {
            throw new IllegalArgumentException("input has shape "
                    + (input == null ? null : Arrays.toString(input.shape())) + " but the layer expects (N, "
                    + channels + ", ...)");
        }
        Tensors.checkType(input, "input");
        shape = input.shape();
        x = Tensors.toDoubles(input);
        double[] th = theta.value().toDoubleVector();
        int batch = (int) shape[0];
        int spatial = (int) (x.length / ((long) batch * channels));
        double[] y = new double[x.length];
        reflected = new boolean[x.length / 2];
        for (int n = 0; n < batch; n++) {
            for (int p = 0; p < channels / 2; p++) {
                double s = Math.sin(th[p] / 2);
                double c = Math.cos(th[p] / 2);
                double cos = Math.cos(th[p]);
                double sin = Math.sin(th[p]);
                for (int q = 0; q < spatial; q++) {
                    int a = (n * channels + 2 * p) * spatial + q;
                    int b = a + spatial;
                    double z1 = x[a];
                    double z2 = x[b];
                    if (z1 * s - z2 * c > 0) {
                        y[a] = z1;
                        y[b] = z2;
                    } else {
                        y[a] = z1 * cos + z2 * sin;
                        y[b] = z1 * sin - z2 * cos;
                        reflected[pairIndex(n, p, q, spatial)] = true;
                    }
                }
            }
        }
        lastTraining = training;
        return Tensors.fromDoubles(y, shape, input.dataType());
    }

    private int pairIndex(int n, int p, int q, int spatial) {
        return (n * (channels / 2) + p) * spatial + q;
    }

    @Override
    public INDArray backward(INDArray gradOutput) {
        if (x == null) {
            throw new IllegalStateException("backward called before forward");
        }
        if (gradOutput == null || !Arrays.equals(gradOutput.shape(), shape)) {
            throw new IllegalArgumentException("gradOutput has shape "
                    + (gradOutput == null ? null : Arrays.toString(gradOutput.shape())) + " but the output has shape "
                    + Arrays.toString(shape));
        }
        double[] g = Tensors.toDoubles(gradOutput);
        double[] th = theta.value().toDoubleVector();
        double[] gx = new double[g.length];
        double[] gTheta = new double[channels / 2];
        int batch = (int) shape[0];
        int spatial = (int) (g.length / ((long) batch * channels));
        for (int n = 0; n < batch; n++) {
            for (int p = 0; p < channels / 2; p++) {
                double cos = Math.cos(th[p]);
                double sin = Math.sin(th[p]);
                for (int q = 0; q < spatial; q++) {
                    int a = (n * channels + 2 * p) * spatial + q;
                    int b = a + spatial;
                    if (reflected[pairIndex(n, p, q, spatial)]) {
                        gx[a] = g[a] * cos + g[b] * sin;
                        gx[b] = g[a] * sin - g[b] * cos;
                        double z1 = x[a];
                        double z2 = x[b];
                        gTheta[p] += g[a] * (-z1 * sin + z2 * cos) + g[b] * (z1 * cos + z2 * sin);
                    } else {
                        gx[a] = g[a];
                        gx[b] = g[b];
                    }
                }
            }
        }
        if (lastTraining) {
            theta.accumulate(Nd4j.createFromArray(gTheta).castTo(type));
        }
        return Tensors.fromDoubles(gx, shape, gradOutput.dataType());
    }

    /** 1: piecewise orthogonal and continuous. */
    @Override
    public double lipschitzBound() {
        return 1.0;
    }

    /** A copy with the current angles. */
    @Override
    public Householder export() {
        return copy(type);
    }

    /** A copy with the current angles in float64. */
    @Override
    public Householder toFloat64() {
        return copy(DataType.DOUBLE);
    }

    private Householder copy(DataType t) {
        Householder h = new Householder(channels, t);
        h.theta.value().assign(theta.value().castTo(t));
        return h;
    }
}
