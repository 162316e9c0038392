package org.lipot.lipschitz.layers;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.lipot.lipschitz.nn.Layer;
import org.lipot.lipschitz.nn.Parameter;
import org.lipot.lipschitz.nn.ScalableLayer;
import org.lipot.lipschitz.nn.Tensors;
import org.lipot.lipschitz.param.ConvGeometry;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastAddOp;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The transposed convolution {@code y = T^T x + b} of a {@link ReparametrisedConv2d} {@code T} (built without bias),
 * PyTorch's {@code ConvTranspose2d}: {@code T} maps {@code [c, h, w]} images to {@code [c', H, W]}, so this layer maps
 * {@code [c', H, W]} to {@code [c, h, w]}, upsampling by the stride. Its raw kernel has PyTorch's
 * {@code ConvTranspose2d} layout (in = c', out = c, kh, kw) read as {@code T}'s (cout, cin, kh, kw).
 *
 * <p><b>Output size.</b> {@code H} inputs rows come from {@code h = sh H} rows for zero "same" and circular padding and
 * from {@code h = sh (H - 1) + kh} for zero "valid" padding (PyTorch's {@code output_padding = 0}); a size that
 * {@code T} would not map back to {@code H} is refused.
 *
 * <p><b>Bound.</b> {@code ||T^T|| = ||T||}: the layer's bound on {@code [c', H, W]} is {@code T}'s sound bound on
 * {@code [c, h, w]} ({@link ReparametrisedConv2d#lipschitzBound(int[])}), so every constraint of {@code T} carries
 * over: {@link SpectralConv2dTranspose} uses a {@link SpectralConv2d}; an {@link AocConv2d} or
 * {@link OrthogonalPatchConv2d} that is exactly orthogonal gives an exactly orthogonal transpose wherever {@code T}
 * is square (a tall {@code T} has orthonormal columns, and then {@code T^T} is a co-isometry: norm 1, not
 * orthogonal).
 *
 * <p>Gradients: {@code dL/dx = T G}; {@code T}'s kernel gradient is that of the convolution of {@code G} against the
 * output gradient {@code x}; {@code dL/db} sums {@code G} over samples and pixels.
 */
public final class ConvTranspose2d implements ScalableLayer {

    private final ReparametrisedConv2d conv;
    private final Parameter bias;

    /**
     * The transpose of {@code conv}, plus a bias of {@code conv.inputChannels()} zeros if {@code withBias}.
     *
     * @throws IllegalArgumentException if {@code conv} is null or has a bias
     */
    public ConvTranspose2d(ReparametrisedConv2d conv, boolean withBias) {
        if (conv == null) {
            throw new IllegalArgumentException("conv must not be null");
        }
        if (conv.bias != null) {
            throw new IllegalArgumentException("conv must have no bias: the transposed convolution has its own, of "
                    + conv.inputChannels() + " channels");
        }
        this.conv = conv;
        this.bias = withBias ? new Parameter("bias", Nd4j.zeros(conv.type, conv.inputChannels())) : null;
    }

    /** The convolution {@code T} whose transpose this is. */
    public ReparametrisedConv2d convolution() {
        return conv;
    }

    /** The bias parameter (length {@code T}'s input channels), or null. */
    public Parameter bias() {
        return bias;
    }

    /** The size {@code (h, w)} of {@code T}'s input that it maps to {@code (rows, cols)}. */
    private int[] convInput(int rows, int cols) {
        boolean valid = conv.padding() == ConvGeometry.Padding.ZERO_VALID;
        int h = valid ? conv.strideHeight() * (rows - 1) + conv.kernelHeight() : conv.strideHeight() * rows;
        int w = valid ? conv.strideWidth() * (cols - 1) + conv.kernelWidth() : conv.strideWidth() * cols;
        ConvGeometry g = conv.geometry(h, w);
        if (g.outH() != rows || g.outW() != cols) {
            throw new IllegalArgumentException("no " + h + " x " + w + " image maps to " + rows + " x " + cols
                    + " under " + g);
        }
        return new int[] {h, w};
    }

    @Override
    public int[] outputShape(int[] in) {
        if (in == null || in.length != 3 || in[0] != conv.outputChannels()) {
            throw new IllegalArgumentException("samples have shape " + Arrays.toString(in) + " but the layer expects ["
                    + conv.outputChannels() + ", H, W]");
        }
        int[] hw = convInput(in[1], in[2]);
        return new int[] {conv.inputChannels(), hw[0], hw[1]};
    }

    /** {@code T}'s sound bound on the output shape: {@code ||T^T|| = ||T||}. */
    @Override
    public double lipschitzBound(int[] in) {
        return conv.lipschitzBound(outputShape(in));
    }

    /**
     * Refuses: the operator norm depends on the image size.
     *
     * @throws UnsupportedOperationException always
     */
    @Override
    public double lipschitzBound() {
        throw new UnsupportedOperationException("the bound of ConvTranspose2d depends on the image size; use "
                + "lipschitzBound(new int[] {" + conv.outputChannels() + ", H, W})");
    }

    @Override
    public INDArray forward(INDArray x, boolean training) {
        int[] s = Tensors.checkImages(x, "input");
        int[] out = outputShape(s);
        INDArray y = conv.adjointForward(x, out[1], out[2], training);
        if (bias != null) {
            Nd4j.getExecutioner().exec(new BroadcastAddOp(y, bias.value(), y, 1));
        }
        return y;
    }

    @Override
    public INDArray backward(INDArray gradOutput) {
        INDArray gx = conv.adjointBackward(gradOutput);
        if (bias != null) {
            bias.accumulate(Tensors.as(gradOutput, conv.type).sum(0, 2, 3));
        }
        return gx;
    }

    @Override
    public List<Parameter> parameters() {
        List<Parameter> all = new ArrayList<>(conv.parameters());
        if (bias != null) {
            all.add(bias);
        }
        return all;
    }

    @Override
    public void refreshWeights() {
        conv.refreshWeights();
    }

    @Override
    public double lipschitzFactor() {
        return conv.lipschitzFactor();
    }

    @Override
    public void setLipschitzFactor(double k) {
        conv.setLipschitzFactor(k);
    }

    /** The transpose of {@code T}'s export (a plain {@link Conv2d}), with a copy of the bias. */
    @Override
    public ConvTranspose2d export() {
        return withBiasOf(conv.export(), bias == null ? null : bias.value());
    }

    @Override
    public ConvTranspose2d toFloat64() {
        return withBiasOf(conv.toFloat64(), bias == null ? null : bias.value().castTo(DataType.DOUBLE));
    }

    private static ConvTranspose2d withBiasOf(ReparametrisedConv2d conv, INDArray b) {
        ConvTranspose2d t = new ConvTranspose2d(conv, b != null);
        if (b != null) {
            t.bias.value().assign(b);
        }
        return t;
    }
}
