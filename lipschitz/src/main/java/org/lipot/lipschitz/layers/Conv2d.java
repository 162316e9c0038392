package org.lipot.lipschitz.layers;

import org.lipot.lipschitz.param.ConvGeometry;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A plain convolution {@code y = conv(x, k K) + b} with a fixed kernel: what the constrained convolutions
 * {@link ReparametrisedConv2d#export() export} to. Its bound is the sound operator-norm bound of the kernel on the
 * image size ({@link ReparametrisedConv2d}).
 */
public final class Conv2d extends ReparametrisedConv2d {

    /**
     * A convolution by {@code kernel} (cout, cin, kh, kw), kept (not copied), with {@code bias} (cout) copied into
     * the bias parameter, or none if {@code null}.
     *
     * @throws IllegalArgumentException if a shape, stride or data type is invalid
     */
    public Conv2d(INDArray kernel, INDArray bias, int sh, int sw, ConvGeometry.Padding padding) {
        super(kernel, sh, sw, padding, bias != null);
        if (bias != null) {
            if (bias.length() != cout || bias.dataType() != type) {
                throw new IllegalArgumentException("bias has " + bias.length() + " " + bias.dataType()
                        + " entries but the kernel needs " + cout + " " + type);
            }
            this.bias.value().assign(bias.reshape(cout));
        }
    }

    @Override
    protected boolean cacheIsRawWeight() {
        return true;
    }

    @Override
    protected Conv2d blank(DataType t) {
        return new Conv2d(Nd4j.zeros(t, cout, cin, kh, kw), bias == null ? null : Nd4j.zeros(t, cout), sh, sw,
                padding);
    }

    @Override
    protected INDArray effectiveWeight(boolean record) {
        return weight.value();
    }

    @Override
    protected INDArray effectiveBackward(INDArray gradEffective) {
        return gradEffective;
    }
}
