package org.lipot.lipschitz.nn;

import java.util.concurrent.ForkJoinPool;
import java.util.stream.IntStream;

/**
 * Runs a loop over {@code [0, count)} as contiguous blocks, one per core of the common fork-join pool (plus the
 * calling thread), for the Java loops of the layers (gathers, pair sorts, pooling) that move or touch every entry
 * of an activation: on the two cores of this machine a step's memory-bound loops then run on both. Blocks are
 * disjoint, so a body that writes only its own block's entries needs no synchronisation.
 */
public final class ParallelBlocks {

    /** The body of a loop: handles indices {@code [from, to)} as block number {@code task}. */
    @FunctionalInterface
    public interface Body {
        void run(int task, int from, int to);
    }

    private static final int CORES = ForkJoinPool.getCommonPoolParallelism() + 1;

    private ParallelBlocks() {
    }

    /** The number of blocks {@link #run} cuts {@code count} indices into (at least 1, at most {@code count}). */
    public static int tasks(int count) {
        return Math.max(1, Math.min(count, CORES));
    }

    /** Runs {@code body} on the {@link #tasks} blocks of {@code [0, count)}, in parallel, and waits for all. */
    public static void run(int count, Body body) {
        int tasks = tasks(count);
        if (tasks == 1) {
            body.run(0, 0, count);
            return;
        }
        IntStream.range(0, tasks).parallel()
                .forEach(t -> body.run(t, (int) ((long) t * count / tasks), (int) ((long) (t + 1) * count / tasks)));
    }
}
