package org.lipot.transport.pairwise;

import java.io.Serializable;

import org.lipot.transport.Status;

/**
 * The value of one pair, as its {@link PairwiseMethod} defines it, with how the solve ended.
 *
 * @param value      the pair's value (NaN only if the status is {@link Status#NUMERICAL_ERROR})
 * @param status     the solver's status; only {@link Status#isSuccess()} values enter a matrix
 * @param iterations solver iterations (0 for closed forms)
 */
public record PairValue(double value, Status status, long iterations) implements Serializable {

    private static final long serialVersionUID = 1L;
}
