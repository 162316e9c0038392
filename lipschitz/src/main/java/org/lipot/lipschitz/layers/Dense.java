package org.lipot.lipschitz.layers;

import org.lipot.lipschitz.nn.Initializers;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A plain affine layer {@code y = x (k W)^T + b} with an unconstrained weight {@code W} (out, in) and bias (out).
 *
 * <p>It is what the constrained dense layers {@link #export()} to: a fixed weight whose Lipschitz constant
 * {@code k sigma_max(W)} is bounded soundly by {@link org.lipot.lipschitz.param.SpectralBounds}. It can also be
 * trained as an ordinary (not Lipschitz-constrained) layer; gradients: {@code dL/dW = k G^T x},
 * {@code dL/db = sum_n G_n}.
 */
public final class Dense extends AffineLayer {

    /**
     * A layer with the given weight (used as is, not copied) and bias ({@code null} = no bias; copied).
     *
     * @throws IllegalArgumentException if the weight is not a float32/float64 matrix or the bias length differs
     */
    public Dense(INDArray weight, INDArray bias) {
        super(checkWeight(weight), (int) weight.size(0), weight, bias != null);
        if (bias != null) {
            if (bias.length() != weight.size(0)) {
                throw new IllegalArgumentException("bias has length " + bias.length() + " but weight has "
                        + weight.size(0) + " rows");
            }
            this.bias.value().assign(bias.reshape(bias.length()).castTo(type));
        }
        refreshWeights();
    }

    /**
     * A layer with a seeded orthogonal weight and zero bias.
     *
     * @throws IllegalArgumentException if a size is not positive
     */
    public static Dense orthogonal(int in, int out, long seed, DataType type) {
        if (in <= 0) {
            throw new IllegalArgumentException("in must be positive, got " + in);
        }
        if (out <= 0) {
            throw new IllegalArgumentException("out must be positive, got " + out);
        }
        return new Dense(Initializers.orthogonal(out, in, seed, type), Nd4j.zeros(type, out));
    }

    private static int checkWeight(INDArray w) {
        if (w == null || w.rank() != 2) {
            throw new IllegalArgumentException("weight must be a matrix (out, in)");
        }
        return (int) w.size(1);
    }

    /** The cache is the live weight, so inference always follows the current weight. */
    @Override
    protected boolean cacheIsRawWeight() {
        return true;
    }

    @Override
    protected Dense blank(DataType t) {
        return new Dense(Nd4j.zeros(t, out, in), bias == null ? null : Nd4j.zeros(t, out));
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
