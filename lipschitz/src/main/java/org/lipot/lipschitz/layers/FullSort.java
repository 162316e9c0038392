package org.lipot.lipschitz.layers;

/**
 * Sorts all channels (dimension 1) in ascending order at each sample and position (deel-lip {@code FullSort}):
 * GroupSort with a single group. 1-Lipschitz; gradient = the inverse permutation.
 */
public final class FullSort extends GroupSort {

    /** The activation. */
    public FullSort() {
        super(0, false);
    }

    @Override
    public FullSort export() {
        return new FullSort();
    }
}
