package org.lipot.transport.pairwise;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.lipot.transport.geometry.Cost;

/** Tile plans cover every pair once, come heaviest first, and keep the largest tile small for skewed sizes. */
class TilePlanTest {

    @Test
    void symmetricTilesCoverTheUpperTriangleOnce() {
        int[] sizes = new int[37];
        java.util.Arrays.fill(sizes, 50);
        List<Tile> tiles = TilePlan.symmetric(sizes, PairwiseMethod.exact(Cost.SQUARED_EUCLIDEAN), 20);
        int[][] seen = new int[37][37];
        long pairs = 0;
        for (Tile t : tiles) {
            pairs += t.pairs(false);
            for (int i = t.rowFrom(); i < t.rowTo(); i++) {
                for (int j = t.diagonal() ? i + 1 : t.columnFrom(); j < t.columnTo(); j++) {
                    seen[i][j]++;
                }
            }
        }
        for (int i = 0; i < 37; i++) {
            for (int j = 0; j < 37; j++) {
                assertEquals(j > i ? 1 : 0, seen[i][j], i + "," + j);
            }
        }
        assertEquals(37 * 36 / 2, pairs);
        assertTrue(tiles.size() >= 20, "tiles " + tiles.size());
        for (int k = 1; k < tiles.size(); k++) {
            assertTrue(tiles.get(k - 1).cost() >= tiles.get(k).cost());
        }
    }

    @Test
    void crossTilesCoverTheRectangleOnce() {
        int[] rows = {10, 20, 30, 40, 50, 60, 70};
        int[] cols = {5, 500, 5, 5};
        List<Tile> tiles = TilePlan.cross(rows, cols, PairwiseMethod.sinkhorn(Cost.SQUARED_EUCLIDEAN, 1, 1e-9, 10), 6);
        int[][] seen = new int[7][4];
        for (Tile t : tiles) {
            for (int i = t.rowFrom(); i < t.rowTo(); i++) {
                for (int j = t.columnFrom(); j < t.columnTo(); j++) {
                    seen[i][j]++;
                }
            }
        }
        for (int[] row : seen) {
            for (int v : row) {
                assertEquals(1, v);
            }
        }
    }

    @Test
    void skewedSizesLeaveNoStraggler() {
        // workload D of the issue: sizes log-uniform between 50 and 2000, sliced (cost ~ n + m)
        SplittableRandom rng = new SplittableRandom(7);
        int[] sizes = new int[400];
        for (int i = 0; i < sizes.length; i++) {
            sizes[i] = (int) Math.round(Math.exp(Math.log(50) + rng.nextDouble() * (Math.log(2000) - Math.log(50))));
        }
        PairwiseMethod<?> method = PairwiseMethod.sliced(Cost.SQUARED_EUCLIDEAN, 64, 0);
        List<Tile> tiles = TilePlan.symmetric(sizes, method, 64);
        double exactTotal = 0;
        double largest = 0;
        for (Tile t : tiles) {
            double c = 0;
            for (int i = t.rowFrom(); i < t.rowTo(); i++) {
                for (int j = t.diagonal() ? i + 1 : t.columnFrom(); j < t.columnTo(); j++) {
                    c += method.pairCost(sizes[i], sizes[j]);
                }
            }
            exactTotal += c;
            largest = Math.max(largest, c);
        }
        assertTrue(largest < 0.05 * exactTotal, "largest tile " + largest / exactTotal + " of the work");
    }
}
