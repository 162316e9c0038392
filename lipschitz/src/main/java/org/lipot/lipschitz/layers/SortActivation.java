package org.lipot.lipschitz.layers;

import org.lipot.lipschitz.nn.Layer;

/**
 * The sorting activations of 1-Lipschitz dense stacks, as a choice for builders: both are gradient-norm preserving
 * permutations of their input.
 */
public enum SortActivation {
    /** {@link GroupSort2}: sorts pairs of channels (widths must be even); cheap. */
    GROUP_SORT_2,
    /** {@link FullSort}: sorts all channels of a layer; more expressive, the choice of deel-lip's W1 demo and of 1-Lipschitz distance fields. */
    FULL_SORT;

    /** A new layer of this activation. */
    public Layer layer() {
        return this == FULL_SORT ? new FullSort() : new GroupSort2();
    }
}
