package org.lipot.lipschitz.loss;

import java.util.Arrays;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The negated Kantorovich-Rubinstein objective of two weighted samples in one batch, the loss of the dual estimate of
 * W_1 ({@link org.lipot.lipschitz.kr.KantorovichDual}): with signed weights {@code w_i} as targets ({@code +a_i} for
 * the points of the first measure, {@code -b_j} for those of the second),
 *
 * <pre>  L = -sum_i w_i f_i,   dL/df_i = -w_i,</pre>
 *
 * so minimising {@code L} maximises {@code sum a_i f(x_i) - sum b_j f(y_j)}. Unlike {@link KR}, whose groups are
 * equally weighted means, each sample carries its own weight; with weights {@code 1/n_pos} and {@code -1/n_neg} the
 * two agree. Per-sample values {@code -B w_i f_i} have {@code L} as their mean. Shapes: {@code B x 1} or length
 * {@code B}, the same for both; units those of {@code f} times the weights'.
 */
public record WeightedKR() implements Loss {

    @Override
    public String name() {
        return "WeightedKR";
    }

    @Override
    public double value(INDArray yPred, INDArray yTrue) {
        return evaluate(yPred, yTrue).value();
    }

    @Override
    public INDArray perSample(INDArray yPred, INDArray yTrue) {
        double[][] fw = checked(yPred, yTrue);
        double[] s = new double[fw[0].length];
        for (int i = 0; i < s.length; i++) {
            s[i] = -s.length * fw[1][i] * fw[0][i];
        }
        return Nd4j.createFromArray(s).castTo(yPred.dataType());
    }

    @Override
    public LossEvaluation evaluate(INDArray yPred, INDArray yTrue) {
        double[][] fw = checked(yPred, yTrue);
        double value = 0;
        double[] g = new double[fw[0].length];
        for (int i = 0; i < g.length; i++) {
            value -= fw[1][i] * fw[0][i];
            g[i] = -fw[1][i];
        }
        return new LossEvaluation(value, Nd4j.create(g, yPred.shape(), DataType.DOUBLE).castTo(yPred.dataType()));
    }

    /** {f, w} as doubles, after checking shapes and finiteness. */
    private static double[][] checked(INDArray yPred, INDArray yTrue) {
        if (yPred == null || yTrue == null) {
            throw new IllegalArgumentException((yPred == null ? "yPred" : "yTrue") + " must not be null");
        }
        if (yPred.length() == 0 || yPred.length() != yPred.size(0) || !Arrays.equals(yPred.shape(), yTrue.shape())) {
            throw new IllegalArgumentException("yPred and yTrue must both be B x 1 or of length B, got "
                    + Arrays.toString(yPred.shape()) + " and " + Arrays.toString(yTrue.shape()));
        }
        double[] f = yPred.castTo(DataType.DOUBLE).dup('c').data().asDouble();
        double[] w = yTrue.castTo(DataType.DOUBLE).dup('c').data().asDouble();
        for (int i = 0; i < f.length; i++) {
            if (!Double.isFinite(f[i]) || !Double.isFinite(w[i])) {
                throw new IllegalArgumentException((Double.isFinite(f[i]) ? "yTrue" : "yPred") + ": entry " + i
                        + " is " + (Double.isFinite(f[i]) ? w[i] : f[i]));
            }
        }
        return new double[][] {f, w};
    }
}
