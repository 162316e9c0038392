package org.lipot.lipschitz.layers;

import org.lipot.lipschitz.nn.Initializers;
import org.lipot.lipschitz.param.ConvGeometry;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A convolution with a Frobenius-normalised kernel (deel-lip's {@code FrobeniusConv2D}):
 * {@code y = conv(x, k c K / ||K||_F) + b}, {@code c = 1 / sqrt(ceil(kh/sh) ceil(kw/sw))}. Since
 * {@code sigma_max <= ||.||_F}, the reshaped kernel has norm at most 1 and the layer is 1-Lipschitz; cheaper than
 * {@link SpectralConv2d} (no power iteration, no Björck), but not norm preserving. The certified bound is the sound
 * operator norm of the applied kernel on the image size ({@link ReparametrisedConv2d}).
 *
 * <p>Gradient: {@code dL/dK = c (G - <G, K_hat> K_hat) / ||K||_F} with {@code K_hat = K / ||K||_F}.
 */
public final class FrobeniusConv2d extends ReparametrisedConv2d {

    private INDArray normalized;
    private double norm;

    /**
     * A {@code kh x kw} convolution {@code cin -> cout} with the given stride and padding, bias, kernel initialised
     * orthogonal on its (cout, cin kh kw) view (seed {@code seed}).
     *
     * @throws IllegalArgumentException if a size or stride is not positive, or {@code type} is not FLOAT or DOUBLE
     */
    public FrobeniusConv2d(int cin, int cout, int kh, int kw, int sh, int sw, ConvGeometry.Padding padding, long seed,
                           DataType type) {
        super(Initializers.orthogonal(cout, cin * kh * kw, seed, type).reshape('c', cout, cin, kh, kw), sh, sw,
                padding, true);
        refreshWeights();
    }

    @Override
    protected FrobeniusConv2d blank(DataType t) {
        return new FrobeniusConv2d(cin, cout, kh, kw, sh, sw, padding, 0, t);
    }

    @Override
    protected INDArray effectiveWeight(boolean record) {
        INDArray k = weight.value();
        norm = k.norm2Number().doubleValue();
        if (!(norm > 0) || Double.isInfinite(norm)) {
            throw new IllegalArgumentException("the kernel's Frobenius norm is " + norm + "; it cannot be normalised");
        }
        normalized = k.div(norm);
        return normalized.mul(correction());
    }

    @Override
    protected INDArray effectiveBackward(INDArray g) {
        double dot = g.mul(normalized).sumNumber().doubleValue();
        return g.sub(normalized.mul(dot)).muli(correction() / norm);
    }
}
