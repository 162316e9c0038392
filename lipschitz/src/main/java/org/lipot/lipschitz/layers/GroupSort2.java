package org.lipot.lipschitz.layers;

/**
 * GroupSort with groups of 2: channels {@code (2i, 2i+1) -> (min, max)} at each position (deel-lip
 * {@code GroupSort2}). 1-Lipschitz and gradient-norm preserving.
 */
public final class GroupSort2 extends GroupSort {

    /** The activation. */
    public GroupSort2() {
        super(2, false);
    }

    @Override
    public GroupSort2 export() {
        return new GroupSort2();
    }
}
