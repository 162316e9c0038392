package org.lipot.lipschitz.loss;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * float64 central finite differences ({@code h = 1e-6}) of every loss against its analytic gradient, on
 * random outputs (fixed seeds) drawn from a continuous distribution, so no hinge argument lies within
 * {@code h} of its kink (checked: a kink crossed inside the stencil would show up as an O(1/B) error).
 * Also: per-sample values average to the value, {@code evaluate} agrees with {@code value}, and float32
 * inputs give float32 outputs within float32 rounding of the float64 ones.
 */
class LossGradientCheckTest {

    static final double H = 1e-6;
    /** Tolerance on |fd - analytic|, relative to the largest gradient entry. */
    static final double TOL = 1e-7;
    static double worst;

    record Case(String name, Loss loss, boolean binary, int rows, int cols, long seed, boolean dropLastClass) {
        @Override
        public String toString() {
            return name + " " + rows + "x" + cols;
        }
    }

    static Stream<Arguments> cases() {
        List<Case> c = new ArrayList<>();
        c.add(new Case("KR", new KR(), true, 13, 1, 1, false));
        c.add(new Case("WeightedKR", new WeightedKR(), true, 13, 1, 18, false));
        c.add(new Case("HingeMargin", new HingeMargin(1.3), true, 13, 1, 2, false));
        c.add(new Case("HKR deel-lip", HKR.deelLip(10, 1.0), true, 13, 1, 3, false));
        c.add(new Case("HKR torchlip", HKR.torchlip(0.8, 2.0), true, 13, 1, 4, false));
        c.add(new Case("TauBCE", new TauBinaryCrossentropy(3), true, 13, 1, 5, false));
        c.add(new Case("MulticlassKR", new MulticlassKR(), false, 12, 5, 6, false));
        c.add(new Case("MulticlassKR absent class", new MulticlassKR(), false, 12, 5, 6, true));
        c.add(new Case("MulticlassHinge", new MulticlassHinge(0.7), false, 12, 5, 7, false));
        c.add(new Case("MulticlassHKR deel-lip", MulticlassHKR.deelLip(50, 0.5), false, 12, 5, 8, false));
        c.add(new Case("MulticlassHKR torchlip", MulticlassHKR.torchlip(0.9, 1.0), false, 12, 5, 9, true));
        c.add(new Case("TauCCE", new TauCategoricalCrossentropy(4), false, 12, 5, 10, false));
        c.add(new Case("MultiMargin", new MultiMargin(0.8), false, 12, 5, 11, false));
        c.add(new Case("SoftHKR torchlip", MulticlassSoftHKR.torchlip(0.9, 1.0, 2.5), false, 12, 6, 12, false));
        c.add(new Case("SoftHKR deel-lip", MulticlassSoftHKR.deelLip(20, 0.6, 7.0), false, 12, 6, 13, false));
        c.add(new Case("SoftHKR 2 classes", MulticlassSoftHKR.torchlip(0.5, 1.0, 1.0), false, 9, 2, 14, false));
        c.add(new Case("LseHKR torchlip", MulticlassLseHKR.torchlip(0.9, 1.0, 1.0, 1.0), false, 12, 6, 15, false));
        c.add(new Case("LseHKR deel-lip", MulticlassLseHKR.deelLip(5, 0.5, 2.0, 0.5), false, 12, 6, 16, false));
        c.add(new Case("LseHKR 2 classes", MulticlassLseHKR.torchlip(0.7, 1.0, 1.5, 1.0), false, 9, 2, 17, false));
        return c.stream().map(Arguments::of);
    }

    static INDArray[] data(Case c) {
        Random rng = new Random(c.seed());
        int n = c.rows() * c.cols();
        double[] f = new double[n];
        for (int i = 0; i < n; i++) {
            f[i] = 0.8 * rng.nextGaussian();
        }
        double[] y = new double[n];
        if (c.binary()) {
            for (int i = 0; i < c.rows(); i++) {
                y[i] = i % 3 == 0 ? -1 : 1; // {-1, 1} labels
            }
            return new INDArray[] {Nd4j.create(f, new long[] {c.rows(), 1}, DataType.DOUBLE),
                    Nd4j.create(y, new long[] {c.rows(), 1}, DataType.DOUBLE)};
        }
        int classes = c.dropLastClass() ? c.cols() - 1 : c.cols();
        for (int i = 0; i < c.rows(); i++) {
            y[i * c.cols() + (i < classes ? i : rng.nextInt(classes))] = 1;
        }
        return new INDArray[] {Nd4j.create(f, new long[] {c.rows(), c.cols()}, DataType.DOUBLE),
                Nd4j.create(y, new long[] {c.rows(), c.cols()}, DataType.DOUBLE)};
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void gradientMatchesCentralDifferences(Case c) {
        INDArray[] d = data(c);
        INDArray yPred = d[0];
        INDArray yTrue = d[1];
        LossEvaluation e = c.loss().evaluate(yPred, yTrue);
        double[] g = e.gradient().dup().data().asDouble();
        double gMax = 0;
        for (double v : g) {
            gMax = Math.max(gMax, Math.abs(v));
        }
        assertTrue(gMax > 0, "gradient is not identically zero");
        double[] f = yPred.dup().data().asDouble();
        long[] shape = yPred.shape();
        for (int i = 0; i < f.length; i++) {
            double[] plus = f.clone();
            double[] minus = f.clone();
            plus[i] += H;
            minus[i] -= H;
            double fd = (c.loss().value(Nd4j.create(plus, shape, DataType.DOUBLE), yTrue)
                    - c.loss().value(Nd4j.create(minus, shape, DataType.DOUBLE), yTrue)) / (2 * H);
            double err = Math.abs(fd - g[i]) / gMax;
            worst = Math.max(worst, err);
            assertTrue(err <= TOL, c + ": entry " + i + " analytic " + g[i] + " vs finite difference " + fd
                    + " (error " + err + " of the largest entry)");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void perSampleAveragesToValueAndEvaluateAgrees(Case c) {
        INDArray[] d = data(c);
        double v = c.loss().value(d[0], d[1]);
        double[] per = c.loss().perSample(d[0], d[1]).data().asDouble();
        assertEquals(c.rows(), per.length);
        double mean = 0;
        for (double p : per) {
            mean += p / per.length;
        }
        assertEquals(v, mean, 1e-13 * Math.max(1, Math.abs(v)));
        assertEquals(v, c.loss().evaluate(d[0], d[1]).value(), 0.0);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void float32InputsGiveFloat32Outputs(Case c) {
        INDArray[] d = data(c);
        INDArray f32 = d[0].castTo(DataType.FLOAT);
        INDArray y32 = d[1].castTo(DataType.FLOAT);
        LossEvaluation e64 = c.loss().evaluate(f32.castTo(DataType.DOUBLE), d[1]);
        LossEvaluation e32 = c.loss().evaluate(f32, y32);
        assertEquals(DataType.FLOAT, e32.gradient().dataType());
        assertEquals(DataType.FLOAT, c.loss().perSample(f32, y32).dataType());
        assertEquals(e64.value(), e32.value(), 0.0, "computed in double from the same float32 inputs");
        double[] g64 = e64.gradient().data().asDouble();
        double[] g32 = e32.gradient().data().asDouble();
        for (int i = 0; i < g64.length; i++) {
            assertEquals(g64[i], g32[i], 1e-7 * Math.abs(g64[i]) + 1e-30, "gradient entry " + i);
        }
    }

    @AfterAll
    static void report() {
        System.out.println("LossGradientCheckTest: largest |fd - analytic| / max|grad| = " + worst);
    }
}
