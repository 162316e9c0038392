package org.lipot.examples.cli;

import java.util.Arrays;
import java.util.function.Supplier;

/**
 * One untimed warm-up and {@code repeat} timed runs of a solve, the timing contract of {@code lipot ot} and
 * {@code lipot barycenter} ({@code seconds_min}, {@code seconds_median}); each run inside its own progress bar when one
 * is given.
 *
 * @param result        the last run's result
 * @param minSeconds    the fastest timed run
 * @param medianSeconds the median timed run (the mean of the middle two for an even count)
 */
record TimedRuns<T>(T result, double minSeconds, double medianSeconds) {

    static <T> TimedRuns<T> of(Supplier<T> solve, int repeat, SinkhornProgressBar bar, String task) {
        T result = run(solve, bar, task + " warm-up");
        double[] seconds = new double[repeat];
        for (int k = 0; k < repeat; k++) {
            long t0 = System.nanoTime();
            result = run(solve, bar, task + " run " + (k + 1) + "/" + repeat);
            seconds[k] = (System.nanoTime() - t0) * 1e-9;
        }
        Arrays.sort(seconds);
        double median = repeat % 2 == 1 ? seconds[repeat / 2] : 0.5 * (seconds[repeat / 2 - 1] + seconds[repeat / 2]);
        return new TimedRuns<>(result, seconds[0], median);
    }

    private static <T> T run(Supplier<T> solve, SinkhornProgressBar bar, String name) {
        if (bar == null) {
            return solve.get();
        }
        bar.begin(name);
        try {
            return solve.get();
        } finally {
            bar.end();
        }
    }
}
