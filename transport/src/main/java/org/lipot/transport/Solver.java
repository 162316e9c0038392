package org.lipot.transport;

/**
 * A transport solver: an immutable configuration that solves problems. Every solver of this library implements it
 * (network simplex, the 1-D monotone rearrangement, Sinkhorn), so code written against {@code Solver} can swap one
 * for another. Implementations are thread-safe: one instance may solve many problems concurrently.
 *
 * @param <R> the result type
 */
@FunctionalInterface
public interface Solver<R extends TransportResult> {

    /**
     * Solves a problem.
     *
     * @throws IllegalArgumentException if the solver cannot handle this problem (naming why), or for bad input
     */
    R solve(TransportProblem problem);
}
