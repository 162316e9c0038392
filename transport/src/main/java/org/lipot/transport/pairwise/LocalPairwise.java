package org.lipot.transport.pairwise;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.lipot.transport.internal.Arguments;
import org.lipot.transport.internal.RowBlocks;

/**
 * Runs pairwise computations on this machine's cores: every cloud is prepared once ({@link PairwiseMethod#prepare}),
 * then the {@link TilePlan}'s tiles run on a pool of worker threads, heaviest first, each worker taking the next
 * tile when it finishes one. Every pair is computed by one thread in a fixed order, so the matrix does not depend on
 * the number of threads or on the timing. Immutable and thread-safe.
 */
public final class LocalPairwise {

    /** Called after every tile with the tiles done and the total (from worker threads, one call at a time). */
    @FunctionalInterface
    public interface Progress {
        void tileDone(int done, int total);
    }

    private final int threads;
    private final int tilesPerThread;
    private final Progress progress;

    private LocalPairwise(Builder b) {
        this.threads = b.threads;
        this.tilesPerThread = b.tilesPerThread;
        this.progress = b.progress;
    }

    /** A builder: all cores, 32 tiles per thread, no progress. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The symmetric matrix of {@code method} over {@code clouds}: pairs {@code i < j} are computed and mirrored; the
     * diagonal is 0, or computed when the method's diagonal is not zero.
     *
     * @throws IllegalArgumentException if there are no clouds, they differ in dimension, or a method rejects one
     */
    public <P> PairwiseResult symmetric(List<Cloud> clouds, PairwiseMethod<P> method) {
        checkClouds(clouds, "clouds", -1);
        return run(clouds, clouds, method, true);
    }

    /**
     * The rectangular matrix {@code rows x columns} of {@code method} (for example train x test for a kernel).
     *
     * @throws IllegalArgumentException if either list is empty or the clouds differ in dimension
     */
    public <P> PairwiseResult cross(List<Cloud> rows, List<Cloud> columns, PairwiseMethod<P> method) {
        int d = checkClouds(rows, "rows", -1);
        checkClouds(columns, "columns", d);
        return run(rows, columns, method, false);
    }

    private static int checkClouds(List<Cloud> clouds, String name, int dimension) {
        if (clouds == null || clouds.isEmpty()) {
            throw new IllegalArgumentException(name + " must not be empty");
        }
        int d = dimension;
        for (int i = 0; i < clouds.size(); i++) {
            Cloud c = clouds.get(i);
            if (c == null) {
                throw new IllegalArgumentException(name + ": cloud " + i + " is null");
            }
            if (d >= 0 && c.dimension() != d) {
                throw new IllegalArgumentException(name + ": cloud " + i + " has dimension " + c.dimension()
                        + ", the others " + d);
            }
            d = c.dimension();
        }
        return d;
    }

    private <P> PairwiseResult run(List<Cloud> rowClouds, List<Cloud> columnClouds, PairwiseMethod<P> method,
                                   boolean symmetric) {
        if (method == null) {
            throw new IllegalArgumentException("method must not be null");
        }
        long start = System.nanoTime();
        int n = rowClouds.size();
        int m = columnClouds.size();
        List<P> rows = new ArrayList<>(Collections.nCopies(n, null));
        List<P> columns = symmetric ? rows : new ArrayList<>(Collections.nCopies(m, null));
        RowBlocks pool = new RowBlocks(threads);
        pool.each(n, (worker, i) -> rows.set(i, method.prepare(rowClouds.get(i))));
        if (!symmetric) {
            pool.each(m, (worker, j) -> columns.set(j, method.prepare(columnClouds.get(j))));
        }
        double prepareSeconds = (System.nanoTime() - start) * 1e-9;
        int[] rowSizes = sizes(rowClouds);
        List<Tile> plan = symmetric ? TilePlan.symmetric(rowSizes, method, threads * tilesPerThread)
                : TilePlan.cross(rowSizes, sizes(columnClouds), method, threads * tilesPerThread);
        double[] values = new double[n * m];
        long[] iterations = new long[plan.size()];
        double[] seconds = new double[plan.size()];
        List<List<PairwiseResult.Failure>> failures = new ArrayList<>();
        for (int t = 0; t < plan.size(); t++) {
            failures.add(new ArrayList<>());
        }
        boolean diagonalToo = !method.zeroOnDiagonal();
        AtomicInteger next = new AtomicInteger();
        AtomicInteger done = new AtomicInteger();
        pool.each(threads, (worker, unused) -> {
            for (int t = next.getAndIncrement(); t < plan.size(); t = next.getAndIncrement()) {
                long t0 = System.nanoTime();
                Tile tile = plan.get(t);
                for (int i = tile.rowFrom(); i < tile.rowTo(); i++) {
                    int jFrom = tile.diagonal() ? (diagonalToo ? i : i + 1) : tile.columnFrom();
                    for (int j = jFrom; j < tile.columnTo(); j++) {
                        PairValue v = method.pair(rows.get(i), columns.get(j));
                        double value = v.status().isSuccess() ? v.value() : Double.NaN;
                        if (!v.status().isSuccess()) {
                            failures.get(t).add(new PairwiseResult.Failure(i, j, v.status()));
                        }
                        iterations[t] += v.iterations();
                        values[i * m + j] = value;
                        if (symmetric) {
                            values[j * m + i] = value;
                        }
                    }
                }
                seconds[t] = (System.nanoTime() - t0) * 1e-9;
                if (progress != null) {
                    synchronized (progress) {
                        progress.tileDone(done.incrementAndGet(), plan.size());
                    }
                }
            }
        });
        List<PairwiseResult.Failure> all = new ArrayList<>();
        failures.forEach(all::addAll);
        long pairs = 0;
        long its = 0;
        double task = 0;
        double longest = 0;
        for (int t = 0; t < plan.size(); t++) {
            pairs += plan.get(t).pairs(diagonalToo);
            its += iterations[t];
            task += seconds[t];
            longest = Math.max(longest, seconds[t]);
        }
        if (!symmetric) {
            pairs = (long) n * m;
        }
        return new PairwiseResult(n, m, values, all, pairs, its, plan.size(), task, longest, prepareSeconds,
                (System.nanoTime() - start) * 1e-9);
    }

    private static int[] sizes(List<Cloud> clouds) {
        int[] s = new int[clouds.size()];
        for (int i = 0; i < s.length; i++) {
            s[i] = clouds.get(i).size();
        }
        return s;
    }

    /** Builder for {@link LocalPairwise}. */
    public static final class Builder {
        private int threads = Runtime.getRuntime().availableProcessors();
        private int tilesPerThread = 32;
        private Progress progress;

        private Builder() {
        }

        /** Worker threads (default: the available processors). */
        public Builder threads(int threads) {
            this.threads = Arguments.atLeastOne(threads, "threads");
            return this;
        }

        /** Tiles per thread that the plan aims at (default 32): more balance the load, fewer cost less overhead. */
        public Builder tilesPerThread(int tiles) {
            this.tilesPerThread = Arguments.atLeastOne(tiles, "tilesPerThread");
            return this;
        }

        /** A listener told after every tile, or {@code null}. */
        public Builder progress(Progress progress) {
            this.progress = progress;
            return this;
        }

        /** The configured executor. */
        public LocalPairwise build() {
            return new LocalPairwise(this);
        }
    }
}
