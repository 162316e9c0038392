/**
 * Wasserstein barycenters: the measure {@code q} minimising {@code sum_k w_k OT(q, mu_k)} for inputs {@code mu_k}
 * and weights {@code w_k >= 0} summing to 1.
 *
 * <ul>
 *   <li>{@link org.lipot.transport.barycenter.BregmanBarycenter}: histograms on a fixed support, entropic
 *       ({@code OT_eps}), by iterative Bregman projections, optionally debiased;</li>
 *   <li>{@link org.lipot.transport.barycenter.ConvolutionalBarycenter}: the same on a 2-D pixel grid, with the kernel
 *       applied as two 1-D Gaussian convolutions;</li>
 *   <li>{@link org.lipot.transport.barycenter.FreeSupportBarycenter}: point clouds, with the barycenter's points moved
 *       by alternating transport (any plan-based {@link org.lipot.transport.Solver}) and barycentric averaging.</li>
 * </ul>
 */
package org.lipot.transport.barycenter;
