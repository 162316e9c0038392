package org.lipot.lipschitz.layers;

/**
 * MaxMin activation (Anil et al. 2019): channels {@code (2i, 2i+1) -> (max, min)} at each position; GroupSort2
 * with the pair order reversed. 1-Lipschitz and gradient-norm preserving; {@link Householder} with
 * {@code theta = pi/2} computes the same function.
 */
public final class MaxMin extends GroupSort {

    /** The activation. */
    public MaxMin() {
        super(2, true);
    }

    @Override
    public MaxMin export() {
        return new MaxMin();
    }
}
