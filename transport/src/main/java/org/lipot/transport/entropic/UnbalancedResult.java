package org.lipot.transport.entropic;

import org.lipot.transport.DensePlan;
import org.lipot.transport.Status;
import org.lipot.transport.TransportResult;

/**
 * An unbalanced entropic transport solution ({@link UnbalancedSinkhorn}).
 *
 * @param value      the linear cost {@code <P, C>} of the plan, in the cost's units (POT's
 *                   {@code sinkhorn_unbalanced2})
 * @param objective  the full objective {@code <P, C> + eps sum P (log P - 1) + tau_a KL(P 1 | a) + tau_b KL(P^T 1 | b)}
 *                   at the plan (a KL term is 0 where its tau is infinite)
 * @param status     {@link Status#CONVERGED}, {@link Status#MAX_ITERATIONS}, or {@link Status#NUMERICAL_ERROR}
 * @param iterations sweeps (one update of both potentials each)
 * @param plan       {@code P_ij = exp((f_i + g_j - C_ij) / eps)}
 * @param rowSums    {@code P 1}, which the KL penalty pulls towards {@code a}
 * @param columnSums {@code P^T 1}, pulled towards {@code b}
 * @param f          the source potential, in the cost's units
 * @param g          the target potential
 */
public record UnbalancedResult(double value, double objective, Status status, long iterations, DensePlan plan,
                               double[] rowSums, double[] columnSums, double[] f, double[] g)
        implements TransportResult {
}
