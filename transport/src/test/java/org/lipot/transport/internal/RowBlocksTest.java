package org.lipot.transport.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

class RowBlocksTest {

    /** The sum of {@code 0..count-1} over {@code blocks}, one accumulator per block. */
    private static long sum(RowBlocks blocks, int count) {
        long[] perBlock = new long[blocks.maxBlocks()];
        blocks.run(count, (blk, from, to) -> {
            for (int i = from; i < to; i++) {
                perBlock[blk] += i;
            }
        });
        long s = 0;
        for (long x : perBlock) {
            s += x;
        }
        return s;
    }

    @Test
    void twoOfTheSameSizeShareOnePool() {
        // a solve does not start threads of its own: the pool that ran one RowBlocks runs the next
        ForkJoinPool[] pools = new ForkJoinPool[2];
        for (int round = 0; round < 2; round++) {
            int r = round;
            RowBlocks blocks = new RowBlocks(2);
            blocks.run(1000, (blk, from, to) -> pools[r] = ((ForkJoinWorkerThread) Thread.currentThread()).getPool());
            assertEquals(4999L * 5000 / 2, sum(blocks, 5000));
        }
        assertNotNull(pools[0]);
        assertSame(pools[0], pools[1]);
    }

    @Test
    void nestedInsideItsOwnPoolCompletes() {
        // a solve inside a parallel loop of solves with the same thread count runs on the same pool
        assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
            RowBlocks outer = new RowBlocks(2);
            long[] inner = new long[2];
            outer.each(2, (worker, k) -> {
                inner[k] = sum(new RowBlocks(2), 10_000);
            });
            assertArrayEquals(new long[] {9999L * 10_000 / 2, 9999L * 10_000 / 2}, inner);
            assertEquals(4999L * 5000 / 2, sum(outer, 5000));
        });
    }

    @Test
    void aFailingBlockIsRethrownAfterTheOthersFinish() {
        AtomicLong finished = new AtomicLong();
        RowBlocks blocks = new RowBlocks(2);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> blocks.run(1000,
                (blk, from, to) -> {
                    if (blk == 0) {
                        throw new IllegalStateException("block 0");
                    }
                    finished.incrementAndGet();
                }));
        assertTrue(e.getMessage().contains("block 0"), e.getMessage()); // the pool may wrap it in a copy
        assertEquals(4999L * 5000 / 2, sum(blocks, 5000));
        assertEquals(1, finished.get());
    }
}
