package org.lipot.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;

import org.junit.jupiter.api.Test;
import org.lipot.transport.TransportProblem;
import org.lipot.transport.entropic.Sinkhorn;
import org.lipot.transport.entropic.SinkhornProgress.Check;
import org.lipot.transport.geometry.PointCloud;

/** The console bar of {@code lipot ot --method sinkhorn}: its log-scale position, and what it prints. */
class SinkhornProgressBarTest {

    @Test
    void positionIsTheViolationOnALogScaleWithinEachStage() {
        // from 1e-1 to a tolerance of 1e-7: 1e-4 is half way
        assertEquals(500, SinkhornProgressBar.position(new Check(0, 1, 0.01, 50, 1e-4, 1e-7), 1e-1));
        assertEquals(0, SinkhornProgressBar.position(new Check(0, 1, 0.01, 10, 1e-1, 1e-7), 1e-1));
        assertEquals(0, SinkhornProgressBar.position(new Check(0, 1, 0.01, 10, 0.5, 1e-7), 1e-1), "worse: 0");
        assertEquals(1000, SinkhornProgressBar.position(new Check(0, 1, 0.01, 90, 9e-8, 1e-7), 1e-1));
        assertEquals(0, SinkhornProgressBar.position(new Check(0, 1, 0.01, 90, Double.NaN, 1e-7), 1e-1));
        // stage 2 of 4, half way through its own range: (1 + 0.5) / 4
        assertEquals(375, SinkhornProgressBar.position(new Check(1, 4, 0.1, 90, 1e-2, 1e-3), 1e-1));
    }

    @Test
    void aRealSolveFillsTheBarAndEndsTheLine() {
        StringWriter text = new StringWriter();
        SinkhornProgressBar bar = new SinkhornProgressBar(new PrintWriter(text), 0);
        TransportProblem p = TransportProblem.uniform(PointCloud.squaredEuclidean(
                new double[][] {{0, 0}, {1, 0}, {0, 1}, {1, 1}}, new double[][] {{0.5, 0.2}, {0.1, 0.9}, {2, 2}}));
        bar.begin("test solve");
        Sinkhorn.builder().epsilon(0.01).tolerance(1e-12).checkPeriod(1).progress(bar).build().solve(p);
        bar.end();
        String out = text.toString();
        assertTrue(out.startsWith("\r"), out);
        assertTrue(out.endsWith(System.lineSeparator()), "the closed bar ends its line: " + out);
        String last = out.substring(out.lastIndexOf('\r') + 1).strip();
        assertTrue(last.startsWith("test solve 100% [==========="), last);
        assertTrue(last.contains("-> 1e-12"), last);
        int width = out.substring(1, out.indexOf('\r', 1)).length();
        for (String frame : out.split("\r")) {
            String f = frame.replace(System.lineSeparator(), "");
            if (!f.isEmpty()) {
                assertEquals(width, f.length(), "every frame is padded to the same width, covering the last: [" + f + "]");
            }
        }
    }

    @Test
    void nothingBeforeTheDelay() {
        StringWriter text = new StringWriter();
        SinkhornProgressBar bar = new SinkhornProgressBar(new PrintWriter(text), 60_000);
        bar.begin("slow");
        for (int k = 1; k < 50; k++) {
            bar.onCheck(new Check(0, 1, 0.01, 10L * k, Math.pow(0.7, k), 1e-9));
        }
        bar.end();
        assertEquals("", text.toString());
    }
}
