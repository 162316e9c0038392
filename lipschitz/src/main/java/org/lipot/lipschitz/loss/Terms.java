package org.lipot.lipschitz.loss;

/**
 * The KR and hinge terms shared by the binary and multiclass losses. Each method adds {@code weight} times
 * its term to {@code perSample} and (if not null) its gradient to {@code grad}, and returns {@code weight}
 * times the term's mean value, so HKR losses are sums of calls.
 */
final class Terms {

    private Terms() {
    }

    /**
     * Kantorovich-Rubinstein term, column by column, averaged over the {@code C} columns:
     * {@code KR = (1/C) sum_k [mean_{i: y_ik > 0} f_ik - mean_{i: y_ik <= 0} f_ik]}; the mean over an empty
     * group is 0. {@code d KR / d f_ik = (1/C)(1/n_k)} for positives, {@code -(1/C)(1/(B - n_k))} otherwise.
     * Per-sample: {@code B * sum_k f_ik * dKR/df_ik} (their mean is KR). With {@code C = 1} this is the
     * binary KR.
     */
    static double kr(Batch b, double weight, double[] perSample, double[] grad) {
        int rows = b.rows;
        int cols = b.cols;
        double[] pos = new double[cols];
        double[] neg = new double[cols];
        int[] nPos = new int[cols];
        for (int i = 0; i < rows; i++) {
            for (int k = 0; k < cols; k++) {
                if (b.positive(i * cols + k)) {
                    nPos[k]++;
                }
            }
        }
        for (int k = 0; k < cols; k++) {
            int nNeg = rows - nPos[k];
            pos[k] = nPos[k] > 0 ? 1.0 / nPos[k] / cols : 0.0;
            neg[k] = nNeg > 0 ? -1.0 / nNeg / cols : 0.0;
        }
        double value = 0;
        for (int i = 0; i < rows; i++) {
            double row = 0;
            for (int k = 0; k < cols; k++) {
                int at = i * cols + k;
                double coef = b.positive(at) ? pos[k] : neg[k];
                row += coef * b.f[at];
                if (grad != null) {
                    grad[at] += weight * coef;
                }
            }
            value += row;
            perSample[i] += weight * rows * row;
        }
        return weight * value;
    }

    /**
     * Binary hinge: {@code mean_i relu(m/2 - s_i f_i)}; gradient {@code -s_i / B} where the argument is
     * {@code > 0}.
     */
    static double binaryHinge(Batch b, double margin, double weight, double[] perSample, double[] grad) {
        int rows = b.rows;
        double sum = 0;
        for (int i = 0; i < rows; i++) {
            double s = b.positive(i) ? 1.0 : -1.0;
            double z = margin / 2 - s * b.f[i];
            if (z > 0) {
                sum += z;
                perSample[i] += weight * z;
                if (grad != null) {
                    grad[i] += -weight * s / rows;
                }
            }
        }
        return weight * sum / rows;
    }

    /**
     * Multiclass hinge (deel-lip): {@code (1/(B C)) sum_i sum_k w_ik relu(m/2 - s_ik f_ik)}, {@code s_ik = +1}
     * for the positive entries and {@code -1} otherwise, {@code w_ik = C - 1} for the positive entries and 1
     * otherwise. Per-sample {@code (1/C) sum_k w_ik relu(...)}; gradient {@code -w_ik s_ik / (B C)} where
     * the argument is {@code > 0}.
     */
    static double multiclassHinge(Batch b, double margin, double weight, double[] perSample, double[] grad) {
        int rows = b.rows;
        int cols = b.cols;
        double half = margin / 2;
        double g = weight / ((double) rows * cols);
        double total = 0;
        for (int i = 0; i < rows; i++) {
            double row = 0;
            for (int k = 0; k < cols; k++) {
                int at = i * cols + k;
                boolean p = b.positive(at);
                double z = p ? half - b.f[at] : half + b.f[at];
                if (z > 0) {
                    double w = p ? cols - 1.0 : 1.0;
                    row += w * z;
                    if (grad != null) {
                        grad[at] += p ? -w * g : w * g;
                    }
                }
            }
            row /= cols;
            total += row;
            perSample[i] += weight * row;
        }
        return weight * total / rows;
    }
}
