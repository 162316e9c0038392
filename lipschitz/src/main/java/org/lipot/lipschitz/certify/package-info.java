/**
 * Robustness certificates of Lipschitz classifiers, output side: certified radii from output margins and a
 * Lipschitz bound ({@link org.lipot.lipschitz.certify.Certificates}), certified / provable robust accuracy,
 * the deel-lip mean certificate, and radius histograms as data. The sound Lipschitz bound of a network
 * comes from its layers.
 */
package org.lipot.lipschitz.certify;
