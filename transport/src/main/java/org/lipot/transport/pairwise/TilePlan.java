package org.lipot.transport.pairwise;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Cuts a pairwise computation into tiles of similar work. The clouds are grouped into contiguous blocks of about
 * equal total work, where a cloud's work is its share of all pairs under the method's cost model
 * ({@link PairwiseMethod#pairCost}); tiles are block pairs ({@code b_i <= b_j} for a symmetric matrix, all pairs for a
 * rectangular one). Clouds of very different sizes therefore fall into blocks of different lengths: a large cloud
 * gets a short block, so no tile is a straggler. Tiles come heaviest first, the order in which executors should
 * start them. The plan depends only on the sizes, the cost model and the target, so every engine runs the same tiles.
 */
public final class TilePlan {

    /** Sizes sampled per cloud to estimate its share of the work (all of them below this many clouds). */
    private static final int SAMPLE = 256;

    private TilePlan() {
    }

    /**
     * The tiles of the symmetric matrix over clouds of the given sizes, about {@code targetTiles} of them (at least
     * one block).
     */
    public static List<Tile> symmetric(int[] sizes, PairwiseMethod<?> method, int targetTiles) {
        check(sizes, "sizes", targetTiles);
        double[] work = work(sizes, sizes, method);
        // b (b + 1) / 2 >= targetTiles
        int blocks = (int) Math.ceil((Math.sqrt(8.0 * targetTiles + 1) - 1) / 2);
        int[] cut = cut(work, Math.min(blocks, sizes.length));
        double total = sum(work, 0, work.length);
        List<Tile> tiles = new ArrayList<>();
        for (int bi = 0; bi + 1 < cut.length; bi++) {
            for (int bj = bi; bj + 1 < cut.length; bj++) {
                double wi = sum(work, cut[bi], cut[bi + 1]);
                double wj = sum(work, cut[bj], cut[bj + 1]);
                double cost = wi * wj / total * (bi == bj ? 0.5 : 1);
                tiles.add(new Tile(tiles.size(), cut[bi], cut[bi + 1], cut[bj], cut[bj + 1], bi == bj, cost));
            }
        }
        return heaviestFirst(tiles);
    }

    /** The tiles of the rectangular matrix rows x columns, about {@code targetTiles} of them. */
    public static List<Tile> cross(int[] rowSizes, int[] columnSizes, PairwiseMethod<?> method, int targetTiles) {
        check(rowSizes, "rowSizes", targetTiles);
        check(columnSizes, "columnSizes", targetTiles);
        double[] rowWork = work(rowSizes, columnSizes, method);
        double[] columnWork = work(columnSizes, rowSizes, method);
        // split the longer side more: rb cb >= targetTiles with rb / cb ~ rows / columns
        double ratio = (double) rowSizes.length / columnSizes.length;
        int rb = (int) Math.max(1, Math.min(rowSizes.length, Math.round(Math.sqrt(targetTiles * ratio))));
        int cb = (int) Math.max(1, Math.min(columnSizes.length, Math.ceil((double) targetTiles / rb)));
        int[] rc = cut(rowWork, rb);
        int[] cc = cut(columnWork, cb);
        double total = sum(rowWork, 0, rowWork.length);
        double columnTotal = sum(columnWork, 0, columnWork.length);
        List<Tile> tiles = new ArrayList<>();
        for (int bi = 0; bi + 1 < rc.length; bi++) {
            for (int bj = 0; bj + 1 < cc.length; bj++) {
                double cost = sum(rowWork, rc[bi], rc[bi + 1]) * sum(columnWork, cc[bj], cc[bj + 1]) / columnTotal;
                tiles.add(new Tile(tiles.size(), rc[bi], rc[bi + 1], cc[bj], cc[bj + 1], false,
                        total > 0 ? cost : 0));
            }
        }
        return heaviestFirst(tiles);
    }

    private static void check(int[] sizes, String name, int targetTiles) {
        if (sizes == null || sizes.length == 0) {
            throw new IllegalArgumentException(name + " must not be empty");
        }
        for (int s : sizes) {
            if (s < 1) {
                throw new IllegalArgumentException(name + ": a cloud has " + s + " points");
            }
        }
        if (targetTiles < 1) {
            throw new IllegalArgumentException("targetTiles must be >= 1, got " + targetTiles);
        }
    }

    /** Each cloud's work against all of {@code others}, estimated from an even sample of them. */
    private static double[] work(int[] sizes, int[] others, PairwiseMethod<?> method) {
        int step = Math.max(1, others.length / SAMPLE);
        double[] w = new double[sizes.length];
        for (int i = 0; i < sizes.length; i++) {
            double s = 0;
            int count = 0;
            for (int j = 0; j < others.length; j += step) {
                s += method.pairCost(sizes[i], others[j]);
                count++;
            }
            w[i] = s * others.length / count;
        }
        return w;
    }

    /** Block boundaries: {@code blocks} contiguous ranges of about equal work (fewer if clouds run out). */
    private static int[] cut(double[] work, int blocks) {
        double total = sum(work, 0, work.length);
        List<Integer> cuts = new ArrayList<>();
        cuts.add(0);
        double acc = 0;
        for (int i = 0; i < work.length; i++) {
            acc += work[i];
            int done = cuts.size() - 1;
            boolean last = i == work.length - 1;
            if (last || acc >= total * (done + 1) / blocks) {
                cuts.add(i + 1);
            }
        }
        return cuts.stream().mapToInt(Integer::intValue).toArray();
    }

    private static double sum(double[] v, int from, int to) {
        double s = 0;
        for (int i = from; i < to; i++) {
            s += v[i];
        }
        return s;
    }

    private static List<Tile> heaviestFirst(List<Tile> tiles) {
        List<Tile> sorted = new ArrayList<>(tiles);
        sorted.sort(Comparator.comparingDouble(Tile::cost).reversed().thenComparingInt(Tile::index));
        return List.copyOf(sorted);
    }
}
