package org.lipot.lipschitz.layers;

import java.util.Arrays;

import org.lipot.lipschitz.nn.Tensors;
import org.lipot.lipschitz.param.Conv2dOps;
import org.lipot.lipschitz.param.ConvGeometry;
import org.lipot.lipschitz.param.ConvNorms;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The 2-D convolutions {@code y = conv(x, k K_eff) + b} ({@link ReparametrisedLayer}) on NCHW images: a raw kernel
 * {@code K} (cout, cin, kh, kw) in PyTorch layout, an optional bias (cout), a Lipschitz factor {@code k}, an effective
 * kernel {@code K_eff = phi(K)} given by the subclass, a stride and a padding ({@link ConvGeometry}: PyTorch's
 * cross-correlation; zero "same", zero "valid" or circular padding).
 *
 * <p><b>Bound.</b> A convolution's operator norm depends on its padding, its stride and the size of the image it runs
 * on, so the layer is bounded only for a sample shape: {@link #lipschitzBound(int[])} is {@code k} times
 * {@link ConvNorms#upperBound}, a sound upper bound on the norm of the convolution by the cached effective kernel as
 * it is applied to {@code [cin, H, W]} images (exact for circular padding, through a containing circular operator for
 * zero padding). It is never the reshaped kernel's norm times a heuristic factor; the shape-free
 * {@link #lipschitzBound()} refuses.
 *
 * <p>Gradients: {@code dL/dx} is the transposed convolution of {@code G} by {@code k K_eff},
 * {@code dL/dK_eff = k (dL/dk)} for the applied kernel, and the subclass maps {@code dL/dK_eff} to {@code dL/dK}.
 * The convolutions run as im2col + GEMM ({@link Conv2dOps}).
 */
public abstract class ReparametrisedConv2d extends ReparametrisedLayer {

    protected final int cin;
    protected final int cout;
    protected final int kh;
    protected final int kw;
    protected final int sh;
    protected final int sw;
    protected final ConvGeometry.Padding padding;
    private final Conv2dOps.Workspace workspace = new Conv2dOps.Workspace();
    private INDArray input;
    private INDArray applied;
    private ConvGeometry geometry;

    /**
     * A convolution with raw kernel {@code kernel} (cout, cin, kh, kw), kept (not copied), strides {@code sh},
     * {@code sw}, the given padding, and a zero bias if {@code withBias}.
     *
     * @throws IllegalArgumentException if the kernel is not 4-D, float32 or float64, or a stride is not positive
     */
    protected ReparametrisedConv2d(INDArray kernel, int sh, int sw, ConvGeometry.Padding padding, boolean withBias) {
        this(kernel, (int) checkKernel(kernel).size(2), (int) kernel.size(3), sh, sw, padding, withBias);
    }

    /**
     * A convolution whose raw weight {@code raw} (cout, cin, ., .), kept (not copied), has the channels of the applied
     * kernel but not necessarily its size: the applied kernel is {@code kh x kw} (for a kernel composed from smaller
     * ones, {@link OrthogonalConv2d}).
     *
     * @throws IllegalArgumentException if {@code raw} is not 4-D, float32 or float64, or a size or stride is not
     *                                  positive
     */
    protected ReparametrisedConv2d(INDArray raw, int kh, int kw, int sh, int sw, ConvGeometry.Padding padding,
                                   boolean withBias) {
        super(checkKernel(raw), withBias ? (int) raw.size(0) : 0);
        this.cout = (int) raw.size(0);
        this.cin = (int) raw.size(1);
        this.kh = kh;
        this.kw = kw;
        this.sh = sh;
        this.sw = sw;
        this.padding = padding;
        geometry(Math.max(kh, sh), Math.max(kw, sw)); // validates strides and padding now
    }

    private static INDArray checkKernel(INDArray kernel) {
        if (kernel == null || kernel.rank() != 4) {
            throw new IllegalArgumentException("kernel must be (cout, cin, kh, kw), got "
                    + (kernel == null ? null : Arrays.toString(kernel.shape())));
        }
        return kernel;
    }

    /** The geometry of this convolution applied to {@code h x w} images. */
    public ConvGeometry geometry(int h, int w) {
        return new ConvGeometry(cin, cout, kh, kw, sh, sw, padding, h, w);
    }

    /** {@code [cout, outH, outW]} for samples {@code [cin, H, W]} ({@link ConvGeometry} gives the sizes). */
    @Override
    public int[] outputShape(int[] in) {
        if (in == null || in.length != 3 || in[0] != cin) {
            throw new IllegalArgumentException("samples have shape " + Arrays.toString(in) + " but the layer expects ["
                    + cin + ", H, W]");
        }
        ConvGeometry g = geometry(in[1], in[2]);
        return new int[] {cout, g.outH(), g.outW()};
    }

    /**
     * {@code k} times the sound bound of the convolution by the cached effective kernel on {@code [cin, H, W]}
     * images, rounded up.
     */
    @Override
    public double lipschitzBound(int[] in) {
        outputShape(in);
        return Math.nextUp(lipschitzFactor() * ConvNorms.upperBound(cachedWeight(), geometry(in[1], in[2])).value());
    }

    /**
     * Refuses: the operator norm of a convolution depends on the image size.
     *
     * @throws UnsupportedOperationException always
     */
    @Override
    public double lipschitzBound() {
        throw new UnsupportedOperationException("the bound of " + getClass().getSimpleName() + " depends on the "
                + "image size; use lipschitzBound(new int[] {" + cin + ", H, W})");
    }

    /** A copy of the applied kernel {@code k K_eff} that inference uses. */
    public INDArray effectiveKernel() {
        return cachedWeight().mul(lipschitzFactor());
    }

    @Override
    public INDArray forward(INDArray x, boolean training) {
        int[] s = Tensors.checkImages(x, "input");
        outputShape(s);
        INDArray xt = Tensors.as(x, type);
        INDArray kernel = passWeight(training);
        applied = lipschitzFactor() == 1 ? kernel : kernel.mul(lipschitzFactor());
        geometry = geometry(s[1], s[2]);
        input = xt;
        workspace.keepColumns(training); // the kernel gradient of the backward reuses this pass's column matrices
        return Conv2dOps.forward(xt, applied, bias == null ? null : bias.value(), geometry, null, workspace);
    }

    @Override
    public INDArray backward(INDArray gradOutput) {
        return backward(gradOutput, true);
    }

    /** The parameter gradients only: no transposed convolution (a network's first layer in training). */
    @Override
    public void backwardParameters(INDArray gradOutput) {
        backward(gradOutput, false);
    }

    private INDArray backward(INDArray gradOutput, boolean inputGradient) {
        if (input == null) {
            throw new IllegalStateException("backward called before forward");
        }
        checkGradient(gradOutput, geometry.outputShape(input.size(0)));
        INDArray g = Tensors.as(gradOutput, type);
        INDArray kernel = inputGradient ? applied : null; // Conv2dOps skips the input gradient without a kernel
        if (!lastPassTrained()) {
            return kernel == null ? null
                    : Conv2dOps.backward(null, g, kernel, geometry, null, null, null, false, workspace).gradIn();
        }
        INDArray gradKernel = Nd4j.create(type, geometry.kernelShape());
        INDArray gradBias = bias == null ? null : Nd4j.create(type, cout);
        Conv2dOps.Gradients r = Conv2dOps.backward(input, g, kernel, geometry, null, gradKernel, gradBias, false,
                workspace);
        weight.accumulate(effectiveBackward(gradKernel.muli(lipschitzFactor())));
        if (bias != null) {
            bias.accumulate(gradBias);
        }
        return r.gradIn();
    }

    /**
     * The adjoint pass for {@link ConvTranspose2d}: {@code T^T x} with {@code T} this convolution (without bias) on
     * {@code [cin, h, w]} images, {@code x} of shape (N, cout, outH, outW). Replaces the cache of {@link #forward}.
     *
     * @throws IllegalArgumentException if {@code x} does not have the output shape of the convolution on
     *                                  {@code h x w} images
     */
    INDArray adjointForward(INDArray x, int h, int w, boolean training) {
        int[] s = Tensors.checkImages(x, "input");
        ConvGeometry g = geometry(h, w);
        if (s[0] != cout || s[1] != g.outH() || s[2] != g.outW()) {
            throw new IllegalArgumentException("input samples have shape " + Arrays.toString(s) + " but the transposed "
                    + "convolution of " + g + " takes [" + cout + ", " + g.outH() + ", " + g.outW() + "]");
        }
        INDArray xt = Tensors.as(x, type);
        INDArray kernel = passWeight(training);
        applied = lipschitzFactor() == 1 ? kernel : kernel.mul(lipschitzFactor());
        geometry = g;
        input = xt;
        return Conv2dOps.backward(null, xt, applied, g, null, null, null, false, workspace).gradIn();
    }

    /**
     * The gradient of {@link #adjointForward}: {@code dL/dx = T G}, and {@code <G, T^T x> = <T G, x>} gives the
     * kernel gradient as that of the convolution of {@code G} against output gradient {@code x} (accumulated).
     */
    INDArray adjointBackward(INDArray gradOutput) {
        if (input == null) {
            throw new IllegalStateException("backward called before forward");
        }
        checkGradient(gradOutput, geometry.inputShape(input.size(0)));
        INDArray g = Tensors.as(gradOutput, type);
        if (lastPassTrained()) {
            INDArray gradKernel = Nd4j.create(type, geometry.kernelShape());
            Conv2dOps.backward(g, input, null, geometry, null, gradKernel, null, false, workspace);
            weight.accumulate(effectiveBackward(gradKernel.muli(lipschitzFactor())));
        }
        return Conv2dOps.forward(g, applied, null, geometry, null, workspace);
    }

    private static void checkGradient(INDArray gradOutput, long[] expected) {
        if (gradOutput == null || !Arrays.equals(gradOutput.shape(), expected)) {
            throw new IllegalArgumentException("gradOutput has shape "
                    + (gradOutput == null ? null : Arrays.toString(gradOutput.shape())) + " but the output has shape "
                    + Arrays.toString(expected));
        }
    }

    @Override
    public ReparametrisedConv2d toFloat64() {
        return (ReparametrisedConv2d) super.toFloat64();
    }

    @Override
    protected abstract ReparametrisedConv2d blank(DataType type);

    /** A {@link Conv2d} with kernel {@code k K_eff} (cached), a copy of the bias, and the same stride and padding. */
    @Override
    public Conv2d export() {
        return new Conv2d(effectiveKernel(), bias == null ? null : bias.value().dup(), sh, sw, padding);
    }

    /** Input channels. */
    public int inputChannels() {
        return cin;
    }

    /** Output channels. */
    public int outputChannels() {
        return cout;
    }

    /** Kernel height. */
    public int kernelHeight() {
        return kh;
    }

    /** Kernel width. */
    public int kernelWidth() {
        return kw;
    }

    /** Stride along the rows. */
    public int strideHeight() {
        return sh;
    }

    /** Stride along the columns. */
    public int strideWidth() {
        return sw;
    }

    /** The padding mode. */
    public ConvGeometry.Padding padding() {
        return padding;
    }

    /**
     * deel-torchlip's correction {@code 1 / sqrt(ceil(kh / sh) ceil(kw / sw))} of a kernel whose reshaped matrix
     * (cout, cin kh kw) is orthonormal or normalised: the conv by such a kernel has norm at most
     * {@code sqrt(ceil(kh/sh) ceil(kw/sw))}, each input pixel meeting at most that many kernel positions.
     */
    protected final double correction() {
        return 1 / Math.sqrt((double) ceilDiv(kh, sh) * ceilDiv(kw, sw));
    }

    private static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }
}
