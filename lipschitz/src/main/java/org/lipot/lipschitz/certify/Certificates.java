package org.lipot.lipschitz.certify;

import java.util.Arrays;

import org.lipot.lipschitz.nn.Layer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Output-side robustness certificates of a Lipschitz classifier: given the outputs {@code f(x)} of a batch,
 * the labels and an upper bound {@code L} of the Lipschitz constant (Euclidean norms), the radius around
 * each input within which the predicted class provably cannot change.
 *
 * <p><b>Math.</b> Multiclass ({@code C >= 2} outputs), true class {@code y}:
 * <pre>  radius(x) = (f_y(x) - max_{j != y} f_j(x)) / (c L),   c = sqrt(2) (L bounds the network) or 2 (L bounds
 *                                                           each output, {@link LipschitzScope})</pre>
 * If {@code ||delta|| < radius}, then {@code f_y(x + delta) > f_j(x + delta)} for every {@code j != y}.
 * Binary (one output, positive iff label {@code > 0}, sign {@code s = +-1}): {@code radius = s f(x) / L}.
 * The radius is signed: negative for misclassified inputs. A point is certified at {@code epsilon} iff its
 * radius is {@code > epsilon}; the fraction of such points is the certified (provable robust) accuracy.
 *
 * <p>The certificates are only as sound as {@code L}: pass an upper bound computed from the actual weights,
 * never the nominal 1 (float32 weights that are orthonormal "to rounding" have a norm slightly above 1).
 *
 * <p>Outputs are {@code B x C} (any floating type; computed in double), or {@code B x 1} / length {@code B}
 * for binary. Bad input (non-positive or non-finite {@code L}, NaN or infinite outputs, a label count that
 * does not match, labels outside {@code [0, C)}, negative epsilons) raises {@link IllegalArgumentException}
 * naming the argument.
 */
public final class Certificates {

    private Certificates() {
    }

    /**
     * The signed certified radius of each input for its true label.
     *
     * @param outputs        {@code B x C} network outputs, or {@code B x 1} / length {@code B} for binary
     * @param labels         the true class of each input ({@code [0, C)}; binary: positive iff {@code > 0})
     * @param lipschitzBound {@code L > 0}, an upper bound of the Lipschitz constant in the given scope
     * @param scope          what {@code L} bounds
     */
    public static double[] radii(INDArray outputs, int[] labels, double lipschitzBound, LipschitzScope scope) {
        Outputs o = Outputs.of(outputs, labels, lipschitzBound, scope);
        double[] r = new double[o.rows];
        for (int i = 0; i < o.rows; i++) {
            r[i] = o.signedMargin(i) / o.denominator;
        }
        return r;
    }

    /**
     * The certified radius of each input for its <em>predicted</em> class: {@code (top1 - top2) / (c L)}, or
     * {@code |f| / L} for one output; no labels needed.
     */
    public static double[] predictedRadii(INDArray outputs, double lipschitzBound, LipschitzScope scope) {
        Outputs o = Outputs.of(outputs, null, lipschitzBound, scope);
        double[] r = new double[o.rows];
        for (int i = 0; i < o.rows; i++) {
            r[i] = o.topMargin(i) / o.denominator;
        }
        return r;
    }

    /**
     * Provable robust accuracy at {@code epsilon}: the fraction of radii {@code > epsilon}.
     *
     * @param radii signed radii from {@link #radii}
     * @throws IllegalArgumentException if {@code epsilon} is negative or NaN, or {@code radii} is empty
     */
    public static double provableRobustAccuracy(double[] radii, double epsilon) {
        checkEpsilon(epsilon, "epsilon");
        if (radii == null || radii.length == 0) {
            throw new IllegalArgumentException("radii must not be empty");
        }
        int n = 0;
        for (double r : radii) {
            if (r > epsilon) {
                n++;
            }
        }
        return (double) n / radii.length;
    }

    /**
     * Certifies {@code model} on {@code inputs} in float64: runs its float64 copy ({@link Layer#toFloat64()}: the
     * same arrays widened exactly, factors {@code k} and {@code t} unrounded) in inference mode on the inputs widened
     * to float64, and divides the margins by that copy's sound Lipschitz bound {@link Layer#lipschitzBound(int[])} on
     * samples of the inputs' shape (a convolution's bound depends on the image size), computed from the weights
     * inference uses (never assumed to be 1). Margins and bound thus describe the same
     * function; float64 rounding of the margins (relative ~1e-16, against the float32 ~1e-7 of a float32 forward
     * pass) is not bounded rigorously.
     *
     * @param model    the classifier
     * @param inputs   one input per row (or NCHW images)
     * @param labels   true classes
     * @param scope    what the model's bound bounds ({@link LipschitzScope#NETWORK} for a network of 1-Lipschitz
     *                 layers; {@link LipschitzScope#PER_OUTPUT} if only each output is bounded)
     * @param epsilons radii at which to report the certified accuracy
     * @throws IllegalArgumentException naming the layer if the model contains a layer whose Lipschitz constant
     *                                  cannot be bounded (nothing is certified then), or as {@link #evaluate}
     */
    public static CertificateReport certify(Layer model, INDArray inputs, int[] labels, LipschitzScope scope,
                                            double... epsilons) {
        Layer exact;
        double bound;
        try {
            exact = model.toFloat64();
            bound = exact.lipschitzBound(sampleShape(inputs));
        } catch (UnsupportedOperationException e) {
            throw new IllegalArgumentException("model: cannot certify, its Lipschitz constant cannot be bounded: "
                    + e.getMessage(), e);
        }
        return evaluate(forwardInBatches(exact, inputs), labels, bound, scope, epsilons);
    }

    /**
     * Samples per inference batch of {@link #certify}: a convolutional network's activations of a whole test set
     * would not fit in memory (10 000 Fashion-MNIST images: 2 GB for the first layer alone, in float64), and a
     * float64 activation of 128 images with 32 channels (26 MB) stays below the 32 MB above which glibc maps fresh
     * pages for every allocation (256 images took 133 s to certify the peer's conv network).
     */
    static final int BATCH = 128;

    /** The model's float64 inference outputs on {@code inputs}, {@value #BATCH} samples at a time. */
    private static INDArray forwardInBatches(Layer model, INDArray inputs) {
        long n = inputs.size(0);
        INDArray out = null;
        for (long from = 0; from < n; from += BATCH) {
            long to = Math.min(n, from + BATCH);
            INDArray x = inputs.get(NDArrayIndex.interval(from, to)).castTo(DataType.DOUBLE);
            INDArray y = model.forward(x, false);
            if (out == null) {
                long[] shape = y.shape().clone();
                shape[0] = n;
                out = Nd4j.create(DataType.DOUBLE, shape);
            }
            out.get(NDArrayIndex.interval(from, to)).assign(y);
        }
        return out;
    }

    /** The shape of one sample of {@code inputs} (its shape without the batch dimension). */
    private static int[] sampleShape(INDArray inputs) {
        if (inputs == null || inputs.rank() < 2) {
            throw new IllegalArgumentException("inputs must hold one sample per row (rank >= 2), got "
                    + (inputs == null ? null : java.util.Arrays.toString(inputs.shape())));
        }
        int[] shape = new int[inputs.rank() - 1];
        for (int k = 0; k < shape.length; k++) {
            shape[k] = (int) inputs.size(k + 1);
        }
        return shape;
    }

    /**
     * All certificates of a batch at once.
     *
     * @param outputs        {@code B x C} network outputs, or {@code B x 1} / length {@code B} for binary
     * @param labels         true classes
     * @param lipschitzBound {@code L > 0}
     * @param scope          what {@code L} bounds
     * @param epsilons       radii at which to report the certified accuracy (for example 0, 36/255, 72/255)
     */
    public static CertificateReport evaluate(INDArray outputs, int[] labels, double lipschitzBound,
                                             LipschitzScope scope, double... epsilons) {
        if (epsilons == null) {
            throw new IllegalArgumentException("epsilons must not be null");
        }
        for (int i = 0; i < epsilons.length; i++) {
            checkEpsilon(epsilons[i], "epsilons[" + i + "]");
        }
        Outputs o = Outputs.of(outputs, labels, lipschitzBound, scope);
        double[] radii = new double[o.rows];
        double[] predicted = new double[o.rows];
        int[] predictions = new int[o.rows];
        int correct = 0;
        double sumPredicted = 0;
        double sumSigned = 0;
        double sumCorrect = 0;
        for (int i = 0; i < o.rows; i++) {
            radii[i] = o.signedMargin(i) / o.denominator;
            predicted[i] = o.topMargin(i) / o.denominator;
            predictions[i] = o.prediction(i);
            sumPredicted += predicted[i];
            sumSigned += radii[i];
            if (predictions[i] == o.classOf(i)) {
                correct++;
                sumCorrect += radii[i];
            }
        }
        double[] certified = new double[epsilons.length];
        for (int e = 0; e < epsilons.length; e++) {
            certified[e] = provableRobustAccuracy(radii, epsilons[e]);
        }
        return new CertificateReport(lipschitzBound, scope, radii, predicted, predictions, (double) correct / o.rows,
                epsilons, certified, sumPredicted / o.rows, correct == 0 ? 0.0 : sumCorrect / correct,
                sumSigned / o.rows);
    }

    private static void checkEpsilon(double epsilon, String name) {
        if (!(epsilon >= 0)) {
            throw new IllegalArgumentException(name + " must be >= 0, got " + epsilon);
        }
    }

    /** Validated outputs as row-major doubles. */
    private static final class Outputs {
        final double[] f;
        final int rows;
        final int cols;
        final int[] labels;
        final double denominator;

        private Outputs(double[] f, int rows, int cols, int[] labels, double denominator) {
            this.f = f;
            this.rows = rows;
            this.cols = cols;
            this.labels = labels;
            this.denominator = denominator;
        }

        static Outputs of(INDArray outputs, int[] labels, double lipschitzBound, LipschitzScope scope) {
            if (outputs == null) {
                throw new IllegalArgumentException("outputs must not be null");
            }
            if (scope == null) {
                throw new IllegalArgumentException("scope must not be null");
            }
            if (!(lipschitzBound > 0) || !Double.isFinite(lipschitzBound)) {
                throw new IllegalArgumentException("lipschitzBound must be finite and > 0, got " + lipschitzBound);
            }
            int rows;
            int cols;
            if (outputs.rank() == 1) {
                rows = (int) outputs.length();
                cols = 1;
            } else if (outputs.rank() == 2) {
                rows = (int) outputs.rows();
                cols = (int) outputs.columns();
            } else {
                throw new IllegalArgumentException("outputs must be B x C or a vector, got shape "
                        + Arrays.toString(outputs.shape()));
            }
            if (rows == 0 || cols == 0) {
                throw new IllegalArgumentException("outputs must not be empty, got shape "
                        + Arrays.toString(outputs.shape()));
            }
            if (!outputs.dataType().isFPType()) {
                throw new IllegalArgumentException("outputs must have a floating-point type, got "
                        + outputs.dataType());
            }
            INDArray c = outputs.isView() || outputs.ordering() != 'c' || outputs.data().length() != outputs.length()
                    ? outputs.dup('c') : outputs;
            double[] f = c.data().asDouble();
            for (int i = 0; i < f.length; i++) {
                if (!Double.isFinite(f[i])) {
                    throw new IllegalArgumentException("outputs: entry (" + i / cols + ", " + i % cols + ") is " + f[i]);
                }
            }
            if (labels != null) {
                if (labels.length != rows) {
                    throw new IllegalArgumentException("outputs has " + rows + " rows " + Arrays.toString(outputs.shape())
                            + " but labels has length " + labels.length);
                }
                if (cols > 1) {
                    for (int i = 0; i < rows; i++) {
                        if (labels[i] < 0 || labels[i] >= cols) {
                            throw new IllegalArgumentException("labels: entry " + i + " is " + labels[i]
                                    + ", outside [0, " + cols + ") for " + cols + " outputs");
                        }
                    }
                }
                labels = labels.clone();
            }
            double den = cols == 1 ? lipschitzBound : scope.marginFactor() * lipschitzBound;
            return new Outputs(f, rows, cols, labels, den);
        }

        /** True class (binary: 1 if the label is > 0 else 0). */
        int classOf(int i) {
            return cols == 1 ? (labels[i] > 0 ? 1 : 0) : labels[i];
        }

        int prediction(int i) {
            if (cols == 1) {
                return f[i] > 0 ? 1 : 0;
            }
            int best = 0;
            for (int k = 1; k < cols; k++) {
                if (f[i * cols + k] > f[i * cols + best]) {
                    best = k;
                }
            }
            return best;
        }

        /** {@code f_y - max_{j != y} f_j}, or {@code s f} for one output. */
        double signedMargin(int i) {
            if (cols == 1) {
                return labels[i] > 0 ? f[i] : -f[i];
            }
            int y = labels[i];
            double other = Double.NEGATIVE_INFINITY;
            for (int k = 0; k < cols; k++) {
                if (k != y) {
                    other = Math.max(other, f[i * cols + k]);
                }
            }
            return f[i * cols + y] - other;
        }

        /** {@code top1 - top2}, or {@code |f|} for one output. */
        double topMargin(int i) {
            if (cols == 1) {
                return Math.abs(f[i]);
            }
            double top1 = Double.NEGATIVE_INFINITY;
            double top2 = Double.NEGATIVE_INFINITY;
            for (int k = 0; k < cols; k++) {
                double v = f[i * cols + k];
                if (v > top1) {
                    top2 = top1;
                    top1 = v;
                } else if (v > top2) {
                    top2 = v;
                }
            }
            return top1 - top2;
        }
    }
}
