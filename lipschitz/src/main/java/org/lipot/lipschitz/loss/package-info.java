/**
 * Losses for 1-Lipschitz classifiers: the Kantorovich-Rubinstein (KR) term, hinge losses, their
 * hinge-KR combinations (binary {@link org.lipot.lipschitz.loss.HKR}, {@link org.lipot.lipschitz.loss.MulticlassHKR},
 * the soft and log-sum-exp variants) and temperature-scaled cross-entropies.
 *
 * <p>Every loss implements {@link org.lipot.lipschitz.loss.Loss}: value (mean over the batch), per-sample
 * values, and value plus gradient with respect to the outputs in one pass. Conventions (checked against
 * golden values from deel-lip / deel-torchlip definitions): labels are positive iff {@code y > 0}; a mean
 * over an empty group is 0; relu'(0) = 0. The weight {@code alpha} of HKR losses follows one of two
 * conventions, see {@link org.lipot.lipschitz.loss.AlphaConvention}.
 */
package org.lipot.lipschitz.loss;
