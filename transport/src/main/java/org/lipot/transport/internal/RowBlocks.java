package org.lipot.transport.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.Future;

/**
 * Splits an index range {@code [0, count)} into contiguous blocks, one per worker, and runs them on a fork-join pool
 * (inline when there is one block). Each block has a number in {@code [0, blocks())}, so that callers can give every
 * block its own accumulator and reduce afterwards.
 *
 * <p>The pool is shared by every {@code RowBlocks} of the same thread count (its daemon threads end after a minute
 * idle): a private pool per solve cost 1-7 ms of thread starts and teardown (n = 2000 Sinkhorn solves take 25-45 ms).
 * A {@code RowBlocks} used inside a task of that pool (a solve within a parallel loop of solves) runs on it too: a
 * worker that waits for nested blocks executes them itself, so nesting neither deadlocks nor starts more threads.
 */
public final class RowBlocks {

    /** Work on one block {@code [from, to)} with block number {@code block}. */
    @FunctionalInterface
    public interface Task {
        void run(int block, int from, int to);
    }

    /** Work on one index {@code k} by worker {@code worker} (in {@code [0, maxBlocks())}). */
    @FunctionalInterface
    public interface IndexTask {
        void run(int worker, int k);
    }

    /** Fewer indices than this per block are not worth a thread. */
    private static final int MIN_BLOCK = 64;

    private static final ConcurrentHashMap<Integer, ForkJoinPool> SHARED = new ConcurrentHashMap<>();

    private final ForkJoinPool pool;
    private final int threads;

    public RowBlocks(int threads) {
        this.threads = threads;
        this.pool = threads > 1 ? SHARED.computeIfAbsent(threads, ForkJoinPool::new) : null;
    }

    /** The most blocks {@link #run} makes, whatever the count. */
    public int maxBlocks() {
        return threads;
    }

    /** Runs {@code task} over {@code [0, count)} split into at most {@link #maxBlocks()} blocks, and waits. */
    public void run(int count, Task task) {
        int blocks = Math.max(1, Math.min(threads, count / MIN_BLOCK));
        if (blocks == 1 || pool == null) {
            task.run(0, 0, count);
            return;
        }
        List<Callable<Void>> jobs = new ArrayList<>(blocks);
        for (int k = 0; k < blocks; k++) {
            int block = k;
            int from = (int) ((long) count * k / blocks);
            int to = (int) ((long) count * (k + 1) / blocks);
            jobs.add(() -> {
                task.run(block, from, to);
                return null;
            });
        }
        invoke(jobs);
    }

    /**
     * Runs {@code task} on every index of {@code [0, count)}, worker {@code w} taking indices {@code w}, {@code w + t},
     * {@code w + 2t}, ... ({@code t} workers): for items of very unequal cost that vary smoothly with the index,
     * which contiguous blocks would leave to one straggler. The assignment is fixed, so per-worker sums are
     * reproducible for a given number of threads.
     */
    public void each(int count, IndexTask task) {
        if (pool == null || count < 2) {
            for (int k = 0; k < count; k++) {
                task.run(0, k);
            }
            return;
        }
        List<Callable<Void>> jobs = new ArrayList<>(threads);
        for (int w = 0; w < threads; w++) {
            int worker = w;
            jobs.add(() -> {
                for (int k = worker; k < count; k += threads) {
                    task.run(worker, k);
                }
                return null;
            });
        }
        invoke(jobs);
    }

    private void invoke(List<Callable<Void>> jobs) {
        for (Future<Void> f : pool.invokeAll(jobs)) {
            try {
                f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                if (cause instanceof RuntimeException r) {
                    throw r;
                }
                if (cause instanceof Error err) {
                    throw err;
                }
                throw new IllegalStateException(cause);
            }
        }
    }
}
