package org.lipot.transport.pairwise;

import java.io.Serializable;

/**
 * One unit of work of a {@link TilePlan}: the pairs between the row clouds {@code [rowFrom, rowTo)} and the column
 * clouds {@code [columnFrom, columnTo)}. A diagonal tile of a symmetric plan holds only its pairs {@code i < j}
 * (and {@code i = j} when the method's diagonal is not zero).
 *
 * @param index      the tile's number in the plan, stable across runs (the order of the blocks)
 * @param rowFrom    first row cloud
 * @param rowTo      one past the last row cloud
 * @param columnFrom first column cloud
 * @param columnTo   one past the last column cloud
 * @param diagonal   whether rows and columns are the same block of a symmetric plan
 * @param cost       the estimated work, in the method's {@link PairwiseMethod#pairCost} units
 */
public record Tile(int index, int rowFrom, int rowTo, int columnFrom, int columnTo, boolean diagonal, double cost)
        implements Serializable {

    private static final long serialVersionUID = 1L;

    /** The number of pairs the tile computes. */
    public long pairs(boolean withDiagonal) {
        long r = rowTo - rowFrom;
        if (!diagonal) {
            return r * (columnTo - columnFrom);
        }
        return r * (r - 1) / 2 + (withDiagonal ? r : 0);
    }
}
