package org.lipot.lipschitz.layers;

import org.lipot.lipschitz.nn.Initializers;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A dense layer with a Frobenius-normalised weight (deel-lip {@code FrobeniusDense}): {@code y = x (k W_hat)^T + b}.
 *
 * <ul>
 *   <li>default: {@code W_hat = W / ||W||_F}; since {@code sigma_max <= ||.||_F} the layer is 1-Lipschitz, and
 *       exactly so (gradient-norm preserving) when {@code out = 1}.</li>
 *   <li>disjoint neurons: each row normalised separately, {@code W_hat_i = W_i / ||W_i||_2}, so each output is a
 *       1-Lipschitz function of the input (meant for the last layer of a multi-class network, where each logit
 *       gets its own certificate). The layer as a whole is then only {@code sqrt(out)}-Lipschitz at worst; its
 *       {@link #lipschitzBound()} reports the sound bound of the actual matrix.</li>
 * </ul>
 * Gradient (per normalised block {@code B} with norm {@code r}): {@code dL/dB = (G - <G, B_hat> B_hat) / r}.
 */
public final class FrobeniusDense extends AffineLayer {

    private final boolean disjoint;
    private INDArray norms;
    private INDArray normalized;

    /**
     * A layer {@code in -> out} with an orthogonal (seeded) weight, zero bias.
     *
     * @param disjointNeurons whether each row is normalised separately
     * @throws IllegalArgumentException if a size is not positive or the type is not FLOAT/DOUBLE
     */
    public FrobeniusDense(int in, int out, boolean disjointNeurons, long seed, DataType type) {
        super(in, out, Initializers.orthogonal(out, in, seed, type), true);
        this.disjoint = disjointNeurons;
        refreshWeights();
    }

    /** Whether each neuron (row) is normalised separately. */
    public boolean disjointNeurons() {
        return disjoint;
    }

    @Override
    protected FrobeniusDense blank(DataType t) {
        return new FrobeniusDense(in, out, disjoint, 0, t);
    }

    @Override
    protected INDArray effectiveWeight(boolean record) {
        INDArray w = weight.value();
        if (disjoint) {
            norms = w.norm2(true, 1);                       // (out, 1)
            normalized = w.divColumnVector(norms);
        } else {
            norms = w.norm2(true, 0, 1);                    // (1, 1)
            normalized = w.div(norms.getDouble(0));
        }
        return normalized;
    }

    @Override
    protected INDArray effectiveBackward(INDArray g) {
        if (disjoint) {
            INDArray dots = g.mul(normalized).sum(true, 1); // (out, 1)
            return g.sub(normalized.mulColumnVector(dots)).diviColumnVector(norms);
        }
        double dot = g.mul(normalized).sumNumber().doubleValue();
        return g.sub(normalized.mul(dot)).divi(norms.getDouble(0));
    }
}
