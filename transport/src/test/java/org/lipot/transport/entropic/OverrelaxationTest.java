package org.lipot.transport.entropic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.lipot.transport.Status;
import org.lipot.transport.TransportProblem;

class OverrelaxationTest {

    private static double optimal(double theta) {
        return 2 / (1 + Math.sqrt(1 - theta));
    }

    /** Feeds a period of nine sweeps whose violations shrink by {@code lambda} each, then a check. */
    private static void period(Overrelaxation r, double start, double lambda) {
        double v = start;
        for (int k = 0; k < 9; k++) {
            v *= lambda;
            r.observe(v);
        }
        r.check(v * lambda);
    }

    @Test
    void aPlainPeriodGivesTheOptimumForItsRate() {
        Overrelaxation r = new Overrelaxation(true, 1);
        assertEquals(1, r.omega(), 0, "plain until a rate is known");
        period(r, 1, 0.95);
        assertEquals(optimal(0.95), r.omega(), 1e-12);
    }

    @Test
    void aRelaxedRateIsMappedBackToThePlainOneByYoungsRelation() {
        double theta = 0.97;
        double omega = 1.4; // below the optimum 1.70: the dominant root of (l + w - 1)^2 = l w^2 theta is real
        double mu = Math.sqrt(theta);
        double root = (omega * mu + Math.sqrt(omega * omega * theta - 4 * (omega - 1))) / 2;
        double lambda = root * root;
        Overrelaxation r = new Overrelaxation(true, omega);
        period(r, 1, lambda);
        assertEquals(optimal(theta), r.omega(), 1e-12);
    }

    @Test
    void aRateOfOmegaMinusOneStepsDownToFindTheOptimum() {
        // past the optimum the rate is omega - 1 whatever theta, so the estimate cannot say how far: step down
        Overrelaxation r = new Overrelaxation(true, 1.9);
        period(r, 1, 0.9);
        assertEquals(1 + Overrelaxation.PROBE_STEP * 0.9, r.omega(), 1e-12);
    }

    @Test
    void aGrowingViolationFallsBackToPlainUnderALowerCeiling() {
        Overrelaxation r = new Overrelaxation(true, 1.8);
        period(r, 1, 0.5); // past the optimum: omega = 1.76
        r.check(10); // the check violation grew since the last one
        assertEquals(1, r.omega(), 0);
        period(r, 1, 0.999); // would ask for omega = 1.94
        assertEquals(1.38, r.omega(), 1e-12, "halfway between 1 and the omega that failed");
    }

    @Test
    void theFirstSweepsOfAStageArePlainEvenFromACarriedOmega() {
        Overrelaxation r = new Overrelaxation(true, 1.7);
        assertEquals(1, r.omega(), 0);
        r.observe(0.1);
        assertEquals(1, r.omega(), 0);
        r.observe(0.05);
        assertEquals(1.7, r.omega(), 0);
    }

    @Test
    void withoutAdaptationOmegaStaysOne() {
        Overrelaxation r = new Overrelaxation(false, 1.7);
        period(r, 1, 0.99);
        r.check(5);
        assertEquals(1, r.omega(), 0);
    }

    /** A problem on which plain Sinkhorn is slow: small epsilon, clouds that overlap. */
    private static TransportProblem slow() {
        return TransportProblem.of(org.lipot.transport.geometry.PointCloud.squaredEuclidean(
                SinkhornTest.points(1, 150, 0), SinkhornTest.points(2, 140, 0.1)),
                SinkhornTest.weights(3, 150), SinkhornTest.weights(4, 140));
    }

    @ParameterizedTest
    @ValueSource(strings = {"KERNEL", "LOG", "MULTISCALE"})
    void sameFixedPointInFarFewerSweepsWithExactRows(String modeName) {
        TransportProblem p = slow();
        Sinkhorn.Builder base = Sinkhorn.builder().epsilon(0.002).tolerance(1e-10).maxIterations(100_000)
                .mode(Sinkhorn.Mode.valueOf(modeName)).coarseStart(false);
        EntropicSolution plain = base.overrelaxation(false).build().solve(p);
        EntropicSolution fast = base.overrelaxation(true).build().solve(p);
        assertEquals(Status.CONVERGED, plain.status());
        assertEquals(Status.CONVERGED, fast.status());
        assertEquals(1, plain.relaxation(), 0);
        assertTrue(fast.relaxation() > 1.5, "omega " + fast.relaxation());
        assertTrue(5 * fast.iterations() < plain.iterations(), fast.iterations() + " vs " + plain.iterations());
        assertEquals(plain.value(), fast.value(), 1e-8 * plain.value());
        assertEquals(plain.entropicObjective(), fast.entropicObjective(), 1e-8 * Math.abs(plain.entropicObjective()));
        double shift = fast.sourcePotential()[0] - plain.sourcePotential()[0];
        for (int i = 0; i < 150; i++) {
            assertEquals(plain.sourcePotential()[i], fast.sourcePotential()[i] - shift, 1e-8, "f_" + i);
        }
        for (int j = 0; j < 140; j++) {
            assertEquals(plain.targetPotential()[j], fast.targetPotential()[j] + shift, 1e-8, "g_" + j);
        }
        // the returned plan comes from a plain row update: its rows are exact, like plain Sinkhorn's
        double rowError = fast.marginalError() - fast.columnMarginalError();
        assertTrue(rowError < 1e-13, "row error " + rowError);
        assertTrue(fast.columnMarginalError() < 1e-10);
    }
}
