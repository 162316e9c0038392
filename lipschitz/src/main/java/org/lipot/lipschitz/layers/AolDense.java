package org.lipot.lipschitz.layers;

import java.util.Map;

import org.lipot.lipschitz.nn.Initializers;
import org.lipot.lipschitz.param.SpectralBounds;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Almost-orthogonal Lipschitz (AOL, Prach and Lampert 2022) dense layer: {@code y = x (k W diag(d))^T + b} with
 * <pre>
 *   P = W^T W   (in x in),     r_j = sum_i |P_ij|,     d_j = r_j^(-1/2)   (0 when r_j = 0).
 * </pre>
 * {@code W diag(d)} has spectral norm &le; 1 for every {@code W} (Gershgorin / Schur test on
 * {@code diag(d) P diag(d)}), without any iteration; it is exactly orthogonal when {@code W}'s columns are
 * orthogonal. Gradient, with {@code G_eff = dL/d(W diag d)}:
 * <pre>
 *   a_j = sum_k (G_eff)_kj W_kj,     c_j = -a_j r_j^(-3/2) / 2,     Q = sign(P) diag(c),
 *   dL/dW = G_eff diag(d) + W (Q + Q^T).
 * </pre>
 * The {@link #lipschitzBound()} is the sound bound of the actual rescaled matrix (its input-side Gram row-sum
 * bound is 1 up to rounding).
 */
public final class AolDense extends AffineLayer {

    private INDArray gram;
    private INDArray rowSums;
    private INDArray scale;

    /**
     * A layer {@code in -> out} with an orthogonal (seeded) weight, zero bias.
     *
     * @throws IllegalArgumentException if a size is not positive or the type is not FLOAT/DOUBLE
     */
    public AolDense(int in, int out, long seed, DataType type) {
        super(in, out, Initializers.orthogonal(out, in, seed, type), true);
        refreshWeights();
    }

    /**
     * The weighted Schur bound ({@link SpectralBounds#upperBoundWeightedColumns}) of the cached effective weight that
     * inference multiplies by, with weights {@code p = 1/d} recomputed in float64 from the raw weight ({@code 1}
     * where {@code d_j} is 0 or not finite): the weights only make the bound tight (&le; 1 up to rounding margins
     * for a consistent layer); it is sound for any effective weight, whatever the raw weight or saved scales hold.
     */
    @Override
    double spectralBound(INDArray wEff) {
        INDArray w = weight.value().castTo(DataType.DOUBLE);
        INDArray p = Nd4j.create(DataType.DOUBLE, new long[] {in, in}, 'c');
        Nd4j.gemm(w, w, p, true, false, 1.0, 0.0);
        double[] r = Transforms.abs(p, false).sum(0).toDoubleVector();
        double[] weights = new double[in];
        for (int j = 0; j < in; j++) {
            double s = Math.sqrt(r[j]);
            weights[j] = s > 0 && Double.isFinite(s) ? s : 1.0;
        }
        return SpectralBounds.upperBoundWeightedColumns(wEff, weights);
    }

    /** The column scales {@code d} of the last pass (saved with the model, and checked against the raw weight). */
    @Override
    protected Map<String, INDArray> passState() {
        return Map.of("scale", scale);
    }

    @Override
    protected void restorePassState(Map<String, INDArray> state) {
        scale = state.get("scale");
    }

    @Override
    protected AolDense blank(DataType t) {
        return new AolDense(in, out, 0, t);
    }

    @Override
    protected INDArray effectiveWeight(boolean record) {
        INDArray w = weight.value();
        gram = Nd4j.create(type, new long[] {in, in}, 'c');
        Nd4j.gemm(w, w, gram, true, false, 1.0, 0.0);
        rowSums = Transforms.abs(gram, true).sum(0);          // (in)
        double[] r = rowSums.toDoubleVector();
        double[] d = new double[in];
        for (int j = 0; j < in; j++) {
            d[j] = r[j] > 0 ? 1.0 / Math.sqrt(r[j]) : 0.0;
        }
        scale = Nd4j.createFromArray(d).castTo(type);
        return w.mulRowVector(scale);
    }

    @Override
    protected INDArray effectiveBackward(INDArray g) {
        INDArray w = weight.value();
        double[] a = g.mul(w).sum(0).toDoubleVector();
        double[] r = rowSums.toDoubleVector();
        double[] c = new double[in];
        for (int j = 0; j < in; j++) {
            c[j] = r[j] > 0 ? -0.5 * a[j] / (r[j] * Math.sqrt(r[j])) : 0.0;
        }
        INDArray q = Transforms.sign(gram, true).mulRowVector(Nd4j.createFromArray(c).castTo(type));
        INDArray sym = q.add(q.transpose());
        INDArray gw = g.mulRowVector(scale);
        Nd4j.gemm(w, sym, gw, false, false, 1.0, 1.0);
        return gw;
    }
}
