/**
 * The Kantorovich-Rubinstein dual of optimal transport with 1-Lipschitz networks:
 * {@code W_1(mu, nu) = sup over 1-Lipschitz f of E_mu f - E_nu f}, estimated by training a
 * {@link org.lipot.lipschitz.layers.SpectralDense} / GroupSort network on two point clouds
 * ({@link org.lipot.lipschitz.kr.KantorovichDual}), with a result that is a certified lower bound of the
 * empirical {@code W_1} ({@link org.lipot.lipschitz.kr.DualEstimate}).
 */
package org.lipot.lipschitz.kr;
