package org.lipot.lipschitz.certify;

import java.util.Arrays;

/**
 * Certificates of a batch of inputs, from {@link Certificates#evaluate}. Immutable (arrays are copied in
 * and out). Radii are in the units of the input space (the Euclidean distance an adversary may move an
 * input), already divided by the Lipschitz bound.
 *
 * @param lipschitzBound         the bound {@code L} the radii were divided by
 * @param scope                  what {@code L} bounds
 * @param radii                  signed certified radius of each input for its <em>true</em> label:
 *                               {@code (f_y - max_{j != y} f_j) / (c L)} ({@code c = sqrt(2)} or 2, see
 *                               {@link LipschitzScope}), or {@code s f / L} for one output; {@code > 0} iff the
 *                               input is correctly classified, and then no perturbation of norm below it
 *                               changes the class
 * @param predictedRadii         certified radius of the <em>predicted</em> class, {@code (top1 - top2) / (c L)}
 *                               ({@code |f| / L} for one output), {@code >= 0}
 * @param predictions            predicted class of each input (argmax, lowest index on ties; for one output
 *                               1 if {@code f > 0} else 0)
 * @param accuracy               fraction of inputs whose prediction equals the label
 * @param epsilons               the radii asked for
 * @param certifiedAccuracy      for each {@code epsilons[i]}, the fraction of inputs with radius
 *                               {@code > epsilons[i]} (correct and provably robust)
 * @param meanCertificate        mean of {@code predictedRadii} over all inputs (deel-lip's convention)
 * @param meanCertificateCorrect mean of {@code radii} over the correctly classified inputs (0 if none)
 * @param meanSignedCertificate  mean of {@code radii} over all inputs
 */
public record CertificateReport(double lipschitzBound, LipschitzScope scope, double[] radii, double[] predictedRadii,
                                int[] predictions, double accuracy, double[] epsilons, double[] certifiedAccuracy,
                                double meanCertificate, double meanCertificateCorrect,
                                double meanSignedCertificate) {

    public CertificateReport {
        if (scope == null || radii == null || predictedRadii == null || predictions == null || epsilons == null
                || certifiedAccuracy == null) {
            throw new IllegalArgumentException("scope and arrays must not be null");
        }
        if (predictedRadii.length != radii.length || predictions.length != radii.length
                || certifiedAccuracy.length != epsilons.length) {
            throw new IllegalArgumentException("radii, predictedRadii and predictions must have one entry per input,"
                    + " certifiedAccuracy one per epsilon");
        }
        radii = radii.clone();
        predictedRadii = predictedRadii.clone();
        predictions = predictions.clone();
        epsilons = epsilons.clone();
        certifiedAccuracy = certifiedAccuracy.clone();
    }

    /** Number of inputs. */
    public int size() {
        return radii.length;
    }

    /**
     * Provable robust accuracy at {@code epsilon}: the fraction of inputs whose signed radius is
     * {@code > epsilon}, i.e. correctly classified and provably so within the ball of that radius.
     *
     * @throws IllegalArgumentException if {@code epsilon} is negative or NaN
     */
    public double provableRobustAccuracy(double epsilon) {
        return Certificates.provableRobustAccuracy(radii, epsilon);
    }

    /** A histogram of the signed radii over {@code [min, max]} of the radii (a single bin if all equal). */
    public RadiusHistogram histogram(int bins) {
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (double r : radii) {
            lo = Math.min(lo, r);
            hi = Math.max(hi, r);
        }
        if (radii.length == 0) {
            lo = 0;
            hi = 1;
        } else if (lo == hi) {
            hi = lo + Math.max(Math.ulp(lo), 1e-12);
        }
        return RadiusHistogram.of(radii, bins, lo, hi);
    }

    @Override
    public double[] radii() {
        return radii.clone();
    }

    @Override
    public double[] predictedRadii() {
        return predictedRadii.clone();
    }

    @Override
    public int[] predictions() {
        return predictions.clone();
    }

    @Override
    public double[] epsilons() {
        return epsilons.clone();
    }

    @Override
    public double[] certifiedAccuracy() {
        return certifiedAccuracy.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CertificateReport r && lipschitzBound == r.lipschitzBound && scope == r.scope
                && Arrays.equals(radii, r.radii) && Arrays.equals(predictions, r.predictions)
                && Arrays.equals(epsilons, r.epsilons);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(radii);
    }

    @Override
    public String toString() {
        return "CertificateReport[n=" + radii.length + ", L=" + lipschitzBound + " (" + scope + "), accuracy="
                + accuracy + ", epsilons=" + Arrays.toString(epsilons) + ", certifiedAccuracy="
                + Arrays.toString(certifiedAccuracy) + ", meanCertificate=" + meanCertificate + "]";
    }
}
