package org.lipot.lipschitz.loss;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Multiclass margin loss (deel-lip {@code MultiMargin}, the same as PyTorch's {@code multi_margin_loss}
 * with p = 1): every other class must be below the true one by at least {@code m},
 *
 * <pre>  per_i = (1/C) sum_{k != y_i} relu(m - f_{i,y_i} + f_ik)</pre>
 *
 * Gradient: {@code 1/(B C)} for each active {@code k != y_i} (argument {@code > 0}), and
 * {@code -(number of active k)/(B C)} for the true class; relu'(0) = 0. Needs one-hot labels (exactly one
 * positive entry per row) and {@code C >= 2}. Note that the margin is on the difference {@code f_y - f_k},
 * which a 1-Lipschitz network can change at rate {@code sqrt(2)}, so a margin {@code m} certifies a radius
 * {@code m / sqrt(2)}.
 *
 * @param margin {@code m >= 0}, in the units of {@code f}
 */
public record MultiMargin(double margin) implements BatchLoss {

    public MultiMargin {
        Batch.checkMargin(margin);
    }

    /** The same loss with another margin. */
    public MultiMargin withMargin(double newMargin) {
        return new MultiMargin(newMargin);
    }

    @Override
    public String name() {
        return "MultiMargin(margin=" + margin + ")";
    }

    @Override
    public Batch batch(INDArray yPred, INDArray yTrue) {
        return Batch.multiclass(yPred, yTrue).requireClasses(2, "a margin between classes");
    }

    @Override
    public double compute(Batch b, double[] perSample, double[] grad) {
        int rows = b.rows;
        int cols = b.cols;
        int[] labels = b.labels();
        double g = 1.0 / ((double) rows * cols);
        double total = 0;
        for (int i = 0; i < rows; i++) {
            int base = i * cols;
            double fy = b.f[base + labels[i]];
            double per = 0;
            int active = 0;
            for (int k = 0; k < cols; k++) {
                if (k == labels[i]) {
                    continue;
                }
                double z = margin - fy + b.f[base + k];
                if (z > 0) {
                    per += z;
                    active++;
                    if (grad != null) {
                        grad[base + k] = g;
                    }
                }
            }
            if (grad != null) {
                grad[base + labels[i]] = -active * g;
            }
            per /= cols;
            perSample[i] = per;
            total += per;
        }
        return total / rows;
    }
}
