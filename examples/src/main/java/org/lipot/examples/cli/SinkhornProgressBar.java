package org.lipot.examples.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;

import me.tongfei.progressbar.DelegatingProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressState;
import org.lipot.transport.entropic.SinkhornProgress;

/**
 * A console progress bar for Sinkhorn solves, on the command's standard error (standard output stays
 * machine-readable). The bar measures the violation on a log scale: within an epsilon-scaling stage it runs from the
 * violation at the stage's first check (0) to the stage's threshold (full), each stage taking an equal share, so
 * without epsilon scaling a violation that has come down from 1e-1 to 1e-4 on the way to a tolerance of 1e-7 is at
 * half. One line, as wide as the terminal: the task, the percentage, the bar, the time elapsed, the violation
 * against the threshold and the sweeps (and with epsilon scaling the stage and its epsilon).
 *
 * <p>{@link #begin} starts a solve and {@link #end} closes its bar; the bar appears only once the solve has run for
 * the given delay, so short solves print nothing. Several solves within one {@code begin}/{@code end} (the three of
 * a Sinkhorn divergence) are recognised by their sweep count starting again, and share the bar.
 */
final class SinkhornProgressBar implements SinkhornProgress {

    /** Resolution of the bar. */
    private static final int STEPS = 1000;
    /** Room kept for the message when sizing the bar, so that the bar keeps its width from frame to frame. */
    private static final int MESSAGE = 40;

    private final PrintWriter err;
    private final long delayNanos;
    private String task = "sinkhorn";
    private long startNanos;
    private ProgressBar bar;
    private long lastSweeps;
    private int lastStage = -1;
    private double stageStart;
    private int solves;

    /**
     * @param err         where the bar goes
     * @param delayMillis how long a solve runs before its bar appears
     */
    SinkhornProgressBar(PrintWriter err, long delayMillis) {
        this.err = err;
        this.delayNanos = delayMillis * 1_000_000L;
    }

    /** Starts a solve, named {@code task} on the bar. */
    void begin(String task) {
        end();
        this.task = task;
        this.startNanos = System.nanoTime();
        this.lastSweeps = 0;
        this.lastStage = -1;
        this.solves = 1;
    }

    @Override
    public void onCheck(Check c) {
        if (c.sweeps() <= lastSweeps) {
            solves++; // the next solve of the same call
            lastStage = -1;
        }
        if (c.stage() != lastStage) {
            lastStage = c.stage();
            stageStart = c.violation();
        }
        lastSweeps = c.sweeps();
        if (bar == null) {
            if (System.nanoTime() - startNanos < delayNanos) {
                return;
            }
            // the terminal's width as the library finds it (80 when standard error is not a terminal)
            DelegatingProgressBarConsumer line = new DelegatingProgressBarConsumer(this::print) {
                @Override
                public void close() {
                    err.println();
                    err.flush();
                }
            };
            // starts at the current position: the first frame is drawn at once, maybe before stepTo below
            bar = new ProgressBarBuilder().setTaskName(task).setInitialMax(STEPS).setConsumer(line)
                    .startsFrom(position(c, stageStart), Duration.ZERO).setRenderer(SinkhornProgressBar::render)
                    .setUpdateIntervalMillis(250).build();
        }
        bar.stepTo(position(c, stageStart));
        bar.setExtraMessage(String.format(Locale.ROOT, "%s%sviolation %.1e -> %.0e, %d sweeps",
                solves > 1 ? "solve " + solves + ", " : "",
                c.stages() > 1 ? String.format(Locale.ROOT, "stage %d/%d eps %.1e, ", c.stage() + 1, c.stages(),
                        c.epsilon()) : "",
                c.violation(), c.threshold(), c.sweeps()));
    }

    /**
     * {@code task  42% [=====>      ] 1:05 message}, padded to {@code width - 1} characters (so that it covers the
     * previous frame; the last column would wrap on some terminals): the bar is 10 to 40 wide, sized for a message
     * of {@value #MESSAGE} characters, and a longer message is cut.
     */
    static String render(ProgressState state, int width) {
        long seconds = state.getElapsedAfterStart().getSeconds();
        double fraction = state.getMax() > 0 ? Math.min(1, (double) state.getCurrent() / state.getMax()) : 0;
        String left = String.format(Locale.ROOT, "%s %3d%% [", state.getTaskName(), (int) Math.floor(100 * fraction));
        String time = String.format(Locale.ROOT, "] %d:%02d ", seconds / 60, seconds % 60);
        int barWidth = Math.max(10, Math.min(40, width - 1 - left.length() - time.length() - MESSAGE));
        StringBuilder out = new StringBuilder(width).append(left);
        int filled = (int) Math.floor(barWidth * fraction);
        for (int k = 0; k < barWidth; k++) {
            out.append(k < filled ? '=' : k == filled ? '>' : ' ');
        }
        out.append(time).append(state.getExtraMessage());
        out.setLength(Math.max(0, width - 1)); // cuts a long message, pads a short one with NUL ...
        for (int k = 0; k < out.length(); k++) {
            if (out.charAt(k) == 0) {
                out.setCharAt(k, ' '); // ... which become spaces
            }
        }
        return out.toString();
    }

    /**
     * The bar's position in {@code [0, STEPS]}: the stages done, plus the fraction of this stage's way from
     * {@code start} down to its threshold that the violation has covered, on a log scale.
     */
    static long position(Check c, double start) {
        double fraction;
        if (!(c.violation() > c.threshold())) {
            fraction = c.violation() < c.threshold() ? 1 : 0; // below: done; NaN: no progress
        } else if (!(start > c.threshold())) {
            fraction = 0;
        } else {
            fraction = Math.log(start / c.violation()) / Math.log(start / c.threshold());
            fraction = Math.max(0, Math.min(1, fraction));
        }
        return Math.round(STEPS * (c.stage() + fraction) / c.stages());
    }

    /** Ends the current solve's bar, if it was shown. */
    void end() {
        if (bar != null) {
            bar.close();
            bar = null;
        }
    }

    private void print(String line) {
        err.print('\r');
        err.print(line);
        err.flush();
    }
}
