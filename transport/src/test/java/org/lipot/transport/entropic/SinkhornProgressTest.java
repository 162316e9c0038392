package org.lipot.transport.entropic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.lipot.transport.Status;
import org.lipot.transport.TransportProblem;

/** {@link SinkhornProgress}: one call per check, carrying the history's entries, and no effect on the result. */
class SinkhornProgressTest {

    @Test
    void calledAtEveryCheckWithTheHistorysViolations() {
        TransportProblem p = SinkhornTest.cloud(60, 50);
        List<SinkhornProgress.Check> checks = new ArrayList<>();
        Sinkhorn.Builder b = Sinkhorn.builder().epsilon(1e-3).tolerance(1e-9).epsilonScaling(1, 0.25).checkPeriod(5)
                .maxIterations(1_000_000).threads(2);
        EntropicSolution plain = b.build().solve(p);
        EntropicSolution watched = b.progress(checks::add).build().solve(p);

        assertEquals(Status.CONVERGED, watched.status());
        assertEquals(plain.value(), watched.value(), 0, "no effect on the result");
        assertEquals(plain.iterations(), watched.iterations());
        double[] history = watched.errorHistory();
        assertEquals(history.length, checks.size());
        int stages = checks.get(0).stages();
        assertEquals(6, stages, "1, 1/4, ..., 1/4^4, then 1e-3");
        long previousSweeps = 0;
        int previousStage = 0;
        long stageStart = 0;
        long earlyPeriod = -1;
        for (int k = 0; k < checks.size(); k++) {
            SinkhornProgress.Check c = checks.get(k);
            assertEquals(history[k], c.violation(), 0, "check " + k);
            assertEquals(stages, c.stages());
            assertTrue(c.stage() >= previousStage && c.sweeps() > previousSweeps, "in order: " + c);
            if (c.stage() > previousStage) {
                stageStart = previousSweeps; // a stage ends at a check
                earlyPeriod = -1;
            }
            long inStage = c.sweeps() - stageStart;
            if (inStage % 5 != 0) { // an early check: at most one per period of 5 sweeps
                assertTrue(inStage / 5 != earlyPeriod, "one early check per period: " + c);
                earlyPeriod = inStage / 5;
            }
            assertEquals(c.stage() == stages - 1 ? 1e-3 : Math.pow(0.25, c.stage()), c.epsilon(), 1e-15);
            assertEquals(c.stage() == stages - 1 ? 1e-9 : Sinkhorn.STAGE_TOLERANCE, c.threshold(), 1e-15);
            previousSweeps = c.sweeps();
            previousStage = c.stage();
        }
        SinkhornProgress.Check last = checks.get(checks.size() - 1);
        assertEquals(watched.iterations(), last.sweeps());
        assertTrue(last.violation() < last.threshold());

        // decreasing-ish: within the target stage, most checks improve on the previous one, and it ends far lower
        List<SinkhornProgress.Check> target = checks.stream().filter(c -> c.stage() == stages - 1).toList();
        int decreases = 0;
        for (int k = 1; k < target.size(); k++) {
            decreases += target.get(k).violation() < target.get(k - 1).violation() ? 1 : 0;
        }
        assertTrue(target.size() > 5, "checks in the last stage: " + target.size());
        assertTrue(decreases >= 0.8 * (target.size() - 1), decreases + " of " + (target.size() - 1));
        assertTrue(last.violation() < 1e-3 * target.get(0).violation());
    }

    @Test
    void anExceptionFromTheListenerEndsTheSolve() {
        IllegalStateException stop = new IllegalStateException("stop");
        Sinkhorn s = Sinkhorn.builder().epsilon(0.01).progress(c -> {
            throw stop;
        }).build();
        assertSame(stop, assertThrows(IllegalStateException.class, () -> s.solve(SinkhornTest.cloud(10, 10))));
    }

    @Test
    void theDivergenceReportsItsThreeSolves() {
        TransportProblem p = SinkhornTest.cloud(30, 20);
        List<SinkhornProgress.Check> checks = new ArrayList<>();
        DivergenceResult r = SinkhornDivergence.of(Sinkhorn.builder().epsilon(0.05).tolerance(1e-10)
                .progress(checks::add).build()).solve(p);
        int h1 = r.sourceSelf().errorHistory().length;
        int h2 = r.targetSelf().errorHistory().length;
        int h3 = r.cross().errorHistory().length;
        assertTrue(h1 > 0 && h2 > 0 && h3 > 0);
        assertEquals(h1 + h2 + h3, checks.size());
        // in the order of the solves: the source's self term, the target's, then the cross term
        assertEquals(r.sourceSelf().errorHistory()[h1 - 1], checks.get(h1 - 1).violation(), 0);
        assertEquals(r.cross().errorHistory()[h3 - 1], checks.get(checks.size() - 1).violation(), 0);
    }
}
