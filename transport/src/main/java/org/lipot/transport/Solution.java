package org.lipot.transport;

/**
 * The result of an exact transport solver ({@code NetworkSimplex}, {@code MonotoneRearrangement}): a plan with
 * dual potentials and their optimality check. Immutable.
 *
 * <p><b>Units.</b> {@code value} is the linear transport cost {@code <P, C> = sum_ij P_ij C_ij} under the
 * problem's cost, never its root: with the squared Euclidean cost it is {@code W_2^2}, with the Euclidean cost
 * {@code W_1}, with {@code |x - y|^p} it is {@code W_p^p}. Use {@link #distance(double)} for {@code W_p}.
 *
 * <p><b>Duals.</b> Where a solver provides them, {@code sourcePotential} {@code f} and {@code targetPotential}
 * {@code g} come with a {@link Duality} that says how well they certify the value. When
 * {@code duality().feasible()}, they satisfy {@code f_i + g_j <= C_ij} for all pairs up to the solver's tolerance,
 * with equality wherever {@code P_ij > 0}, and {@code sum_i a_i f_i + sum_j b_j g_j = value - duality().gap()}.
 * When it is false (status {@link Status#MAX_ITERATIONS} or {@link Status#NUMERICAL_ERROR}) they are the solver's
 * last potentials, still useful as a warm start but not a certificate. Potentials and duality are {@code null}
 * together for solvers that produce none.
 *
 * <p><b>Marginals.</b> {@code marginalError} is measured on the returned plan against the problem's weights as
 * given: {@code sum_i |sum_j P_ij - a_i| + sum_j |sum_i P_ij - b_j|}, in mass units. It includes rounding and any
 * in-tolerance rescaling of the weights a solver did (see {@link TransportProblem}).
 *
 * @param value           {@code <P, C>}
 * @param plan            the coupling {@code P}
 * @param sourcePotential {@code f} (length {@code n}), or {@code null}
 * @param targetPotential {@code g} (length {@code m}), or {@code null}
 * @param duality         how well {@code f}, {@code g} certify {@code value}; {@code null} with the potentials
 * @param iterations      solver iterations (network simplex pivots, Sinkhorn sweeps; 0 where meaningless)
 * @param marginalError   L1 norm of the row- and column-marginal violations, {@code |P 1 - a|_1 + |P^T 1 - b|_1}
 * @param status          how the solver ended
 */
public record Solution(double value, TransportPlan plan, double[] sourcePotential, double[] targetPotential,
                       Duality duality, long iterations, double marginalError, Status status) implements PlanResult {

    public Solution {
        if (plan == null || status == null) {
            throw new IllegalArgumentException("plan and status must not be null");
        }
        if ((sourcePotential == null) != (targetPotential == null) || (sourcePotential == null) != (duality == null)) {
            throw new IllegalArgumentException("source potential, target potential and duality must be all null or all given");
        }
        sourcePotential = sourcePotential == null ? null : sourcePotential.clone();
        targetPotential = targetPotential == null ? null : targetPotential.clone();
    }

    /** A copy of {@code f}, or {@code null}. */
    @Override
    public double[] sourcePotential() {
        return sourcePotential == null ? null : sourcePotential.clone();
    }

    /** A copy of {@code g}, or {@code null}. */
    @Override
    public double[] targetPotential() {
        return targetPotential == null ? null : targetPotential.clone();
    }
}
