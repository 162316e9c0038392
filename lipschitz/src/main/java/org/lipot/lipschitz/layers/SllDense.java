package org.lipot.lipschitz.layers;

import java.util.List;

import org.lipot.lipschitz.nn.Initializers;
import org.lipot.lipschitz.nn.Layer;
import org.lipot.lipschitz.nn.Parameter;
import org.lipot.lipschitz.nn.Tensors;
import org.lipot.lipschitz.param.SpectralBounds;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * SDP-based Lipschitz layer (SLL, Araujo et al., ICLR 2023, "A unified algebraic perspective on Lipschitz neural
 * networks"), a 1-Lipschitz residual block of width {@code n} with {@code m} hidden units.
 *
 * <p><b>Convention.</b> The paper writes {@code h(x) = x - 2 W T^-1 sigma(W^T x + b)} with {@code W} of shape
 * (n, m). Here, as in the authors' PyTorch code, the stored weight is its transpose {@code V = W^T} of shape
 * (m, n) and, for a batch {@code X} (N, n) with one sample per row,
 * <pre>
 *   Z = X V^T + b,     Y = X - 2 (relu(Z) diag(t)^-1) V,
 *   P = V V^T (m x m),     t_i = sum_j |P_ij| q_j / q_i,     q = exp(logQ) &gt; 0.
 * </pre>
 * {@code t_i = 0} (a zero row) gives {@code 1/t_i := 0}. The paper's Theorem: if {@code T - W^T W} is
 * positive semi-definite and the activation is slope-restricted in [0, 1], then {@code h} is 1-Lipschitz; the
 * {@code T} above is diagonally dominant after the scaling {@code diag(q)}, hence admissible for every {@code V}
 * and {@code q}. The learned {@code logQ} (m) starts at 0, the bias at 0 and {@code V} with seeded
 * {@code N(0, 2/(m + n))} entries (Xavier normal).
 *
 * <p><b>Gradients</b>, with {@code A = relu(Z)}, {@code H = A diag(1/t)}, {@code dH = -2 G V^T},
 * {@code dZ = dH diag(1/t) * 1[Z > 0]}: {@code dL/dX = G + dZ V}; {@code dL/dV = -2 H^T G + dZ^T X + (S + S^T) V}
 * with {@code dt_i = -sum_n dH_ni A_ni / t_i^2}, {@code E_ij = |P_ij| q_j / q_i},
 * {@code S_ij = dt_i sign(P_ij) q_j / q_i}; {@code dL/db = sum_n dZ_n};
 * {@code dL/dlogQ_k = sum_i dt_i E_ik - dt_k t_k}.
 *
 * <p><b>Bound.</b> {@link #lipschitzBound()} re-checks the scaled diagonal dominance in float64 from the effective
 * {@code 1/t} actually used: with {@code rho = max_i (sum_j |P_ij| q_j / q_i + err_i) t_i}, {@code rho <= 1}
 * gives the bound 1; otherwise {@code T' = rho T} is admissible and
 * {@code ||I - 2 W T^-1 D W^T|| <= 1 + 2 (rho - 1) sigma_max(W)^2 max_i 1/(rho t_i)}.
 */
public final class SllDense implements Layer {

    private final int n;
    private final int m;
    private final DataType type;
    private final Parameter weight;
    private final Parameter bias;
    private final Parameter logQ;
    private INDArray input;
    private INDArray z;
    private INDArray act;
    private INDArray gram;
    private INDArray tInv;
    private INDArray ratio;
    private boolean lastTraining;

    /**
     * A block of width {@code width} with {@code hidden} hidden units.
     *
     * @throws IllegalArgumentException if a size is not positive or the type is not FLOAT/DOUBLE
     */
    public SllDense(int width, int hidden, long seed, DataType type) {
        if (width <= 0) {
            throw new IllegalArgumentException("width must be positive, got " + width);
        }
        if (hidden <= 0) {
            throw new IllegalArgumentException("hidden must be positive, got " + hidden);
        }
        this.n = width;
        this.m = hidden;
        this.type = type;
        this.weight = new Parameter("weight",
                Initializers.normal(hidden, width, Math.sqrt(2.0 / (hidden + width)), seed, type));
        this.bias = new Parameter("bias", Nd4j.zeros(type, hidden));
        this.logQ = new Parameter("logQ", Nd4j.zeros(type, hidden));
    }

    /** The weight {@code V = W^T} (hidden, width). */
    public Parameter weight() {
        return weight;
    }

    /** The bias (hidden). */
    public Parameter bias() {
        return bias;
    }

    /** The log-scales {@code log q} (hidden). */
    public Parameter logQ() {
        return logQ;
    }

    @Override
    public List<Parameter> parameters() {
        return List.of(weight, bias, logQ);
    }

    /**
     * Computes {@code P}, {@code q_j / q_i} and {@code 1/t} from the current parameters (layer data type).
     *
     * @throws IllegalArgumentException if a {@code t_i} is NaN (NaN or infinite parameters)
     */
    private void computeT() {
        INDArray v = weight.value();
        gram = Nd4j.create(type, new long[] {m, m}, 'c');
        Nd4j.gemm(v, v, gram, false, true, 1.0, 0.0);
        INDArray q = Transforms.exp(logQ.value(), true);
        INDArray qInv = Transforms.exp(logQ.value().neg(), false);
        ratio = Nd4j.ones(type, m, m).mulColumnVector(qInv.reshape(m, 1)).mulRowVector(q.reshape(1, m));
        INDArray t = Transforms.abs(gram, true).muli(ratio).sum(1);
        double[] td = t.toDoubleVector();
        double[] inv = new double[m];
        for (int i = 0; i < m; i++) {
            if (Double.isNaN(td[i])) {
                throw new IllegalArgumentException("weight or logQ holds NaN or infinite values (t_" + i + " is NaN)");
            }
            inv[i] = td[i] > 0 ? 1.0 / td[i] : 0.0;
        }
        tInv = Nd4j.createFromArray(inv).castTo(type);
    }

    /** The input shape, which must be {@code [width]}. */
    @Override
    public int[] outputShape(int[] input) {
        Tensors.checkVectorShape(input, n);
        return input.clone();
    }

    @Override
    public INDArray forward(INDArray x, boolean training) {
        Tensors.checkMatrix(x, n, "input");
        INDArray xt = Tensors.as(x, type);
        computeT();
        z = Nd4j.create(type, new long[] {xt.size(0), m}, 'c');
        Nd4j.gemm(xt, weight.value(), z, false, true, 1.0, 0.0);
        z.addiRowVector(bias.value());
        act = Transforms.relu(z, true);
        INDArray h = act.mulRowVector(tInv);
        INDArray y = xt.dup('c');
        Nd4j.gemm(h, weight.value(), y, false, false, -2.0, 1.0);
        input = xt;
        lastTraining = training;
        return y;
    }

    @Override
    public INDArray backward(INDArray gradOutput) {
        if (input == null) {
            throw new IllegalStateException("backward called before forward");
        }
        Tensors.checkSameShape(gradOutput, input, "gradOutput");
        INDArray g = Tensors.as(gradOutput, type);
        INDArray v = weight.value();
        INDArray dh = Nd4j.create(type, new long[] {g.size(0), m}, 'c');
        Nd4j.gemm(g, v, dh, false, true, -2.0, 0.0);
        INDArray mask = z.gt(0).castTo(type);
        INDArray dz = dh.mulRowVector(tInv).muli(mask);
        INDArray gIn = g.dup('c');
        Nd4j.gemm(dz, v, gIn, false, false, 1.0, 1.0);
        if (lastTraining) {
            INDArray h = act.mulRowVector(tInv);
            INDArray gv = Nd4j.create(type, new long[] {m, n}, 'c');
            Nd4j.gemm(h, g, gv, true, false, -2.0, 0.0);
            Nd4j.gemm(dz, input, gv, true, false, 1.0, 1.0);
            // dt_i = -(sum_n dH_ni A_ni) / t_i^2 = -(sum_n dH_ni A_ni) * tInv_i^2
            INDArray dt = dh.mul(act).sum(0).muli(tInv).muli(tInv).negi();
            INDArray s = Transforms.sign(gram, true).muli(ratio).mulColumnVector(dt.reshape(m, 1));
            Nd4j.gemm(s.add(s.transpose()), v, gv, false, false, 1.0, 1.0);
            weight.accumulate(gv);
            bias.accumulate(dz.sum(0));
            INDArray e = Transforms.abs(gram, true).muli(ratio);
            INDArray t = e.sum(1);
            INDArray dq = e.mulColumnVector(dt.reshape(m, 1)).sum(0).subi(dt.mul(t));
            logQ.accumulate(dq);
        }
        return gIn;
    }

    @Override
    public double lipschitzBound() {
        computeT();
        INDArray v = weight.value().castTo(DataType.DOUBLE);
        INDArray p = Nd4j.create(DataType.DOUBLE, new long[] {m, m}, 'c');
        Nd4j.gemm(v, v, p, false, true, 1.0, 0.0);
        double[] pm = p.dup('c').data().asDouble();
        double[] lq = logQ.value().toDoubleVector();
        double[] inv = tInv.toDoubleVector();
        double u = Math.ulp(1.0) / 2;
        double gamma = n * u / (1 - n * u);
        double[] rowNorm2 = new double[m];
        double[] vd = v.dup('c').data().asDouble();
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                rowNorm2[i] += vd[i * n + j] * vd[i * n + j];
            }
        }
        double rel = 8.0 * (m + n + 8) * u;
        double rho = 0;
        double maxInv = 0;
        for (int i = 0; i < m; i++) {
            if (inv[i] == 0) {
                continue; // a zero row of V contributes nothing
            }
            double sum = 0;
            for (int j = 0; j < m; j++) {
                double err = gamma * Math.sqrt(rowNorm2[i] * rowNorm2[j]) * (1 + rel);
                sum += (Math.abs(pm[i * m + j]) + err) * Math.exp(lq[j] - lq[i]);
            }
            rho = Math.max(rho, sum * (1 + rel) * inv[i]);
            maxInv = Math.max(maxInv, inv[i]);
        }
        if (!(rho < Double.POSITIVE_INFINITY)) {
            throw new IllegalArgumentException("weight or logQ cannot be bounded: the scaled row sums give " + rho);
        }
        if (rho <= 1) {
            return 1.0;
        }
        double s = SpectralBounds.upperBound(v);
        return Math.nextUp((1 + 2 * (rho - 1) * s * s * maxInv / rho) * (1 + rel));
    }

    /** A copy with the same (copied) parameters; the layer has no iterative state, so this fixes its function. */
    @Override
    public SllDense export() {
        return copy(type);
    }

    /** A float64 copy of the parameters; {@code 1/t} is then recomputed in float64. */
    @Override
    public SllDense toFloat64() {
        return copy(DataType.DOUBLE);
    }

    private SllDense copy(DataType t) {
        SllDense c = new SllDense(n, m, 0, t);
        c.weight.value().assign(weight.value().castTo(t));
        c.bias.value().assign(bias.value().castTo(t));
        c.logQ.value().assign(logQ.value().castTo(t));
        return c;
    }

    @Override
    public String toString() {
        return "SllDense[width=" + n + ", hidden=" + m + ", " + type + "]";
    }
}
