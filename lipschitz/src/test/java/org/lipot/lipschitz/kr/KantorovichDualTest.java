package org.lipot.lipschitz.kr;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.lipot.lipschitz.certify.EmpiricalLipschitz;
import org.lipot.transport.Wasserstein;
import org.lipot.transport.geometry.Cost;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The Kantorovich-Rubinstein dual estimate of W1 against exact EMD (network simplex, Euclidean cost): it never
 * exceeds the exact value (the potential divided by its sound bound is 1-Lipschitz) and comes close after training.
 */
class KantorovichDualTest {

    /** n points of N(mean, sd^2 I) in 2-D. */
    static double[][] gaussian(int n, double mx, double my, double sd, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[][] p = new double[n][2];
        for (double[] q : p) {
            q[0] = mx + sd * normal(rng);
            q[1] = my + sd * normal(rng);
        }
        return p;
    }

    /** n points on a circle of the given radius around the origin, radial noise sd. */
    static double[][] ring(int n, double radius, double sd, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[][] p = new double[n][2];
        for (double[] q : p) {
            double angle = 2 * Math.PI * rng.nextDouble();
            double r = radius + sd * normal(rng);
            q[0] = r * Math.cos(angle);
            q[1] = r * Math.sin(angle);
        }
        return p;
    }

    static double normal(SplittableRandom rng) {
        double u = 1 - rng.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng.nextDouble());
    }

    /** The ring/blob problem of the documentation: trained once, shared by the checks below. */
    static double[][] ringX;
    static double[][] blobY;
    static double exactRingBlob;
    static DualEstimate ringBlob;

    @BeforeAll
    static void trainRingAgainstBlob() {
        ringX = ring(200, 2.0, 0.1, 1);
        blobY = gaussian(200, 1.0, 0.5, 0.5, 2);
        long t0 = System.nanoTime();
        exactRingBlob = Wasserstein.exact(ringX, blobY, Cost.EUCLIDEAN).value();
        long t1 = System.nanoTime();
        ringBlob = KantorovichDual.builder().hiddenWidths(32, 32).steps(300).build().estimate(ringX, blobY);
        long t2 = System.nanoTime();
        System.out.printf("ring/blob 200 vs 200: exact EMD %.6f (%.2f s), dual %.6f = %.4f x exact "
                        + "(objective %.6f, bound %.7f, last training objective %.6f; %d steps, %.1f s)%n",
                exactRingBlob, (t1 - t0) / 1e9, ringBlob.value(), ringBlob.value() / exactRingBlob,
                ringBlob.objective(), ringBlob.lipschitzBound(), ringBlob.finalTrainingObjective(),
                ringBlob.iterations(), (t2 - t1) / 1e9);
    }

    @Test
    void dualNeverExceedsExactEmdAndComesClose() {
        assertTrue(ringBlob.value() <= exactRingBlob + 1e-6, ringBlob.value() + " > exact " + exactRingBlob);
        assertTrue(ringBlob.value() >= 0.9 * exactRingBlob, ringBlob.value() + " < 0.9 x exact " + exactRingBlob);
        assertEquals(ringBlob.objective() / ringBlob.lipschitzBound(), ringBlob.value(), 0.0);
    }

    @Test
    void historyRisesToTheFinalObjective() {
        double[] h = ringBlob.objectiveHistory();
        assertEquals(300, h.length);
        assertTrue(h[h.length - 1] > h[0] + 0.5 * exactRingBlob, "training objective rose from " + h[0]
                + " to " + h[h.length - 1]);
        // whole clouds: the last step's objective is the final one, up to float32 training vs float64 export
        assertEquals(ringBlob.objective(), ringBlob.finalTrainingObjective(), 1e-4);
        h[0] = 1e9;
        assertTrue(ringBlob.objectiveHistory()[0] != 1e9, "the history is copied");
    }

    @Test
    void evaluateGivesTheCertifiedPotential() {
        double[] fx = ringBlob.evaluate(ringX);
        double[] fy = ringBlob.evaluate(blobY);
        double mean = 0;
        for (double v : fx) {
            mean += v / fx.length;
        }
        for (double v : fy) {
            mean -= v / fy.length;
        }
        assertEquals(ringBlob.value(), mean, 1e-12);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ringBlob.evaluate(new double[][] {{1, 2, 3}}));
        assertTrue(e.getMessage().contains("points"), e.getMessage());
    }

    /** Gradient norms at random points and a ratio attack stay at or below the sound bound. */
    @Test
    void learnedPotentialIsWithinItsSoundBound() {
        SplittableRandom rng = new SplittableRandom(7);
        double[][] p = new double[500][2];
        for (double[] q : p) {
            q[0] = -3 + 6 * rng.nextDouble();
            q[1] = -3 + 6 * rng.nextDouble();
        }
        INDArray points = Nd4j.createFromArray(p);
        double bound = ringBlob.lipschitzBound();
        ringBlob.potential().forward(points, false);
        INDArray grad = ringBlob.potential().backward(Nd4j.ones(DataType.DOUBLE, 500, 1));
        double maxGrad = grad.norm2(1).maxNumber().doubleValue();
        double attack = EmpiricalLipschitz.attack(ringBlob.potential(), points, 0.5, 20, 3);
        System.out.printf("potential: max gradient norm %.6f, attack ratio %.6f, sound bound %.7f%n",
                maxGrad, attack, bound);
        assertTrue(maxGrad <= bound * (1 + 1e-12), maxGrad + " > bound " + bound);
        assertTrue(attack <= bound * (1 + 1e-12), attack + " > bound " + bound);
        assertTrue(maxGrad > 0.9, "a gradient-norm-preserving potential has slope near 1, got " + maxGrad);
    }

    /**
     * Clouds that differ by a translation t: W1 = |t| exactly (the coupling x_i -> x_i + t costs |t| and the linear
     * potential -<t, p>/|t| attains it). Far from the origin and in large units, which the normalisation absorbs.
     */
    @Test
    void translationGivesTheNormOfTheShift() {
        double[][] x = gaussian(150, 1000, -2000, 50, 11);
        double[][] y = new double[x.length][];
        for (int i = 0; i < x.length; i++) {
            y[i] = new double[] {x[i][0] + 30, x[i][1] - 40};
        }
        double exact = Wasserstein.exact(x, y, Cost.EUCLIDEAN).value();
        assertEquals(50, exact, 1e-9);
        DualEstimate r = KantorovichDual.builder().hiddenWidths(16).steps(150).build().estimate(x, y);
        System.out.printf("translation |t| = 50: exact %.9f, dual %.6f%n", exact, r.value());
        assertTrue(r.value() <= exact + 1e-6, r.value() + " > " + exact);
        assertTrue(r.value() >= 0.99 * exact, r.value() + " < 0.99 x " + exact);
    }

    /** Weighted clouds larger than the batch: sampled batches, compared with the weighted exact EMD. */
    @Test
    void weightedCloudsWithSampledBatches() {
        double[][] x = gaussian(300, 0, 0, 1, 21);
        double[][] y = new double[x.length][];
        double[] a = new double[x.length];
        SplittableRandom rng = new SplittableRandom(22);
        for (int i = 0; i < x.length; i++) {
            y[i] = new double[] {x[i][0] - 1.2, x[i][1] + 0.5};
            a[i] = 0.1 + rng.nextDouble();
        }
        double exact = Wasserstein.exact(x, a, y, a, Cost.EUCLIDEAN).value() / sum(a);
        assertEquals(1.3, exact, 1e-9);
        DualEstimate r = KantorovichDual.builder().hiddenWidths().batchSize(64).steps(200).learningRate(0.05).build()
                .estimate(x, a, y, a);
        System.out.printf("weighted translation |t| = 1.3, batches of 64: dual %.6f%n", r.value());
        assertTrue(r.value() <= exact + 1e-6, r.value() + " > " + exact);
        assertTrue(r.value() >= 0.99 * exact, r.value() + " < 0.99 x " + exact);
    }

    @Test
    void sameSeedSameResult() {
        double[][] x = gaussian(40, 0, 0, 1, 31);
        double[][] y = gaussian(50, 1, 1, 0.5, 32);
        KantorovichDual dual = KantorovichDual.builder().hiddenWidths(8).steps(20).batchSize(16).seed(5).build();
        DualEstimate r1 = dual.estimate(x, y);
        DualEstimate r2 = dual.estimate(x, y);
        assertEquals(r1.value(), r2.value(), 0.0);
        assertArrayEquals(r1.objectiveHistory(), r2.objectiveHistory(), 0.0);
        DualEstimate r3 = KantorovichDual.builder().hiddenWidths(8).steps(20).batchSize(16).seed(6).build()
                .estimate(x, y);
        assertTrue(r3.objectiveHistory()[0] != r1.objectiveHistory()[0], "another seed, other batches");
    }

    @Test
    void badInputNamesTheArgument() {
        KantorovichDual dual = KantorovichDual.builder().hiddenWidths(4).steps(1).build();
        double[][] ok = {{0, 0}, {1, 1}};
        expect("x[1][0]", () -> dual.estimate(new double[][] {{0, 0}, {Double.NaN, 1}}, ok));
        expect("y[0][1]", () -> dual.estimate(ok, new double[][] {{0, Double.POSITIVE_INFINITY}}));
        expect("x must hold", () -> dual.estimate(new double[0][], ok));
        expect("y must hold", () -> dual.estimate(ok, null));
        expect("x[1] has 3 coordinates", () -> dual.estimate(new double[][] {{0, 0}, {1, 1, 1}}, ok));
        expect("dimensions differ", () -> dual.estimate(ok, new double[][] {{0, 0, 0}}));
        expect("a has length 3", () -> dual.estimate(ok, new double[] {1, 1, 1}, ok, null));
        expect("b[1]", () -> dual.estimate(ok, null, ok, new double[] {1, -1}));
        expect("a[0]", () -> dual.estimate(ok, new double[] {Double.NaN, 1}, ok, null));
        expect("b must have a positive", () -> dual.estimate(ok, null, ok, new double[] {0, 0}));
        expect("steps", () -> KantorovichDual.builder().steps(0));
        expect("batchSize", () -> KantorovichDual.builder().batchSize(0));
        expect("learningRate", () -> KantorovichDual.builder().learningRate(Double.NaN));
        expect("learningRate", () -> KantorovichDual.builder().learningRate(0));
        expect("finalLearningRateFraction", () -> KantorovichDual.builder().finalLearningRateFraction(0));
        expect("hiddenWidths[1]", () -> KantorovichDual.builder().hiddenWidths(4, 0));
        expect("hiddenWidths[0] = 3", () -> KantorovichDual.builder().hiddenWidths(3).build());
        expect("activation", () -> KantorovichDual.builder().activation(null));
        KantorovichDual.builder().hiddenWidths(3).activation(org.lipot.lipschitz.layers.SortActivation.FULL_SORT).build();
    }

    static void expect(String fragment, Executable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().contains(fragment), "message '" + e.getMessage() + "' lacks '" + fragment + "'");
    }

    static double sum(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x;
        }
        return s;
    }
}
