/**
 * Many transport values at once: the matrix of a {@link org.lipot.transport.pairwise.PairwiseMethod} (exact, sliced,
 * Gaussian, Sinkhorn, Sinkhorn divergence) over N clouds ({@code symmetric}) or between two lists ({@code cross}),
 * cut into tiles of similar work by a {@link org.lipot.transport.pairwise.TilePlan} and run on this machine's cores by
 * {@link org.lipot.transport.pairwise.LocalPairwise}. Every pair is a pure function of its two clouds and the
 * method's parameters, so any engine that runs the same tiles gives the same bits.
 */
package org.lipot.transport.pairwise;
