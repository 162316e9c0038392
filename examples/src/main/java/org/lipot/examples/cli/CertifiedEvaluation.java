package org.lipot.examples.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.lipot.lipschitz.certify.CertificateReport;
import org.lipot.lipschitz.certify.Certificates;
import org.lipot.lipschitz.certify.EmpiricalLipschitz;
import org.lipot.lipschitz.certify.LipschitzScope;
import org.lipot.lipschitz.certify.RadiusHistogram;
import org.lipot.lipschitz.data.Dataset;
import org.lipot.lipschitz.io.Png;
import org.lipot.lipschitz.nn.Layer;

/**
 * Certifies a trained classifier on a test set, as the benchmark contract ({@code shared/bench/lip/README.md})
 * reports it: accuracy, certified accuracy at 0, 36, 72, 108 and 255 /255, mean certificate, the sound Lipschitz
 * bound the radii are divided by, and the empirical margin-gradient constant on the first 200 test points.
 */
final class CertifiedEvaluation {

    /** The radii of the report, in units of 1/255 of the [0, 1] pixel scale. */
    static final int[] EPSILONS_255 = {0, 36, 72, 108, 255};

    private CertifiedEvaluation() {
    }

    /** The report's figures, keyed as in the benchmark contract, and the full certificate report. */
    record Result(Map<String, Object> figures, CertificateReport report) {
    }

    static Result evaluate(Layer model, Dataset test) {
        long t0 = System.nanoTime();
        double[] eps = new double[EPSILONS_255.length];
        for (int k = 0; k < eps.length; k++) {
            eps[k] = EPSILONS_255[k] / 255.0;
        }
        CertificateReport r = Certificates.certify(model, test.features(), test.labels(), LipschitzScope.NETWORK, eps);
        double bound = r.lipschitzBound();
        double empirical = EmpiricalLipschitz.marginGradients(model, test.limit(200).features());
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("test_acc", r.accuracy());
        m.put("certified_acc", r.certifiedAccuracy()[1]);
        Map<String, Double> at = new LinkedHashMap<>();
        for (int k = 0; k < eps.length; k++) {
            at.put(EPSILONS_255[k] + "/255", r.certifiedAccuracy()[k]);
        }
        m.put("certified_acc_at", at);
        m.put("mean_certificate", r.meanCertificate());
        m.put("mean_certificate_correct", r.meanCertificateCorrect());
        m.put("mean_signed_certificate", r.meanSignedCertificate());
        m.put("lipschitz_upper_bound", bound);
        m.put("empirical_lipschitz", empirical);
        m.put("test_size", test.size());
        m.put("eval_seconds", (System.nanoTime() - t0) * 1e-9);
        if (empirical > bound * (1 + 1e-6)) {
            throw new IllegalStateException("empirical Lipschitz constant " + empirical + " exceeds the sound bound "
                    + bound + ": the bound is wrong; please report this");
        }
        return new Result(m, r);
    }

    /** A PNG histogram of the signed certified radii of the correctly classified test points. */
    static void writeHistogram(Path file, CertificateReport r) {
        double hi = 0;
        for (double v : r.radii()) {
            hi = Math.max(hi, v);
        }
        RadiusHistogram h = RadiusHistogram.of(r.radii(), 30, 0, Math.max(hi, 1e-6));
        double[] centres = new double[h.bins()];
        double[] counts = new double[h.bins()];
        long inRange = 0;
        for (int b = 0; b < h.bins(); b++) {
            centres[b] = Math.round(0.5 * (h.edges()[b] + h.edges()[b + 1]) * 255);
            counts[b] = h.counts()[b];
            inRange += h.counts()[b];
        }
        CategoryChart c = new CategoryChartBuilder().width(800).height(450)
                .title(String.format("certified radius of the %d correctly classified test points (of %d)",
                        inRange, r.size()))
                .xAxisTitle("radius x 255 (pixel units)").yAxisTitle("test points").build();
        c.getStyler().setLegendVisible(false);
        c.getStyler().setXAxisLabelRotation(90);
        c.getStyler().setAvailableSpaceFill(0.95);
        c.addSeries("radius", centres, counts);
        Png.write(file, c);
    }
}
